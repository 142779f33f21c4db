// The frameworks beside ISO 27001 in Chromium against the real Redmine: the ISMS tab offers the
// frameworks the configuration follows; choosing one narrows the tab to the activities that reference it
// (the same figures as `upkeep status --framework`, the same register) and shows its coverage.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { credentials, loggedIn, owners, putConfig, redmineUrl, scratchProject, suite, sync, upkeep, upkeepBin } from './harness.mjs';

const TODAY = '2026-11-22';
const resources = suite({ withBrowser: true });
const cleanups = resources.cleanups;
let project;

before(async () => {
  const scratch = await scratchProject('frameworks', [...owners, 'upkeep-bot']);
  project = scratch.identifier;
  cleanups.push(scratch.remove);
  const config = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15', '--organisation', 'Frameworks Ltd']));
  config.frameworks = ['nis2', 'soc2'];
  config.activities.find((a) => a.id === 'access-review').references.push('nis2:21(2)(i)', 'soc2:CC6.3');
  config.activities.find((a) => a.id === 'backup-restore-test').references.push('nis2:21(2)(c)');
  await putConfig(project, config, 'frameworks test');
  const synced = await sync(['--project', project, '--today', TODAY]);
  assert.equal(synced.status, 0, synced.stderr);
});

async function openTab(query = '') {
  const { context, page } = await loggedIn(resources.browser, 'ciso');
  cleanups.push(() => context.close());
  await page.goto(`${redmineUrl}/projects/${project}/isms?upkeep_today=${TODAY}${query}`);
  await page.waitForSelector('#upkeep-isms:not([data-state="loading"])', { timeout: 20000 });
  assert.equal(await page.getAttribute('#upkeep-isms', 'data-state'), 'ready', await page.textContent('#upkeep-isms'));
  return page;
}

const activitiesShown = (page) => page.$$eval('#upkeep-isms table.upkeep-calendar tr[data-activity]',
  (rows) => [...new Set(rows.map((r) => r.dataset.activity))].sort());

function cliStatus(framework) {
  const run = spawnSync(upkeepBin, ['status', '--url', redmineUrl, '--project', project, '--today', TODAY, '--framework', framework, '--json'],
    { encoding: 'utf8', env: { ...process.env, UPKEEP_API_KEY: credentials.api_keys.ciso } });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

test('the tab offers the frameworks followed; choosing one narrows it to their activities, with the coverage', async () => {
  const page = await openTab();
  assert.deepEqual(await page.$$eval('select[name="framework"] option', (options) => options.map((o) => [o.value, o.textContent])),
    [['', 'ISO/IEC 27001: every activity'], ['nis2', 'NIS2 Article 21(2)'], ['soc2', 'SOC 2 Trust Services Criteria']]);
  assert.equal(await page.$('#upkeep-coverage'), null);
  assert.ok((await activitiesShown(page)).length > 5);

  await Promise.all([page.waitForNavigation(), page.selectOption('select[name="framework"]', 'nis2')]);
  assert.match(page.url(), /[?&]framework=nis2/);
  await page.waitForSelector('#upkeep-isms[data-state="ready"]', { timeout: 20000 });
  assert.equal(await page.$eval('select[name="framework"]', (s) => s.value), 'nis2');
  assert.match(await page.textContent('#upkeep-coverage h3'), /^NIS2 Article 21\(2\): 2 of 10 requirements addressed$/);
  const rows = await page.$$eval('#upkeep-coverage tr[data-requirement]', (trs) => trs.map((tr) => [tr.dataset.requirement, tr.children[2].textContent]));
  assert.equal(rows.length, 10);
  assert.deepEqual(rows.find(([id]) => id === '21(2)(i)'), ['21(2)(i)', '✓ User access rights review']);
  assert.deepEqual(rows.find(([id]) => id === '21(2)(b)'), ['21(2)(b)', '✕ nothing addresses it']);
  // The calendar of the next 90 days and the figures hold those activities alone, as the command computes them.
  for (const activity of await activitiesShown(page)) assert.ok(['access-review', 'backup-restore-test'].includes(activity), activity);
  const expected = cliStatus('nis2').next_audit.readiness;
  assert.deepEqual(await page.$eval('.upkeep-readiness', (e) => [e.dataset.done, e.dataset.counted]),
    [String(expected.done), String(expected.counted)]);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('.upkeep-other-formats a.upkeep-export-register-csv')]);
  const activities = new Set(readFileSync(await download.path(), 'utf8').trim().split('\r\n').slice(1).map((row) => row.split(',')[0]));
  assert.deepEqual([...activities].sort(), ['access-review', 'backup-restore-test']);
});

test('a framework the configuration does not follow is refused in words', async () => {
  const { context, page } = await loggedIn(resources.browser, 'ciso');
  cleanups.push(() => context.close());
  await page.goto(`${redmineUrl}/projects/${project}/isms?upkeep_today=${TODAY}&framework=dora`);
  await page.waitForSelector('#upkeep-isms[data-state="failed"]', { timeout: 20000 });
  assert.match(await page.textContent('#upkeep-isms'), /framework: "dora" is not a framework the configuration follows/);
});
