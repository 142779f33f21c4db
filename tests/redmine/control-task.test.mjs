// Completing a control task in Chromium against the real Redmine: the evidence expected is shown (as
// text), files, links and the work date are recorded and the ticket closes; closing without evidence
// needs a deliberate tick and is marked so.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { credentials, field, issuesOf, loggedIn, owners, putConfig, redmineUrl, rest, scratchProject, suite, sync, upkeep, upkeepBin } from './harness.mjs';

const TODAY = '2026-11-22';
const dir = mkdtempSync(join(tmpdir(), 'upkeep-evidence-'));
const resources = suite({ withBrowser: true });
const cleanups = resources.cleanups;
let tickets;
let projectId;

before(async () => {
  const project = await scratchProject('evidence', [...owners, 'upkeep-bot']);
  projectId = project.identifier;
  cleanups.push(project.remove);
  const config = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15']));
  config.activities = config.activities.filter((a) => a.id === 'access-review');
  config.activities[0].evidence = '<b>Signed</b> user lists <img src=x onerror="window.__pwned=1">';
  const text = JSON.stringify(config, null, 2);
  await putConfig(project.identifier, text, 'evidence test');
  const synced = await sync(['--project', project.identifier, '--today', TODAY]);
  assert.equal(synced.status, 0, synced.stderr);
  tickets = (await issuesOf(project.identifier)).filter((i) => i.tracker.name === 'Control task')
    .sort((a, b) => a.due_date.localeCompare(b.due_date));
  assert.equal(tickets.length, 3);
});

async function openTask(id) {
  const { context, page } = await loggedIn(resources.browser, 'itops');
  cleanups.push(() => context.close());
  await page.goto(`${redmineUrl}/issues/${id}?upkeep_today=${TODAY}`);
  await page.waitForSelector('#upkeep-evidence[data-state="ready"]', { timeout: 20000 });
  return page;
}

test('the evidence expected is shown as text, never as HTML', async () => {
  const page = await openTask(tickets[0].id);
  const shown = await page.textContent('#upkeep-evidence .upkeep-evidence-expected');
  assert.match(shown, /<b>Signed<\/b> user lists <img src=x/);
  assert.equal(await page.$('#upkeep-evidence .upkeep-evidence-expected b'), null);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
});

test('completing with a file, a link and the work date closes the ticket with that record', async () => {
  const id = tickets[1].id;
  const page = await openTask(id);
  const file = join(dir, 'access-review-2026Q3.csv');
  writeFileSync(file, 'system,user,decision\nvpn,alice,keep\n');
  await page.setInputFiles('#upkeep-evidence input[name="evidence-files"]', file);
  await page.fill('#upkeep-evidence textarea[name="evidence-links"]', 'https://drive.example/review-q3');
  await page.fill('#upkeep-evidence textarea[name="evidence-note"]', 'Reviewed all 14 systems.');
  await page.fill('#upkeep-evidence input[name="done-on"]', '2026-08-04');
  await Promise.all([page.waitForNavigation(), page.click('#upkeep-evidence button[type="submit"]')]);

  const issue = (await rest('GET', `/issues/${id}.json?include=journals,attachments`)).body.issue;
  assert.equal(issue.status.name, 'Closed');
  assert.equal(field(issue, 'Evidence date'), '2026-08-04');
  assert.deepEqual(issue.attachments.map((a) => a.filename), ['access-review-2026Q3.csv']);
  assert.equal(field(issue, 'Evidence links'), 'https://drive.example/review-q3');
  const note = issue.journals.map((j) => j.notes).join('\n');
  assert.match(note, /Completed with evidence\. Work done on 2026-08-04\./);
  assert.match(note, /https:\/\/drive\.example\/review-q3/);
  assert.match(note, /Reviewed all 14 systems\./);
  await page.waitForSelector('#upkeep-evidence[data-state="ready"] .upkeep-complete[data-state="closed"]');
  // The page says whether it counts as on time, by the work date against the due date.
  const due = (await rest('GET', `/issues/${id}.json`)).body.issue.due_date;
  const late = Math.max(0, Math.round((Date.parse('2026-08-04') - Date.parse(due)) / 86400000));
  assert.equal(await page.getAttribute('.upkeep-complete', 'data-days-late'), String(late));
  assert.equal(await page.textContent('.upkeep-complete[data-state="closed"] > p'),
    late ? `Closed; work done on 2026-08-04: late by ${late} ${late === 1 ? 'day' : 'days'}.` : 'Closed; work done on 2026-08-04: on time.');
});

test('closing without evidence needs a deliberate tick and is marked so', async () => {
  const id = tickets[2].id;
  const page = await openTask(id);
  // The page is viewed as of TODAY, but the work date is written: its default and latest value are the real
  // date, never the view's.
  const realToday = await page.evaluate(() => new Date().toLocaleDateString('sv'));
  const doneOn = '#upkeep-evidence input[name="done-on"]';
  assert.deepEqual(await page.$eval(doneOn, (input) => [input.value, input.max]), [realToday, realToday]);
  await page.fill(doneOn, TODAY);
  await page.click('#upkeep-evidence button[type="submit"]');
  assert.match(await page.textContent('#upkeep-evidence .upkeep-form-message'), /Attach a file or a link, or tick/);
  assert.equal((await rest('GET', `/issues/${id}.json`)).body.issue.status.name, 'New');
  await page.check('#upkeep-evidence input[name="without-evidence"]');
  await Promise.all([page.waitForNavigation(), page.click('#upkeep-evidence button[type="submit"]')]);
  const issue = (await rest('GET', `/issues/${id}.json?include=journals`)).body.issue;
  assert.equal(issue.status.name, 'Closed');
  assert.match(issue.journals.map((j) => j.notes).join('\n'), /Completed WITHOUT evidence\. Work done on 2026-11-22\./);
});

test('upkeep status reads the completions from Redmine: the work date counts, evidence or not; the register links the evidence', async () => {
  const status = spawnSync(upkeepBin, ['status', '--url', redmineUrl, '--project', projectId, '--today', TODAY, '--json'],
    { encoding: 'utf8', env: { ...process.env, UPKEEP_API_KEY: credentials.api_keys.ciso } });
  assert.equal(status.status, 0, status.stderr);
  const reviews = JSON.parse(status.stdout).periods[0].occurrences.filter((o) => o.activity === 'access-review')
    .map((o) => [o.due, o.state, o.done_on, o.evidence]);
  assert.deepEqual(reviews.slice(0, 3), [
    ['2026-04-30', 'overdue', null, false],
    ['2026-07-31', 'late', '2026-08-04', true],
    ['2026-10-30', 'late', TODAY, false]]);
  const register = spawnSync(upkeepBin, ['status', '--url', redmineUrl, '--project', projectId, '--today', TODAY, '--register', 'json'],
    { encoding: 'utf8', env: { ...process.env, UPKEEP_API_KEY: credentials.api_keys.ciso } });
  assert.equal(register.status, 0, register.stderr);
  const rows = JSON.parse(register.stdout).occurrences.filter((o) => o.activity === 'access-review');
  const attachment = (await rest('GET', `/issues/${tickets[1].id}.json?include=attachments`)).body.issue.attachments[0];
  assert.equal(rows[1].evidence_links, `${attachment.content_url} https://drive.example/review-q3`);
  assert.equal(rows[1].ticket, `${redmineUrl}/issues/${tickets[1].id}`);
  assert.equal(rows[2].evidence_links, '', 'closed without evidence: nothing to link');
});

test('Upkeep\'s own fields stay off Redmine\'s forms and pages; a form that posts them changes nothing', async () => {
  const fields = Object.fromEntries((await rest('GET', '/custom_fields.json')).body.custom_fields.map((f) => [f.name, f.id]));
  const [key, state, impact, reference] = ['Upkeep key', 'Upkeep state', 'ISMS impact', 'ISMS reference'].map((name) => fields[name]);
  const before = (await rest('GET', `/issues/${tickets[0].id}.json`)).body.issue;
  const { context, page } = await loggedIn(resources.browser, 'ciso');
  cleanups.push(() => context.close());
  await page.goto(`${redmineUrl}/issues/${tickets[0].id}`);
  // The issue page: no key, no state; the other fields as before.
  assert.equal(await page.$(`#content .issue .attributes .cf_${key}`), null);
  assert.equal(await page.$(`#content .issue .attributes .cf_${state}`), null);
  assert.notEqual(await page.$(`#content .issue .attributes .cf_${reference}`), null);
  // Its edit form offers neither, nor a change's ISMS impact.
  assert.equal(await page.$(`#issue-form #issue_custom_field_values_${key}`), null);
  assert.equal(await page.$(`#issue-form #issue_custom_field_values_${state}`), null);
  assert.notEqual(await page.$(`#issue-form #issue_custom_field_values_${reference}`), null);
  // A form posted with them anyway (as a crafted page would): the subject changes, Upkeep's fields do not.
  const posted = await page.evaluate(async ({ id, key, state }) => {
    const form = new URLSearchParams({ _method: 'patch',
      authenticity_token: document.querySelector('meta[name="csrf-token"]').content,
      'issue[subject]': 'Access review (renamed on the form)',
      [`issue[custom_field_values][${key}]`]: 'control:forged:2027-01-01', [`issue[custom_field_values][${state}]`]: 'forged' });
    return (await fetch(`/issues/${id}`, { method: 'POST', body: form, redirect: 'manual' })).type;
  }, { id: tickets[0].id, key, state });
  assert.equal(posted, 'opaqueredirect'); // Redmine's answer to a saved form: back to the issue
  const after = (await rest('GET', `/issues/${tickets[0].id}.json`)).body.issue;
  assert.equal(after.subject, 'Access review (renamed on the form)');
  assert.equal(field(after, 'Upkeep key'), field(before, 'Upkeep key'));
  assert.equal(field(after, 'Upkeep state'), field(before, 'Upkeep state'));

  // A change ticket: its ISMS impact is shown, and set only by answering the prompt.
  const change = (await rest('POST', '/issues.json', { issue: { project_id: projectId, subject: 'Move the wiki',
    tracker_id: (await rest('GET', '/trackers.json')).body.trackers.find((t) => t.name === 'Change').id } }, 'itops')).body.issue;
  await page.goto(`${redmineUrl}/issues/${change.id}`);
  assert.notEqual(await page.$(`#content .issue .attributes .cf_${impact}`), null);
  assert.equal(await page.$(`#issue-form #issue_custom_field_values_${impact}`), null);
});
