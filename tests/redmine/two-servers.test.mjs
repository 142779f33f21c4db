// Two application processes of one Redmine on one database, as production runs it behind a proxy: the
// harness's server and a second one started here on another port. Sync now pressed on both while
// `upkeep sync` runs makes every ticket once; two people answering one change through different processes
// end with one consistent record. Run on PostgreSQL (ctest's pgsql-two-servers); needs root.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { issuesOf, field, loggedIn, owners, putConfig, redmineUrl, rest, scratchProject, startRedmineServer, suite, sync,
  upkeep } from './harness.mjs';
import { addDays, changeSteps, today } from './change-steps.mjs';

const resources = suite({ withBrowser: true });
const cleanups = resources.cleanups;
const secondPort = Number(new URL(redmineUrl).port) + 100;
let second;
let project;
let config;

before(async () => {
  second = await startRedmineServer(secondPort);
  cleanups.push(second.stop);
  const scratch = await scratchProject('two-servers', [...owners, 'upkeep-bot']);
  project = scratch.identifier;
  cleanups.push(scratch.remove);
  config = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15']));
  await putConfig(project, config, 'two servers test');
});

async function ismsTab(base) {
  const { context, page } = await loggedIn(resources.browser, 'ciso', base);
  cleanups.push(() => context.close());
  await page.goto(`${base}/projects/${project}/isms`);
  await page.waitForSelector('#upkeep-isms[data-state="ready"]', { timeout: 30000 });
  return page;
}

async function syncNow(page) {
  await page.click('#upkeep-isms button.upkeep-sync');
  await page.waitForSelector('.upkeep-sync-output:is([data-state="synced"], [data-state="failed"])', { timeout: 120000 });
  return { state: await page.getAttribute('.upkeep-sync-output', 'data-state'), text: await page.textContent('.upkeep-sync-output') };
}

test('Sync now on both processes while `upkeep sync` runs: every ticket made once', async () => {
  const pages = await Promise.all([ismsTab(redmineUrl), ismsTab(second.url)]);
  const [cli, ...presses] = await Promise.all([sync(['--project', project, '--json']), ...pages.map(syncNow)]);
  const runs = [cli.status === 0 ? 'done' : cli.status === 7 ? 'lease held' : `exit ${cli.status}: ${cli.stderr}`,
    ...presses.map((p) => (p.state === 'synced' ? 'done' : /another sync is running/.test(p.text) ? 'lease held' : p.text))];
  assert.ok(runs.every((r) => r === 'done' || r === 'lease held'), runs.join('\n'));
  assert.ok(runs.includes('done'), runs.join('\n'));

  const made = await issuesOf(project);
  const keys = made.map((issue) => field(issue, 'Upkeep key'));
  assert.ok(keys.length > 0);
  assert.equal(new Set(keys).size, keys.length, `no ticket twice: ${keys.filter((k, i) => keys.indexOf(k) !== i)}`);
  // Whoever held the lease did the whole job: a sync now has nothing left to write.
  const after = await sync(['--project', project, '--json']);
  assert.equal(after.status, 0, after.stderr);
  assert.equal(after.json.writes, 0);
});

test('two people answering one change through different processes end with one consistent record', async () => {
  const changeTracker = (await rest('GET', '/trackers.json')).body.trackers.find((t) => t.name === 'Change');
  const steps = changeSteps(resources, project, config, changeTracker);
  const change = await steps.newChange('Move payroll to a new provider', { due_date: addDays(today, 20) });
  const [a, b] = await Promise.all([steps.openChange(change.id, 'itops', redmineUrl),
    steps.openChange(change.id, 'ciso', second.url)]);
  const answersA = { 'new-supplier': 'yes', data: 'personal' };
  const answersB = { 'new-site': 'yes' };
  await Promise.all([steps.answer(a, answersA), steps.answer(b, answersB)]);
  await steps.oneConsistentRecord(change, [a, b], [answersA, answersB], addDays(today, 20));
});
