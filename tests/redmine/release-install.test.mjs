// The plugin's release archive (scripts/package.sh plugin) installed the way docs/install.md tells an
// administrator to, into a new Redmine instance of Debian's package (its own database, files and plugin
// assets; nothing set up but what an administrator does by hand first): checksum, unpack into plugins/,
// migrate, start, `rake upkeep:setup PROJECT=...`. Then `upkeep sync` and the ISMS tab run against it, and
// an upgrade to a newer archive keeps the tickets and the configuration. Runs as root (as scripts/test.sh
// does): it writes Redmine's plugin folder and the instance's folders, and runs Redmine as www-data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { launchBrowser, projectVersion, repoRoot, runChecked, startRedmineServer, upkeepBin } from './harness.mjs';

const redmine = '/usr/share/redmine';
const instance = 'upkeep-release';
const port = Number(process.env.UPKEEP_RELEASE_PORT ?? 3310);
const url = `http://127.0.0.1:${port}`;
const password = 'release-check-2026';
const instanceDirs = [`/etc/redmine/${instance}`, `/var/lib/redmine/${instance}`, `/var/cache/redmine/${instance}`,
  `/var/log/redmine/${instance}`, `/var/lib/redmine-${instance}-db`];
const work = mkdtempSync(join(tmpdir(), 'upkeep-release-'));
chmodSync(work, 0o755); // what Redmine runs from here runs as www-data
let server = null; // harness.startRedmineServer's
let keys = null;
let browser = null;

/** A command in the new instance's Redmine, as its server runs: www-data, production. */
function inRedmine(args, env = {}) {
  const settings = Object.entries({ HOME: '/var/www', REDMINE_INSTANCE: instance, RAILS_ENV: 'production', ...env })
    .map(([name, value]) => `${name}=${value}`);
  return runChecked('setpriv', ['--reuid=www-data', '--regid=www-data', '--init-groups', 'env', ...settings, ...args],
    { cwd: redmine });
}

/** A Debian Redmine instance that has never run, as `dpkg-reconfigure redmine` makes one. */
function newInstance() {
  for (const dir of instanceDirs) rmSync(dir, { recursive: true, force: true });
  runChecked(resolve(repoRoot, 'scripts/redmine/instance.sh'), [instance, 'sqlite']);
}

/** docs/install.md's steps: check the checksum, unpack into plugins/, migrate (then restart). */
function install(archive) {
  runChecked('sha256sum', ['--quiet', '-c', `${basename(archive)}.sha256`], { cwd: dirname(archive) });
  const unpacked = mkdtempSync(join(work, 'unpacked-'));
  runChecked('tar', ['-xzf', archive, '-C', unpacked]);
  rmSync(`${redmine}/plugins/upkeep`, { recursive: true, force: true });
  runChecked('mv', [join(unpacked, 'upkeep'), `${redmine}/plugins/upkeep`]);
  inRedmine(['bundle', 'exec', 'rake', 'redmine:plugins:migrate'], { SCHEMA: '/dev/null' });
}

async function start() {
  server = await startRedmineServer(port, instance);
}

async function restart() {
  await server.stop();
  await start();
}

async function rest(method, path, body, login = 'admin') {
  const response = await fetch(`${url}${path}`, { method, headers: { 'X-Redmine-API-Key': keys[login],
    'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

function sync() {
  const keyFile = join(work, 'bot.key');
  writeFileSync(keyFile, keys['upkeep-bot'], { mode: 0o600 });
  return JSON.parse(runChecked(upkeepBin, ['sync', '--url', url, '--project', 'isms', '--api-key-file', keyFile, '--json']));
}

async function ticketCount() {
  return (await rest('GET', '/issues.json?project_id=isms&status_id=*&limit=1')).body.total_count;
}

/** The ISMS tab as the compliance lead sees it: the panel's state and the version the plugin reports. */
async function ismsTab() {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${url}/login`);
    await page.fill('#username', 'ciso');
    await page.fill('#password', password);
    await Promise.all([page.waitForNavigation(), page.click('#login-submit')]);
    const failedAssets = [];
    page.on('response', (r) => { if (r.url().includes('/plugin_assets/') && !r.ok()) failedAssets.push(r.url()); });
    await page.goto(`${url}/projects/isms/isms`);
    await page.waitForSelector('#upkeep-isms:not([data-state="loading"])', { timeout: 30000 });
    return {
      state: await page.getAttribute('#upkeep-isms', 'data-state'),
      text: await page.textContent('#upkeep-isms'),
      version: await page.getAttribute('meta[name="upkeep-version"]', 'content'),
      tickets: await page.$$eval('#upkeep-isms a[href*="/issues/"]', (links) =>
        [...new Set(links.map((a) => Number(new URL(a.href).pathname.split('/').at(-1))))]),
      failedAssets,
    };
  } finally {
    await context.close();
  }
}

const archive = runChecked(resolve(repoRoot, 'scripts/package.sh'), ['plugin'], { env: { ...process.env, UPKEEP_DIST: work } }).trim();

before(async () => {
  if (process.getuid?.() !== 0) throw new Error('release-install runs as root (scripts/test.sh runs it so)');
  browser = await launchBrowser();
});

after(async () => {
  await server?.stop();
  await browser?.close();
  install(archive); // the plugin folder is shared by Debian's instances: leave the released one in place
  for (const dir of instanceDirs) rmSync(dir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

test('the release archive installs into a new Redmine as docs/install.md says; sync and the ISMS tab work', async () => {
  assert.match(basename(archive), new RegExp(`^upkeep-redmine-${projectVersion.replaceAll('.', '\\.')}\\.tar\\.gz$`));
  const listing = runChecked('tar', ['-tzvf', archive]);
  assert.doesNotMatch(listing, /^l/m, 'no symbolic links (into a build tree or elsewhere) in the archive');
  assert.match(listing, / upkeep\/assets\/javascripts\/core\/upkeep-redmine\.wasm$/m);
  assert.match(listing, / upkeep\/init\.rb$/m);

  newInstance();
  install(archive);
  await start();
  const marker = 'KEYS ';
  const script = join(work, 'instance.rb');
  copyFileSync(resolve(repoRoot, 'tests/redmine/release-instance.rb'), script);
  chmodSync(script, 0o644);
  const printed = inRedmine(['bundle', 'exec', 'rails', 'runner', script], { UPKEEP_RELEASE_PASSWORD: password });
  keys = JSON.parse(printed.split('\n').find((line) => line.startsWith(marker)).slice(marker.length));
  const setup = JSON.parse(inRedmine(['bundle', 'exec', 'rake', 'upkeep:setup', 'PROJECT=isms']).trim().split('\n').at(-1));
  assert.equal(setup.enabled_in, 'isms');

  // The configuration: the starter one of an organisation certified eight months ago, stored as the tab's
  // import does (scripts/redmine/put-config.mjs), by the compliance lead.
  const decided = new Date(Date.now() - 240 * 86400000).toISOString().slice(0, 10);
  const configFile = join(work, 'isms.json');
  runChecked(upkeepBin, ['init', '--organisation', 'Release Check Ltd', '--decision-date', decided, '-o', configFile]);
  const credentials = join(work, 'credentials.json');
  writeFileSync(credentials, JSON.stringify({ api_keys: keys }), { mode: 0o600 });
  runChecked('node', [resolve(repoRoot, 'scripts/redmine/put-config.mjs'), '--url', url, '--project', 'isms', '--file', configFile,
    '--as', 'ciso', '--credentials', credentials]);

  const first = sync();
  assert.ok(first.creates > 0, `the first sync made tickets: ${JSON.stringify(first)}`);
  assert.equal(await ticketCount(), first.creates);

  const tab = await ismsTab();
  assert.equal(tab.state, 'ready', tab.text.slice(0, 500));
  assert.equal(tab.version, projectVersion);
  assert.deepEqual(tab.failedAssets, [], 'every plugin asset is served by Redmine\'s own mirror');
  const made = (await rest('GET', `/issues.json?project_id=isms&status_id=*&limit=100`)).body.issues.map((i) => i.id);
  assert.ok(tab.tickets.length > 0, 'the tab links the tickets the sync made');
  assert.deepEqual(tab.tickets.filter((id) => !made.includes(id)), []);

  // An upgrade: a newer archive unpacked over it, migrated, restarted; the data stays and nothing is redone.
  const newer = join(work, 'newer');
  mkdirSync(newer);
  runChecked('tar', ['-xzf', archive, '-C', newer]);
  writeFileSync(join(newer, 'upkeep/VERSION'), `${projectVersion}.1\n`);
  const newerArchive = join(work, `upkeep-redmine-${projectVersion}.1.tar.gz`);
  runChecked('tar', ['-czf', newerArchive, '-C', newer, 'upkeep']);
  writeFileSync(`${newerArchive}.sha256`, `${runChecked('sha256sum', [newerArchive]).split(' ')[0]}  ${basename(newerArchive)}\n`);
  install(newerArchive);
  await restart();
  const again = sync();
  assert.equal(again.creates, 0, `the sync after the upgrade finds every ticket: ${JSON.stringify(again)}`);
  assert.equal(await ticketCount(), first.creates);
  const upgraded = await ismsTab();
  assert.equal(upgraded.state, 'ready', upgraded.text.slice(0, 500));
  assert.equal(upgraded.version, `${projectVersion}.1`);
});
