// The ISMS tab in Chromium against the real Redmine: it renders the calendar the wasm core computes,
// shows a broken configuration's errors as text, imports only valid files, reports a blocked core,
// and keeps the configuration from users who are not members.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redmineUrl, credentials, client, issuesOf, owners, putConfig, rest, suite, sync, upkeep, loggedIn, scratchProject } from './harness.mjs';

const TODAY = '2026-11-22';
const demo = credentials.project;
const resources = suite({ withBrowser: true });
const cleanups = resources.cleanups;

async function openTab(login, project) {
  const { context, page } = await loggedIn(resources.browser, login);
  cleanups.push(() => context.close());
  const response = await page.goto(`${redmineUrl}/projects/${project}/isms?upkeep_today=${TODAY}`);
  return { page, response };
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

  const stored = await client('admin').getWikiPage(demo, 'ISMS_configuration');
  const configText = stored.text.split('<pre><code class="json">\n')[1].split('\n</code></pre>')[0];
  const expected = JSON.parse(upkeep(['calendar', '-', '--format', 'json', '--from', TODAY, '--to', '2027-02-20'], configText));
  const activities = expected.entries.filter((e) => e.kind === 'activity').map((e) => `${e.date} ${e.id}`).sort();
  assert.ok(activities.length > 10, 'the demo calendar has due dates in the next 90 days');
  assert.deepEqual(shown, activities);

  const owners = await page.$$eval('#upkeep-isms .upkeep-owner', (els) => els.map((e) => e.dataset.owner));
  assert.deepEqual(owners, [...new Set(expected.entries.filter((e) => e.kind === 'activity').map((e) => e.owner))].sort());
  const audit = await page.$eval('#upkeep-isms .upkeep-audit', (e) => ({ id: e.dataset.audit, date: e.dataset.date }));
  assert.equal(audit.id, 'surveillance_1');
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
  assert.equal(await client('admin').getWikiPage(project.identifier, 'ISMS_configuration'), null, 'nothing was written');

  await page.setInputFiles('#upkeep-isms input.upkeep-import-file', good);
  await page.waitForSelector('#upkeep-isms[data-state="ready"]', { timeout: 20000 });
  const stored = await client('admin').getWikiPage(project.identifier, 'ISMS_configuration');
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

test('every Redmine selector Upkeep relies on is on its page', async () => {
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
    await page.goto(url);
    for (const [key, selector] of Object.entries(selectors)) {
      if (selector.page !== name) continue;
      assert.ok(await page.$(selector.css), `${key} (${selector.css}) on the ${name}`);
    }
  }
  assert.deepEqual(new Set(Object.values(selectors).map((s) => s.page)), new Set(Object.keys(pages)), 'every page is visited');
});

test('rerunning the setup creates nothing twice', async () => {
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
