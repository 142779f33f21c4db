// The ISMS tab in Chromium against the real Redmine: it renders the calendar the wasm core computes,
// shows a broken configuration's errors as text, imports only valid files, reports a blocked core,
// and keeps the configuration from users who are not members.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redmineUrl, credentials, wikiPage, issuesOf, owners, putConfig, redmineRake, rest, suite, sync, upkeep, loggedIn,
  scratchProject } from './harness.mjs';

const TODAY = '2026-11-22';
const demo = credentials.project;
const resources = suite({ withBrowser: true });
const cleanups = resources.cleanups;

/** The ISMS tab as `login` sees it; `beforeOpening(page)` first, when given (to route the page's requests). */
async function openTab(login, project, beforeOpening = async () => {}) {
  const { context, page } = await loggedIn(resources.browser, login);
  cleanups.push(() => context.close());
  await beforeOpening(page);
  const response = await page.goto(`${redmineUrl}/projects/${project}/isms?upkeep_today=${TODAY}`);
  return { page, response };
}

/** Redmine's rake with the test tasks of setup-snapshot.rake beside its own; what it printed. */
function rakeWithTestTasks(args) {
  const rakelib = mkdtempSync(join(tmpdir(), 'upkeep-rakelib-'));
  cleanups.push(() => rmSync(rakelib, { recursive: true, force: true }));
  copyFileSync(new URL('setup-snapshot.rake', import.meta.url), join(rakelib, 'setup-snapshot.rake'));
  chmodSync(rakelib, 0o755); // rake runs as www-data
  chmodSync(join(rakelib, 'setup-snapshot.rake'), 0o644);
  return redmineRake(['--rakelibdir', rakelib, ...args]);
}

async function settled(page) {
  await page.waitForSelector('#upkeep-isms:not([data-state="loading"])', { timeout: 20000 });
  return page.getAttribute('#upkeep-isms', 'data-state');
}

test('the ISMS tab renders the calendar computed by the wasm core, by owner', async () => {
  const { page } = await openTab('ciso', demo);
  assert.equal(await settled(page), 'ready', await page.textContent('#upkeep-isms'));
  const shown = await page.$$eval('#upkeep-isms tr[data-activity]', (rows) =>
    rows.map((r) => `${r.dataset.due} ${r.dataset.activity}`).sort());

  const stored = await wikiPage(demo, 'ISMS_configuration');
  const configText = stored.text.split('<pre><code class="json">\n')[1].split('\n</code></pre>')[0];
  const expected = JSON.parse(upkeep(['calendar', '-', '--format', 'json', '--from', TODAY, '--to', '2027-02-20'], configText));
  const activities = expected.entries.filter((e) => e.kind === 'activity').map((e) => `${e.date} ${e.id}`).sort();
  assert.ok(activities.length > 10, 'the demo calendar has due dates in the next 90 days');
  assert.deepEqual(shown, activities);

  // One table by due date, each row with its owner.
  const rows = await page.$$eval('#upkeep-isms tr[data-activity]', (trs) => trs.map((tr) => [tr.dataset.due, tr.querySelector('.upkeep-owner')?.dataset.owner]));
  assert.deepEqual(rows.map(([due]) => due), rows.map(([due]) => due).sort());
  assert.deepEqual(rows.map(([, owner]) => owner).sort(),
    expected.entries.filter((e) => e.kind === 'activity').map((e) => e.owner).sort());
  assert.equal(await page.$$eval('#upkeep-isms table.upkeep-calendar', (tables) => tables.length), 1);
  const audit = await page.$eval('#upkeep-isms .upkeep-glance', (e) => ({ id: e.dataset.audit, date: e.dataset.date }));
  assert.equal(audit.id, 'surveillance_1');
  // The plugin carries the version of the build it came with: the command's (CMake's project version).
  assert.equal(`upkeep ${await page.getAttribute('meta[name="upkeep-version"]', 'content')}`, upkeep(['--version']).trim());
});

test('the tab asks for every one of its scripts at once, and reads the opening in one round', async () => {
  // The account's answer is held until the page asks who saved the configuration: a page that read the
  // opening in rounds would not ask before that answer, and the hold ends after 10 s without it.
  let trustAsked = () => {};
  const trustRequest = new Promise((resolve) => { trustAsked = () => resolve('asked'); });
  /** @type {string[]} */
  const accountReleasedBy = [];
  const { page } = await openTab('ciso', demo, async (opening) => {
    opening.on('request', (request) => { if (request.url().includes('/upkeep_configuration_trust.json')) trustAsked(); });
    await opening.route('**/upkeep/rest/users/current.json', async (route) => {
      accountReleasedBy.push(await Promise.race([trustRequest, new Promise((resolve) => setTimeout(resolve, 10_000, 'timeout'))]));
      await route.continue();
    });
  });
  assert.equal(await settled(page), 'ready', await page.textContent('#upkeep-isms'));
  // A module found by an import (initiator "script") would have waited for the one importing it: only
  // the entry itself is asked for by its script tag; the page named every other one up front. The
  // tickets' module of the core (Preview, Sync now) is the exception: it loads once the panel is drawn.
  const { found, preloaded } = await page.evaluate(() => {
    const assets = performance.getEntriesByType('resource').filter((e) => e.name.includes('/plugin_assets/upkeep/javascripts/')
      && !e.name.includes('/core/upkeep-redmine-tickets.'));
    return { found: assets.filter((e) => e.initiatorType === 'script').map((e) => new URL(e.name).pathname),
      preloaded: [...document.querySelectorAll('link[rel="modulepreload"]')].length };
  });
  assert.deepEqual(found, ['/plugin_assets/upkeep/javascripts/redmine/isms-tab.js']);
  assert.ok(preloaded > 20, `${preloaded} modules named up front`);
  // The opening (account, project, statuses, the configuration and whether it may be trusted) goes
  // together; the lists' authors come with the plugin's lists: no account is read one by one.
  assert.equal(accountReleasedBy[0], 'asked');
  const reads = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.name.includes('/upkeep/rest/')).map((e) => new URL(e.name).pathname));
  assert.deepEqual(reads.filter((path) => /\/users\/\d+\.json$/.test(path)), []);
});

test('a long table draws its first rows, and "Show all" the others in place', async () => {
  const { page } = await openTab('ciso', demo);
  assert.equal(await settled(page), 'ready');
  const drawn = await page.evaluate(async () => {
    const assets = document.querySelector('meta[name="upkeep-assets"]')?.getAttribute('content');
    const { drawFirst } = await import(`${assets}/javascripts/lib/dom.js`);
    const rows = document.createElement('tbody');
    const draw = (/** @type {number} */ n) => Object.assign(document.createElement('tr'), { textContent: `row ${n}` });
    const button = drawFirst(rows, Array.from({ length: 130 }, (_, n) => n), draw, 100);
    const box = document.createElement('div');
    box.append(rows, button);
    const first = [rows.children.length, button?.textContent];
    button?.click();
    const short = drawFirst(document.createElement('ul'), [1, 2], draw, 100);
    return { first, after: rows.children.length, last: rows.lastElementChild?.textContent, button: box.contains(button), short };
  });
  assert.deepEqual(drawn, { first: [100, 'Show all 130'], after: 130, last: 'row 129', button: false, short: null });
});

test('a broken configuration shows every error at its JSON pointer, as text', async () => {
  const project = await scratchProject('isms-broken');
  cleanups.push(project.remove);
  const config = JSON.parse(upkeep(['init', '--today', TODAY]));
  config.activities[0].cadence.rrule = 'FREQ=MONTHLY;BYMONTHDAY=32';
  config.activities[1].title = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
  config.activities[1].colour = 'red';
  await putConfig(project.identifier, config, 'broken on purpose');

  const { page } = await openTab('ciso', project.identifier);
  assert.equal(await settled(page), 'invalid');
  const problems = await page.$$eval('#upkeep-isms li[data-pointer]', (items) =>
    items.map((li) => [li.dataset.pointer, li.textContent]));
  assert.deepEqual(problems.map(([pointer]) => pointer), ['/activities/0/cadence/rrule', '/activities/1/colour']);
  assert.match(problems[0][1], /BYMONTHDAY=32 is out of range 1\.\.31 or -31\.\.-1/);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
});

test('importing a file stores it only when it is valid', async () => {
  const project = await scratchProject('isms-import');
  cleanups.push(project.remove);
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-import-'));
  const bad = join(dir, 'bad.json');
  const good = join(dir, 'good.json');
  const config = JSON.parse(upkeep(['init', '--today', TODAY, '--organisation', 'Import Ltd']));
  writeFileSync(good, JSON.stringify(config, null, 2));
  config.activities[2].cadence.start = '2027-02-30';
  writeFileSync(bad, JSON.stringify(config));

  const { page } = await openTab('ciso', project.identifier);
  assert.equal(await settled(page), 'empty');
  await page.setInputFiles('#upkeep-isms input.upkeep-import-file', bad);
  await page.waitForSelector('.upkeep-transfer-message li[data-pointer="/activities/2/cadence/start"]');
  assert.equal(await wikiPage(project.identifier, 'ISMS_configuration'), null, 'nothing was written');

  await page.setInputFiles('#upkeep-isms input.upkeep-import-file', good);
  await page.waitForSelector('#upkeep-isms[data-state="ready"]', { timeout: 20000 });
  const stored = await wikiPage(project.identifier, 'ISMS_configuration');
  assert.match(stored.text, /"name": "Import Ltd"/);
});

test('a page whose policy blocks WebAssembly says so instead of failing silently', async () => {
  const { context, page } = await loggedIn(resources.browser, 'ciso');
  cleanups.push(() => context.close());
  await page.route('**/projects/*/isms*', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': "script-src 'self'" } });
  });
  await page.goto(`${redmineUrl}/projects/${demo}/isms`);
  assert.equal(await settled(page), 'failed');
  assert.match(await page.textContent('#upkeep-isms'), /Content Security Policy blocks WebAssembly/);
});

test('a user who is not a member cannot read the configuration through the plugin', async () => {
  const { page, response } = await openTab('outsider', demo);
  assert.equal(response.status(), 403);
  assert.equal(await page.$('#upkeep-isms'), null);
  const api = await rest('GET', `/projects/${demo}/wiki/ISMS_configuration.json`, undefined, 'outsider');
  assert.equal(api.status, 403);
  const anonymous = await fetch(`${redmineUrl}/projects/${demo}/isms`, { redirect: 'manual' });
  assert.equal(anonymous.status, 302);
  assert.match(anonymous.headers.get('location'), /\/login/);
});

test('the lock the change prompt reads answers where Upkeep is on, to those who may view the ISMS', async () => {
  const trackers = (await rest('GET', '/trackers.json')).body.trackers;
  const changeTracker = trackers.find((t) => t.name === 'Change');
  const inDemo = await rest('POST', '/issues.json', { issue: { project_id: demo, tracker_id: changeTracker.id, subject: 'Rotate the VPN certificate' } });
  assert.equal(inDemo.status, 201);
  cleanups.push(() => rest('DELETE', `/issues/${inDemo.body.issue.id}.json`));
  const lock = await rest('GET', `/issues/${inDemo.body.issue.id}/upkeep_lock.json`, undefined, 'itops');
  assert.equal(lock.status, 200);
  assert.equal(typeof lock.body.issue.lock_version, 'number');
  // A project without Upkeep's module: its issues' locks are nobody's business, not even the administrator's.
  const identifier = `no-isms-${Date.now().toString(36)}`;
  assert.equal((await rest('POST', '/projects.json', { project: { name: identifier, identifier, is_public: true,
    enabled_module_names: ['issue_tracking'], tracker_ids: trackers.map((t) => t.id) } })).status, 201);
  cleanups.push(() => rest('DELETE', `/projects/${identifier}.json`));
  const outside = await rest('POST', '/issues.json', { issue: { project_id: identifier, tracker_id: changeTracker.id, subject: 'Outside the ISMS' } });
  assert.equal(outside.status, 201);
  assert.equal((await rest('GET', `/issues/${outside.body.issue.id}.json`, undefined, 'itops')).status, 200, 'itops sees the public issue');
  assert.equal((await rest('GET', `/issues/${outside.body.issue.id}/upkeep_lock.json`, undefined, 'itops')).status, 403);
  assert.equal((await rest('GET', `/issues/${outside.body.issue.id}/upkeep_lock.json`)).status, 403);
});

test('every Redmine selector Upkeep relies on is on its page; no page carries the user\'s key, and Upkeep\'s are never cached', async () => {
  const { selectors } = await import('../../web/redmine/selectors.js');
  const project = await scratchProject('isms-selectors', [...owners, 'upkeep-bot']);
  cleanups.push(project.remove);
  const config = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15']));
  config.activities = config.activities.filter((a) => a.id === 'access-review');
  const file = join(mkdtempSync(join(tmpdir(), 'upkeep-selectors-')), 'isms.json');
  writeFileSync(file, JSON.stringify(config));
  assert.equal((await sync(['--project', project.identifier, '--today', TODAY, '--config', file])).status, 0);
  const task = (await issuesOf(project.identifier)).find((i) => i.tracker.name === 'Control task');
  const changeTracker = (await rest('GET', '/trackers.json')).body.trackers.find((t) => t.name === 'Change');
  const change = (await rest('POST', '/issues.json', { issue: { project_id: project.identifier, tracker_id: changeTracker.id,
    subject: 'Selector check' } }, 'itops')).body.issue;
  const { page } = await openTab('ciso', demo);
  await settled(page);
  const pages = { 'ISMS tab': `${redmineUrl}/projects/${demo}/isms`, 'project overview': `${redmineUrl}/projects/${demo}`,
    'control task': `${redmineUrl}/issues/${task.id}`, 'change ticket': `${redmineUrl}/issues/${change.id}` };
  for (const [name, url] of Object.entries(pages)) {
    const response = await page.goto(url);
    const upkeepPage = (await page.$('meta[name="upkeep-project"]')) !== null;
    assert.equal(upkeepPage, name !== 'project overview', `Upkeep's page script on the ${name}`);
    if (upkeepPage) {
      await page.waitForLoadState('networkidle'); // the scripts have run and read through the relay
      assert.match(response.headers()['cache-control'] ?? '', /\bno-store\b/, `Cache-Control of the ${name}`);
    }
    assert.ok(!(await page.content()).includes(credentials.api_keys.ciso), `the user's API key on the ${name}`);
    for (const [key, selector] of Object.entries(selectors)) {
      if (selector.page !== name) continue;
      assert.ok(await page.$(selector.css), `${key} (${selector.css}) on the ${name}`);
    }
  }
  assert.deepEqual(new Set(Object.values(selectors).map((s) => s.page)), new Set(Object.keys(pages)), 'every page is visited');
});

test('the page scripts\' REST relay answers the session with its CSRF token only, never shows the key, and only for Upkeep\'s resources', async () => {
  const { page } = await openTab('ciso', demo);
  await settled(page);
  const relay = (path, { token = true, method = 'GET', body } = {}) => page.evaluate(async ([path, token, method, body]) => {
    const csrf = document.querySelector('meta[name="csrf-token"]').content;
    const response = await fetch(`/upkeep/rest${path}`, { method, credentials: 'same-origin',
      headers: { ...(token ? { 'X-CSRF-Token': token === true ? csrf : token } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined });
    return { status: response.status, text: await response.text() };
  }, [path, token, method, body]);

  // The session's own user, as Redmine's REST API shows them, but for the key.
  const me = await relay('/users/current.json');
  assert.equal(me.status, 200, me.text);
  assert.equal(JSON.parse(me.text).user.login, 'ciso');
  assert.ok(!me.text.includes(credentials.api_keys.ciso) && !('api_key' in JSON.parse(me.text).user));
  const direct = await rest('GET', '/users/current.json', undefined, 'ciso');
  assert.equal(direct.body.user.api_key, credentials.api_keys.ciso, 'Redmine itself shows the key to its owner');
  // Writes go through as the session's user.
  const bug = (await rest('GET', '/trackers.json')).body.trackers.find((t) => t.name === 'Bug');
  const scratch = (await rest('POST', '/issues.json', { issue: { project_id: demo, tracker_id: bug.id, subject: 'Relay check' } })).body.issue;
  cleanups.push(() => rest('DELETE', `/issues/${scratch.id}.json`));
  assert.equal((await relay(`/issues/${scratch.id}.json`, { method: 'PUT', body: { issue: { notes: 'through the relay' } } })).status, 204);
  const journals = (await rest('GET', `/issues/${scratch.id}.json?include=journals`)).body.issue.journals;
  assert.deepEqual(journals.map((j) => [j.user.name, j.notes]), [['Cora Isms (ISMS manager)', 'through the relay']]);
  // Without the token, or with a wrong one, nothing: reads included, so no other site can have a browser ask.
  assert.equal((await relay('/users/current.json', { token: false })).status, 422);
  assert.equal((await relay('/users/current.json', { token: 'forged' })).status, 422);
  assert.equal((await relay(`/projects/${demo}/wiki/ISMS_sync_lease.json`, { method: 'PUT', token: false,
    body: { wiki_page: { text: 'holder: mallory' } } })).status, 422);
  // Only the resources the core uses: not the account page, which shows the key.
  assert.equal((await relay('/my/account.json')).status, 404);
  assert.equal((await relay('/users/current.json/../../my/account.json')).status, 404);
  // Without a session (an API key is not a session), nothing.
  const anonymous = await fetch(`${redmineUrl}/upkeep/rest/users/current.json`, { headers: { 'X-Redmine-API-Key': credentials.api_keys.ciso } });
  assert.equal(anonymous.status, 401);
});

test('rerunning the setup creates nothing twice', async () => {
  // `rake upkeep:setup` again (scripts/redmine.sh's bootstrap ran the setup already), with PROJECT to enable
  // Upkeep in the demo project once more, between two snapshots of all it makes, taken in the same rake run.
  const output = rakeWithTestTasks(['upkeep_test:before', 'upkeep:setup', 'upkeep_test:after', `PROJECT=${demo}`]);
  const lines = output.split('\n');
  const [before, after] = lines.filter((l) => l.startsWith('UPKEEP-SNAPSHOT ')).map((l) => JSON.parse(l.slice(16)));
  const summary = JSON.parse(lines.find((l) => l.startsWith('{')) ?? 'null');
  assert.deepEqual([before?.moment, after?.moment, summary?.enabled_in], ['before', 'after', demo], output);
  assert.deepEqual(summary.notices, [], 'a setting already on is not reported');

  // Nothing created or changed: trackers, statuses, custom fields and their trackers, workflows, role
  // permissions, settings, the project's modules, trackers and fields.
  for (const key of Object.keys(before).filter((k) => k !== 'moment')) assert.deepEqual(after[key], before[key], key);
  // And each exists once: the trackers and fields the setup reports, by name and with the ids it reports.
  for (const name of summary.trackers) assert.equal(after.trackers.filter(([, n]) => n === name).length, 1, name);
  for (const [name, id] of Object.entries(summary.custom_fields)) {
    assert.deepEqual(after.custom_fields.filter((f) => f[2] === name).map((f) => f[0]), [id], name);
  }
  const trackerId = (name) => after.trackers.find(([, n]) => n === name)[0];
  for (const name of summary.trackers) {
    assert.ok(after.workflows_by_tracker.some(([tracker, type, count]) => tracker === trackerId(name) && type === 'WorkflowTransition' && count > 0),
      `${name} has a workflow`);
  }
  assert.deepEqual(after.duplicate_workflows, [], 'no workflow rule twice');
  for (const name of ['Manager', 'Developer', 'Reporter']) {
    const [, , permissions] = after.roles.find(([, n]) => n === name);
    assert.equal(permissions.filter((p) => p === 'view_isms').length, 1, `${name} may view the ISMS, once`);
  }
  assert.deepEqual(after.settings.filter(([n]) => n === 'issue_group_assignment'), [['issue_group_assignment', '1']]);
  for (const key of ['project_modules', 'project_trackers', 'project_custom_fields']) {
    assert.equal(new Set(after[key].map(String)).size, after[key].length, `${key}: none twice`);
  }
  assert.ok(after.project_modules.includes('upkeep'));

  // What the REST API shows: one of each, each field on its trackers.
  const trackers = (await rest('GET', '/trackers.json')).body.trackers.map((t) => t.name);
  for (const name of ['Control task', 'Corrective action', 'Nonconformity', 'ISMS follow-up', 'Change'])
    assert.equal(trackers.filter((t) => t === name).length, 1, name);
  const fields = (await rest('GET', '/custom_fields.json')).body.custom_fields;
  const expected = { 'Upkeep key': 'Control task', 'Upkeep state': 'Nonconformity', 'ISMS reference': 'Control task',
    'ISMS impact': 'Change', 'Evidence date': 'Control task', 'NC grade': 'Nonconformity', 'NC source': 'Nonconformity',
    'Root cause': 'Nonconformity', 'Corrective actions': 'Nonconformity' };
  assert.ok(fields.find((f) => f.name === 'Upkeep key').trackers.some((t) => t.name === 'ISMS follow-up'), 'follow-ups carry keys');
  for (const [name, tracker] of Object.entries(expected)) {
    const matching = fields.filter((f) => f.name === name);
    assert.equal(matching.length, 1, name);
    assert.ok(matching[0].trackers.some((t) => t.name === tracker), `${name} is enabled for ${tracker}`);
  }
});

test('the setup says so when it turns on group assignment, a setting of the whole Redmine', async () => {
  const output = rakeWithTestTasks(['upkeep_test:groups_off', 'upkeep:setup']);
  const summary = JSON.parse(output.split('\n').find((l) => l.startsWith('{')) ?? 'null');
  assert.equal(summary?.notices?.length, 1, output);
  assert.match(summary.notices[0], /^turned on "Allow issue assignment to groups" \(Administration > Settings > Issue tracking\) for the whole Redmine/);
});

test('dates are written as Redmine writes them for the user; the figures behind them stay ISO', async () => {
  const replaced = rakeWithTestTasks(['upkeep_test:date_format', 'FORMAT=%d %b %Y']).trim();
  cleanups.push(() => rakeWithTestTasks(['upkeep_test:date_format', `FORMAT=${replaced}`]));
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const written = (iso) => `${iso.slice(8)} ${months[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;
  const { page } = await openTab('ciso', demo);
  assert.equal(await settled(page), 'ready', await page.textContent('#upkeep-isms'));

  const audit = await page.getAttribute('#upkeep-isms .upkeep-glance', 'data-date');
  assert.match(audit, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok((await page.textContent('#upkeep-isms .upkeep-glance h3')).includes(` on ${written(audit)}: in `));
  // The core's sentences (fix first) and the page's own (the 90-day table) alike.
  const fixFirst = await page.$$eval('#upkeep-isms .upkeep-fix-first li', (items) => items.map((li) => li.textContent));
  assert.ok(fixFirst.length > 0);
  assert.ok(fixFirst.some((text) => /\(due \d{2} [A-Z][a-z]{2} \d{4}\)/.test(text)), fixFirst.join('\n'));
  assert.deepEqual(fixFirst.filter((text) => /\d{4}-\d{2}-\d{2}/.test(text)), [], 'no ISO date in a sentence');
  const rows = await page.$$eval('#upkeep-isms tr[data-activity]', (trs) => trs.map((tr) => [tr.dataset.due, tr.querySelector('td.date').textContent]));
  assert.ok(rows.length > 0);
  for (const [due, shown] of rows) assert.equal(shown, written(due));
});
