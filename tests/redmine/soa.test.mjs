// The Statement of Applicability in Chromium against the real Redmine: it lives in the configuration's
// wiki page, the ISMS tab shows its drift (the same as `upkeep status`) with typed text as text, its
// exports download for the auditor, an import whose SoA has errors is refused before anything is stored,
// the SoA review's ticket, once completed, links the page's version that holds the SoA it approved, and
// the follow-ups of a change on the scope and the SoA link the tab's SoA.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changeSteps } from './change-steps.mjs';
import { field, issuesOf, loggedIn, owners, putConfig, redmineUrl, rest, scratchProject, statusJson, suite, sync, upkeep, wikiPage } from './harness.mjs';

const TODAY = '2026-11-22';
const resources = suite({ withBrowser: true });
const cleanups = resources.cleanups;
let project;
let config;

const control = (id) => config.soa.controls.find((c) => c.id === id);

before(async () => {
  const scratch = await scratchProject('soa', [...owners, 'upkeep-bot', 'auditor']);
  project = scratch.identifier;
  cleanups.push(scratch.remove);
  config = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15', '--organisation', 'SoA Ltd']));
  config.soa.approved_by = 'ceo';
  config.soa.approved_on = '2026-04-01';
  Object.assign(control('A.8.11'), { status: 'planned', planned_for: '2026-11-01', title: '<img src=x onerror="window.__pwned=1">Masking' });
  // No premises: the walkthrough's controls are excluded (its references to them are warnings).
  for (const id of ['A.7.4', 'A.7.6']) {
    Object.assign(control(id), { applicable: false, justification: 'Fully remote: no premises of our own.', reviewed_on: '2026-03-20' });
    for (const key of ['reasons', 'status']) delete control(id)[key];
  }
  await putConfig(project, config, 'SoA test');
  const synced = await sync(['--project', project, '--today', TODAY]);
  assert.equal(synced.status, 0, synced.stderr);
});

async function openTab(login = 'ciso') {
  const { context, page } = await loggedIn(resources.browser, login);
  cleanups.push(() => context.close());
  await page.goto(`${redmineUrl}/projects/${project}/isms?upkeep_today=${TODAY}`);
  await page.waitForSelector('#upkeep-isms:not([data-state="loading"])', { timeout: 20000 });
  assert.equal(await page.getAttribute('#upkeep-isms', 'data-state'), 'ready', await page.textContent('#upkeep-isms'));
  return page;
}

test('the tab shows the SoA and its drift, as upkeep status computes it, typed text as text', async () => {
  const page = await openTab();
  // The approver by name and the day as Redmine writes them for this user.
  assert.match(await page.textContent('#upkeep-soa .upkeep-soa-summary'), /^Version 0\.1, approved by \S.* on \S.*\. 91 of 93 Annex A controls apply: 45 implemented, 0 partly, 1 planned, 45 not implemented; 2 excluded\.$/);
  const rows = await page.$$eval('#upkeep-soa tr[data-kind]', (trs) => trs.map((tr) => ({
    kind: tr.dataset.kind, control: tr.dataset.control, what: tr.children[2].textContent, ticket: tr.querySelector('a')?.getAttribute('href') ?? null })));
  // The same drift, in the same order, as the command computes from the same tickets.
  const expected = (await statusJson(project, TODAY)).soa_drift;
  assert.deepEqual(rows.map((r) => [r.kind, r.control, r.what]), expected.map((d) => [d.kind, d.control, d.what]));
  const planned = rows.find((r) => r.control === 'A.8.11');
  assert.equal(planned.kind, 'planned_past_date');
  assert.equal(planned.what, 'A.8.11 (<img src=x onerror="window.__pwned=1">Masking) was planned to be in place by 2026-11-01 (21 days ago)');
  assert.equal(await page.$('#upkeep-soa img'), null, 'a typed title is text');
  // Nothing was done: the access review's controls are behind, each with its oldest overdue ticket.
  const behind = rows.find((r) => r.kind === 'activity_behind' && r.control === 'A.5.18');
  assert.match(behind.ticket, /\/issues\/\d+$/);
  assert.equal(await page.getAttribute('#upkeep-soa', 'data-drift'), String(rows.length));
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
});

test('the SoA downloads for the auditor: CSV rows for every control, an HTML page with the approval', async () => {
  const page = await openTab('auditor');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('.upkeep-other-formats a.upkeep-export-soa-csv')]);
  assert.equal(csv.suggestedFilename(), 'statement-of-applicability-0.1.csv');
  const rows = readFileSync(await csv.path(), 'utf8').trimEnd().split('\r\n');
  assert.equal(rows.length, 94);
  assert.match(rows.find((r) => r.startsWith('A.7.4,')), /^A\.7\.4,[^,]+,no,,Fully remote: no premises of our own\.,/);
  assert.match(rows.find((r) => r.startsWith('A.5.18,')), new RegExp(`,access-review privileged-access-review joiner-mover-leaver-audit,.*${redmineUrl}/issues/\\d+`));
  const [html] = await Promise.all([page.waitForEvent('download'), page.click('.upkeep-other-formats a.upkeep-export-soa-html')]);
  const text = readFileSync(await html.path(), 'utf8');
  assert.match(text, /<h1>Statement of Applicability: SoA Ltd<\/h1>/);
  assert.match(text, /Version 0\.1, approved by ceo on 2026-04-01\./);
  assert.doesNotMatch(text, /<img/);
});

test('an import whose SoA has errors is refused at its pointers, and nothing is stored', async () => {
  const page = await openTab();
  const before = await wikiPage(project, 'ISMS_configuration');
  const broken = structuredClone(config);
  broken.soa.controls = broken.soa.controls.filter((c) => c.id !== 'A.5.3');
  Object.assign(broken.soa.controls.find((c) => c.id === 'A.7.4'), { justification: '' });
  const file = join(mkdtempSync(join(tmpdir(), 'upkeep-soa-')), 'broken-soa.json');
  writeFileSync(file, JSON.stringify(broken, null, 2));
  await page.setInputFiles('#upkeep-isms input.upkeep-import-file', file);
  await page.waitForSelector('.upkeep-transfer-message li[data-pointer="/soa/controls"]');
  const pointers = await page.$$eval('.upkeep-transfer-message li[data-pointer]', (items) => items.map((li) => li.dataset.pointer));
  assert.ok(pointers.some((p) => /^\/soa\/controls\/\d+\/justification$/.test(p)), pointers.join(' '));
  assert.match(await page.textContent('.upkeep-transfer-message li[data-pointer="/soa/controls"]'), /misses 1 Annex A control \(A\.5\.3\)/);
  assert.equal((await wikiPage(project, 'ISMS_configuration')).version, before.version, 'nothing was written');
});

test('completing the SoA review links the configuration page\'s version that holds the SoA', async () => {
  const review = (await issuesOf(project)).find((i) => field(i, 'Upkeep key')?.startsWith('control:soa-review:'));
  assert.ok(review, 'the sync made the SoA review\'s ticket');
  const { context, page } = await loggedIn(resources.browser, 'ciso');
  cleanups.push(() => context.close());
  await page.goto(`${redmineUrl}/issues/${review.id}?upkeep_today=${TODAY}`);
  await page.waitForSelector('#upkeep-evidence[data-state="ready"]', { timeout: 30000 });
  await page.fill('#upkeep-evidence textarea[name="evidence-links"]', 'https://docs.example/soa-0.1.pdf');
  await page.fill('#upkeep-evidence input[name="done-on"]', '2026-11-20');
  await Promise.all([page.waitForNavigation(), page.click('#upkeep-evidence button[type="submit"]')]);
  await page.waitForSelector('#upkeep-evidence[data-state="ready"] .upkeep-complete[data-state="closed"]');
  const { version } = await wikiPage(project, 'ISMS_configuration');
  const notes = (await rest('GET', `/issues/${review.id}.json?include=journals`)).body.issue.journals.map((j) => j.notes).join('\n');
  assert.ok(notes.includes('Statement of Applicability in force: version 0.1, approved by ceo on 2026-04-01; the configuration as of '
    + `wiki page ISMS_configuration, version ${version} (${redmineUrl}/projects/${project}/wiki/ISMS_configuration/${version}).`), notes);
});

test('the follow-ups of a change on the scope and the SoA link the ISMS tab\'s SoA', async () => {
  const changeTracker = (await rest('GET', '/trackers.json')).body.trackers.find((t) => t.name === 'Change');
  const steps = changeSteps(resources, project, config, changeTracker);
  const change = await steps.newChange('Open an office in Lyon');
  await steps.answer(await steps.openChange(change.id), { 'new-site': 'yes' });
  const followUps = await steps.followUpsOf(change.id);
  const link = `The Statement of Applicability, with the exclusions to review after this change: ${redmineUrl}/projects/${project}/isms#upkeep-soa`;
  const scope = followUps.find((i) => field(i, 'Upkeep key') === `change:${change.id}:scope-review`);
  assert.ok(scope?.description.endsWith(link), scope?.description);
  const others = followUps.filter((i) => !/:(scope|soa)-review$/.test(field(i, 'Upkeep key')));
  assert.ok(others.length > 0);
  for (const other of others) assert.ok(!other.description.includes(link), field(other, 'Upkeep key'));
});
