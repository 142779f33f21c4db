// Shared by the browser tests: the local Redmine started by scripts/redmine.sh (URL, credentials, REST
// as any demo user), Debian's Chromium through playwright-core, and the native CLI for expected values.
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, spawnSync } from 'node:child_process';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// Which Redmine: scripts/redmine.sh's on SQLite by default; UPKEEP_REDMINE_URL, _STATE and _INSTANCE name
// another (its PostgreSQL one: http://127.0.0.1:3301, build/redmine-pgsql, upkeep-pgsql).
export const redmineUrl = process.env.UPKEEP_REDMINE_URL ?? 'http://127.0.0.1:3300';
const redmineState = process.env.UPKEEP_REDMINE_STATE ?? resolve(repo, 'build/redmine');
const redmineInstance = process.env.UPKEEP_REDMINE_INSTANCE ?? 'default';
const redmineDir = process.env.UPKEEP_REDMINE_DIR ?? '/usr/share/redmine';
/** The Redmine's log, where Debian's package puts each instance's. */
export const redmineLog = `/var/log/redmine/${redmineInstance}/production.log`;
/** scripts/redmine.sh's record of the demo users' API keys, for the scripts that take `--credentials`. */
export const credentialsFile = resolve(redmineState, 'credentials.json');
export const credentials = JSON.parse(readFileSync(credentialsFile, 'utf8'));
export const upkeepBin = resolve(process.env.UPKEEP_BIN ?? resolve(repo, 'build/native/cli/upkeep'));
export const repoRoot = repo;
/** CMake's project version, which the command, the plugin and the packages carry. */
export const projectVersion = readFileSync(resolve(repo, 'CMakeLists.txt'), 'utf8').match(/project\(upkeep VERSION ([0-9.]+)/)[1];

/** Runs a command to its end (5 minutes at most): what it printed, or an error with all of it. */
export function runChecked(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 300000, ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')}: exit ${result.status}\n${result.error ?? ''}${result.stderr}${result.stdout}`);
  }
  return result.stdout;
}

/** A project's wiki page ({ text, version }), or null when it does not exist. */
export async function wikiPage(project, title, login = 'admin') {
  const answer = await rest('GET', `/projects/${encodeURIComponent(project)}/wiki/${encodeURIComponent(title)}.json`, undefined, login);
  if (answer.status === 404) return null;
  if (answer.status !== 200) throw new Error(`GET wiki page ${title}: HTTP ${answer.status}`);
  return { text: String(answer.body.wiki_page.text ?? ''), version: Number(answer.body.wiki_page.version) };
}

/** Who holds the project's sync lease ("nobody" when released); undefined when it has no lease page yet. */
export async function leaseHolder(project) {
  return /^holder: (\S+)/m.exec((await wikiPage(project, 'ISMS_sync_lease'))?.text ?? '')?.[1];
}

/** Resolves once `login` holds the project's sync lease. */
export async function waitForLeaseHolder(project, login) {
  while (await leaseHolder(project) !== login) await new Promise((r) => setTimeout(r, 50));
}

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

/** Uploads a file's content as `login` (POST /uploads.json); its token, to attach it with a later write. */
export async function uploadToken(filename, content, login = 'admin') {
  const response = await fetch(`${redmineUrl}/uploads.json?filename=${encodeURIComponent(filename)}`, { method: 'POST', body: content,
    headers: { 'X-Redmine-API-Key': credentials.api_keys[login], 'Content-Type': 'application/octet-stream' } });
  if (response.status !== 201) throw new Error(`uploading ${filename} as ${login}: HTTP ${response.status}`);
  return (await response.json()).upload.token;
}

/**
 * Runs `rake ARGS` in the local Redmine (Debian's, as scripts/redmine.sh installs it) as its server runs:
 * as www-data (when root) in production. Returns what it printed; throws with its errors when it fails.
 */
export function redmineRake(args, { timeout = 180000 } = {}) {
  const command = ['env', 'RAILS_ENV=production', `REDMINE_INSTANCE=${redmineInstance}`, 'bundle', 'exec', 'rake', ...args];
  const asServer = process.getuid?.() === 0
    ? ['setpriv', '--reuid=www-data', '--regid=www-data', '--init-groups', 'env', 'HOME=/var/www', ...command] : command;
  const result = spawnSync(asServer[0], asServer.slice(1), { cwd: redmineDir, encoding: 'utf8', timeout });
  if (result.status !== 0) throw new Error(`rake ${args.join(' ')}: ${result.error ?? ''}${result.stderr}`);
  return result.stdout;
}

/**
 * One more application process of a Redmine instance (the harness's by default) on `port`, started as
 * scripts/redmine.sh starts its own (rackup as www-data, scripts/redmine/config.ru in front); `stop()`
 * ends it. Needs root.
 */
export async function startRedmineServer(port, instance = redmineInstance) {
  const work = mkdtempSync(join(tmpdir(), 'upkeep-server-'));
  const served = join(work, 'config.ru');
  copyFileSync(resolve(repo, 'scripts/redmine/config.ru'), served);
  chmodSync(work, 0o755);
  chmodSync(served, 0o644);
  const server = spawn('setpriv', ['--reuid=www-data', '--regid=www-data', '--init-groups', 'env', 'HOME=/var/www',
    `REDMINE_INSTANCE=${instance}`, 'bundle', 'exec', 'rackup', served, '-E', 'production', '-o', '127.0.0.1',
    '-p', String(port)], { cwd: redmineDir, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (server.exitCode === null) {
      const exited = new Promise((done) => server.once('exit', done));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(work, { recursive: true, force: true });
  };
  for (let i = 0; i < 120; i += 1) {
    if (server.exitCode !== null) break;
    if (await fetch(`${url}/login`).then((r) => r.ok, () => false)) return { url, stop };
    await new Promise((done) => setTimeout(done, 500));
  }
  await stop();
  throw new Error(`Redmine (instance ${instance}) did not answer on ${url} within 60 s`);
}

export function upkeep(args, input) {
  const result = spawnSync(upkeepBin, args, { input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`upkeep ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** `upkeep status --json` of a project as of a day, run as `login` (its API key); it must succeed. */
export function statusJson(project, today, login = 'ciso') {
  const run = spawnSync(upkeepBin, ['status', '--url', redmineUrl, '--project', String(project), '--today', today, '--json'],
    { encoding: 'utf8', env: { ...process.env, UPKEEP_API_KEY: credentials.api_keys[login] } });
  if (run.status !== 0) throw new Error(`upkeep status --project ${project} exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.UPKEEP_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser context logged in as `login` (password from the bootstrap), on `base`. */
export async function loggedIn(browser, login, base = redmineUrl) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('#username', login);
  await page.fill('#password', credentials.password);
  await Promise.all([page.waitForNavigation(), page.click('#login-submit')]);
  if (page.url().includes('/login')) throw new Error(`could not log in as ${login}`);
  return { context, page };
}

export const owners = ['ciso', 'itops', 'secops', 'hr', 'purchasing', 'legal', 'ceo'];

/** A user's name as Redmine shows it (pages name people, not logins). */
export async function nameOf(login) {
  const { user } = (await rest('GET', '/users/current.json', undefined, login)).body;
  return `${user.firstname} ${user.lastname}`;
}

/** The user id of each demo login (each key names its own user). */
export async function userIds() {
  const ids = {};
  for (const login of [...owners, 'upkeep-bot', 'outsider', 'auditor']) ids[login] = (await rest('GET', '/users/current.json', undefined, login)).body.user.id;
  return ids;
}

/**
 * A private project with the Upkeep module on, `ciso` and `upkeep-bot` as Managers, `auditor` as Auditor
 * and the other owners as Developers (`members`: which logins to add; default only ciso); removed by the returned cleanup.
 */
export async function scratchProject(prefix, members = ['ciso']) {
  const identifier = `${prefix}-${Date.now().toString(36)}`;
  const trackers = (await rest('GET', '/trackers.json')).body.trackers;
  const fields = (await rest('GET', '/custom_fields.json')).body.custom_fields;
  const created = await rest('POST', '/projects.json', { project: {
    name: identifier, identifier, is_public: false, enabled_module_names: ['issue_tracking', 'wiki', 'upkeep'],
    tracker_ids: trackers.map((t) => t.id),
    issue_custom_field_ids: fields.filter((f) => f.customized_type === 'issue').map((f) => f.id) } });
  if (created.status !== 201) throw new Error(`creating ${identifier}: HTTP ${created.status} ${JSON.stringify(created.body)}`);
  const ids = await userIds();
  const roles = (await rest('GET', '/roles.json')).body.roles;
  const roleOf = { ciso: 'Manager', 'upkeep-bot': 'Manager', auditor: 'Auditor' };
  const role = (login) => roles.find((r) => r.name === (roleOf[login] ?? 'Developer'));
  for (const login of members) {
    const member = await rest('POST', `/projects/${identifier}/memberships.json`, {
      membership: { user_id: ids[login], role_ids: [role(login).id] } });
    if (member.status !== 201) throw new Error(`membership of ${login}: HTTP ${member.status}`);
  }
  return { identifier, remove: () => rest('DELETE', `/projects/${identifier}.json`) };
}

/** Runs `upkeep sync` (as upkeep-bot unless `key` is given); resolves to { status, stdout, stderr, json }. */
export function sync(args, { key = credentials.api_keys['upkeep-bot'], url = redmineUrl, env = {}, onSpawn } = {}) {
  return new Promise((resolve) => {
    const child = spawn(upkeepBin, ['sync', '--url', url, ...args], {
      env: { ...process.env, UPKEEP_API_KEY: key, UPKEEP_RETRY_BASE_MS: '20', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    onSpawn?.(child);
    child.on('close', (status, signal) => {
      let json = null;
      try { json = JSON.parse(stdout); } catch { /* not --json */ }
      resolve({ status, signal, stdout, stderr, json });
    });
  });
}

/** Every issue of a project (all statuses), with journals when asked. */
export async function issuesOf(project, { journals = false } = {}) {
  const out = [];
  for (let offset = 0; ; offset += 100) {
    const page = (await rest('GET', `/issues.json?project_id=${project}&status_id=*&sort=id&limit=100&offset=${offset}`)).body;
    out.push(...page.issues);
    if (offset + 100 >= page.total_count) break;
  }
  if (!journals) return out;
  return Promise.all(out.map(async (i) => (await rest('GET', `/issues/${i.id}.json?include=journals`)).body.issue));
}

export const field = (issue, name) => issue.custom_fields?.find((f) => f.name === name)?.value ?? null;

/**
 * Registers a test file's hooks: Debian's Chromium when asked, and cleanups (contexts, scratch projects)
 * run after all its tests, last registered first.
 */
export function suite({ withBrowser = false } = {}) {
  const state = { browser: null, cleanups: [] };
  before(async () => { if (withBrowser) state.browser = await launchBrowser(); });
  after(async () => {
    for (const cleanup of state.cleanups.reverse()) await cleanup();
    await state.browser?.close();
  });
  return state;
}

/**
 * Opens a Redmine page as `login` in the suite's browser, as of `today` (the plugin's `upkeep_today`), once
 * `ready` shows; the page's context closes with the suite.
 */
export async function openAs(resources, login, path, ready, today) {
  const { context, page } = await loggedIn(resources.browser, login);
  resources.cleanups.push(() => context.close());
  await page.goto(`${redmineUrl}${path}${path.includes('?') ? '&' : '?'}upkeep_today=${today}`);
  await page.waitForSelector(ready, { timeout: 30000 });
  return page;
}

/** Stores a configuration (object or JSON text) in a project's wiki page, as the ISMS tab's import does. */
export async function putConfig(project, config, comments = 'test configuration') {
  const text = typeof config === 'string' ? config : JSON.stringify(config, null, 2);
  const saved = await rest('PUT', `/projects/${encodeURIComponent(project)}/wiki/ISMS_configuration.json`, { wiki_page: {
    text: `<pre><code class="json">\n${text}\n</code></pre>\n`, comments } });
  if (saved.status !== 201 && saved.status !== 204) throw new Error(`PUT the configuration page: HTTP ${saved.status}`);
}
