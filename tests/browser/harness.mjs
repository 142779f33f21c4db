// Shared by the browser tests: the local Redmine started by scripts/redmine.sh (URL, credentials, REST
// as any demo user), Debian's Chromium through playwright-core, and the native CLI for expected values.
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { createRedmineClient } from '../../web/redmine/redmine-api.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const redmineUrl = process.env.UPKEEP_REDMINE_URL ?? 'http://127.0.0.1:3300';
export const credentials = JSON.parse(readFileSync(resolve(repo, 'build/redmine/credentials.json'), 'utf8'));
export const upkeepBin = resolve(process.env.UPKEEP_BIN ?? resolve(repo, 'build/native/cli/upkeep'));

export const client = (login = 'admin') => createRedmineClient({ baseUrl: redmineUrl, apiKey: credentials.api_keys[login] });

/** Raw REST call as `login`; returns { status, body }. */
export async function rest(method, path, body, login = 'admin') {
  const response = await fetch(redmineUrl + path, {
    method,
    headers: { 'X-Redmine-API-Key': credentials.api_keys[login], 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

export function upkeep(args, input) {
  const result = spawnSync(upkeepBin, args, { input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`upkeep ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.UPKEEP_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser context logged in as `login` (password from the bootstrap). */
export async function loggedIn(browser, login) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${redmineUrl}/login`);
  await page.fill('#username', login);
  await page.fill('#password', credentials.password);
  await Promise.all([page.waitForNavigation(), page.click('#login-submit')]);
  if (page.url().includes('/login')) throw new Error(`could not log in as ${login}`);
  return { context, page };
}

/** A private project with the Upkeep module on and `ciso` as Manager; removed by the returned cleanup. */
export async function scratchProject(prefix) {
  const identifier = `${prefix}-${Date.now().toString(36)}`;
  const created = await rest('POST', '/projects.json', { project: {
    name: identifier, identifier, is_public: false, enabled_module_names: ['issue_tracking', 'wiki', 'upkeep'] } });
  if (created.status !== 201) throw new Error(`creating ${identifier}: HTTP ${created.status} ${JSON.stringify(created.body)}`);
  const users = (await rest('GET', '/users.json?name=ciso')).body.users;
  const roles = (await rest('GET', '/roles.json')).body.roles;
  const manager = roles.find((r) => r.name === 'Manager');
  const member = await rest('POST', `/projects/${identifier}/memberships.json`, {
    membership: { user_id: users.find((u) => u.login === 'ciso').id, role_ids: [manager.id] } });
  if (member.status !== 201) throw new Error(`membership: HTTP ${member.status}`);
  await rest('POST', '/projects/' + identifier + '/wiki/Wiki.json', undefined).catch(() => {});
  return { identifier, remove: () => rest('DELETE', `/projects/${identifier}.json`) };
}
