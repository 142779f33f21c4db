// Evidence that expires, in Chromium against the real Redmine: a control task completed with the day its
// evidence is valid until records it; the sync then makes the renewal's ticket its renewal lead time before
// that day (and nothing on a rerun); evidence past its day counts against readiness until its renewal is
// done, in the ISMS tab as in `upkeep status`; the renewal's page says what it renews, and completing it
// puts the new day in force. The register and the review pack say the same.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { credentials, field, issuesOf, openAs, owners, putConfig, redmineUrl, rest, scratchProject, suite, sync, upkeep, upkeepBin, statusJson } from './harness.mjs';

const TODAY = '2026-11-22';
const resources = suite({ withBrowser: true });
const cleanups = resources.cleanups;
let project;

// Two yearly activities, each overdue by TODAY: a penetration test (due 2026-10-15, next 2027-10-15) and a
// supplier certificate check (due 2026-09-30, next 2027-09-30); renewals open 30 days before their day.
const yearly = (id, title, owner, month, day) => ({
  id, title, references: ['A.5.22'], owner, evidence: 'The report or certificate, with the day it expires.',
  lead_time_days: 14, renewal_lead_days: 30,
  cadence: { rrule: `FREQ=YEARLY;BYMONTH=${month};BYMONTHDAY=${day}`, start: '2026-04-01' } });

before(async () => {
  const scratch = await scratchProject('expiry', [...owners, 'upkeep-bot']);
  project = scratch.identifier;
  cleanups.push(scratch.remove);
  const config = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15']));
  config.activities = [yearly('pentest', 'Penetration test', 'secops', 10, 15), yearly('cert-check', 'Supplier certificate check', 'purchasing', 9, 30)];
  await putConfig(project, config, 'expiring evidence test');
  const synced = await sync(['--project', project, '--today', TODAY]);
  assert.equal(synced.status, 0, synced.stderr);
});

const keyed = async (key) => (await issuesOf(project)).find((i) => field(i, 'Upkeep key') === key);

const open = (login, path, ready) => openAs(resources, login, path, ready, TODAY);

/** Completes a control task in its page with a link, the work date and the day the evidence is valid until. */
async function complete(login, id, { doneOn, validUntil, link }) {
  const page = await open(login, `/issues/${id}`, '#upkeep-evidence[data-state="ready"]');
  await page.fill('#upkeep-evidence textarea[name="evidence-links"]', link);
  await page.fill('#upkeep-evidence input[name="done-on"]', doneOn);
  await page.fill('#upkeep-evidence input[name="valid-until"]', validUntil);
  await Promise.all([page.waitForNavigation(), page.click('#upkeep-evidence button[type="submit"]')]);
  await page.waitForSelector('#upkeep-evidence[data-state="ready"] .upkeep-complete[data-state="closed"]');
  return page;
}

const status = (login = 'ciso') => statusJson(project, TODAY, login);

test('a "valid until" day not after the work date is refused in the page, and nothing is written', async () => {
  const pentest = await keyed('control:pentest:2026-10-15');
  const page = await open('secops', `/issues/${pentest.id}`, '#upkeep-evidence[data-state="ready"]');
  await page.fill('#upkeep-evidence textarea[name="evidence-links"]', 'https://reports.example/pentest-2026');
  await page.fill('#upkeep-evidence input[name="done-on"]', '2026-10-14');
  await page.fill('#upkeep-evidence input[name="valid-until"]', '2026-10-14');
  await page.click('#upkeep-evidence button[type="submit"]');
  assert.equal(await page.textContent('#upkeep-evidence .upkeep-form-message'),
    'Give the last day the evidence is valid, after the day the work was done.');
  const issue = (await rest('GET', `/issues/${pentest.id}.json`)).body.issue;
  assert.equal(issue.status.name, 'New');
  assert.ok(!field(issue, 'Evidence valid until'), 'no day recorded');
});

test('completed with a day, the sync makes the renewal before it; past it, the evidence counts as expired', async () => {
  const pentest = await keyed('control:pentest:2026-10-15');
  const closed = await complete('secops', pentest.id, { doneOn: '2026-10-14', validUntil: '2026-12-10', link: 'https://reports.example/pentest-2026' });
  assert.match(await closed.textContent('.upkeep-valid-until'), /^The evidence is valid until .+\.$/);
  const certificate = await keyed('control:cert-check:2026-09-30');
  await complete('purchasing', certificate.id, { doneOn: '2026-09-29', validUntil: '2026-11-20', link: 'https://supplier.example/iso-cert.pdf' });
  const recorded = (await rest('GET', `/issues/${pentest.id}.json?include=journals`)).body.issue;
  assert.equal(field(recorded, 'Evidence valid until'), '2026-12-10');
  assert.match(recorded.journals.map((j) => j.notes).join('\n'), /The evidence is valid until 2026-12-10\./);

  // 2026-12-10 less 30 days is 2026-11-10, so both renewals are due a ticket by TODAY; the next regular
  // occurrences (October and September 2027) come after both days.
  const synced = await sync(['--project', project, '--today', TODAY, '--json']);
  assert.equal(synced.status, 0, synced.stderr);
  const renewal = await keyed('control:pentest:2026-12-10');
  assert.ok(renewal, 'the sync made the pentest renewal');
  assert.equal(renewal.subject, 'Renew the evidence: Penetration test (due 2026-12-10)');
  assert.equal(renewal.start_date, '2026-11-10');
  assert.equal(renewal.due_date, '2026-12-10');
  assert.equal(renewal.tracker.name, 'Control task');
  assert.match(renewal.description, /valid until 2026-12-10/);
  const expired = await keyed('control:cert-check:2026-11-20');
  assert.ok(expired, 'the sync made the certificate renewal, overdue');
  assert.equal(expired.subject, 'Renew the evidence: Supplier certificate check (due 2026-11-20)');
  const again = await sync(['--project', project, '--today', TODAY, '--json']);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.json.creates, 0, again.stdout);

  // The CLI: the certificate's renewal is fix first as expired evidence, counted in y once.
  const cli = status();
  const fix = cli.next_audit.fix_first.filter((i) => i.kind === 'expired_evidence');
  assert.deepEqual(fix.map((i) => [i.what, i.ticket_id]), [[
    'The evidence of Supplier certificate check expired on 2026-11-20; its renewal is overdue by 2 days (purchasing)', expired.id]]);
  assert.deepEqual(cli.expiring_evidence.map((e) => [e.activity, e.ticket_id, e.valid_until, e.expired, e.text]), [
    ['cert-check', certificate.id, '2026-11-20', true, 'expired on 2026-11-20 (2 days ago)'],
    ['pentest', pentest.id, '2026-12-10', false, 'valid until 2026-12-10 (18 days left)']]);

  // The ISMS tab says the same: readiness, the glance, the list of what expires, fix first.
  const tab = await open('ciso', `/projects/${project}/isms`, '#upkeep-isms .upkeep-status[data-state="ready"]');
  const glance = await tab.$eval('.upkeep-readiness', (e) => ({ done: e.dataset.done, counted: e.dataset.counted }));
  assert.deepEqual(glance, { done: String(cli.next_audit.readiness.done), counted: String(cli.next_audit.readiness.counted) });
  assert.equal(await tab.getAttribute('.upkeep-figures li[data-figure="expired-evidence"]', 'data-value'), '1');
  assert.match(await tab.textContent('.upkeep-figures li[data-figure="expired-evidence"]'), /1 piece of evidence expired/);
  const rows = await tab.$$eval('#upkeep-expiring-evidence tr[data-activity]', (trs) => trs.map((tr) => [tr.dataset.activity, tr.dataset.expired,
    tr.querySelector('td:nth-child(2)').textContent, tr.querySelector('a')?.getAttribute('href')]));
  assert.equal(rows.length, 2, JSON.stringify(rows));
  assert.deepEqual(rows.map(([a, e, , href]) => [a, e, href]), [['cert-check', 'true', `/issues/${certificate.id}`], ['pentest', 'false', `/issues/${pentest.id}`]]);
  assert.match(rows[0][2], /^✕ expired on .+ \(2 days ago\)$/);
  assert.match(rows[1][2], /^✓ valid until .+ \(18 days left\)$/);
  const items = await tab.$$eval('.upkeep-fix-first li[data-kind="expired_evidence"]', (lis) => lis.map((li) => li.textContent));
  assert.equal(items.length, 1);
  assert.match(items[0], /The evidence of Supplier certificate check expired on .+; its renewal is overdue by 2 days/);
});

test('the renewal says what it renews; completed, its new day is in force and nothing has expired', async () => {
  const before = status();
  const renewal = await keyed('control:cert-check:2026-11-20');
  const page = await open('purchasing', `/issues/${renewal.id}`, '#upkeep-evidence[data-state="ready"]');
  assert.match(await page.textContent('#upkeep-evidence .upkeep-renewal'), /^This task renews evidence that is valid until .+: complete it with the new evidence/);
  await complete('purchasing', renewal.id, { doneOn: TODAY, validUntil: '2027-11-20', link: 'https://supplier.example/iso-cert-2027.pdf' });

  const after = status();
  assert.deepEqual(after.next_audit.fix_first.filter((i) => i.kind === 'expired_evidence'), []);
  assert.equal(after.next_audit.readiness.done, before.next_audit.readiness.done + 1, 'the renewal counts as done (late)');
  assert.equal(after.next_audit.readiness.counted, before.next_audit.readiness.counted);
  const certificate = after.expiring_evidence.find((e) => e.activity === 'cert-check');
  assert.deepEqual([certificate.ticket_id, certificate.valid_until, certificate.expired], [renewal.id, '2027-11-20', false]);
  // Valid until 2027-11-20, after the next check (2027-09-30): the cadence renews it, no new renewal.
  const synced = await sync(['--project', project, '--today', TODAY, '--json']);
  assert.equal(synced.json.creates, 0, synced.stdout);

  const tab = await open('ciso', `/projects/${project}/isms`, '#upkeep-isms .upkeep-status[data-state="ready"]');
  assert.equal(await tab.getAttribute('.upkeep-figures li[data-figure="expired-evidence"]', 'data-value'), '0');
  assert.equal(await tab.getAttribute('#upkeep-expiring-evidence', 'data-expired'), '0');

  // The register marks the renewal and the day each evidence is valid until; the review pack lists them.
  const env = { ...process.env, UPKEEP_API_KEY: credentials.api_keys.ciso };
  const register = spawnSync(upkeepBin, ['status', '--url', redmineUrl, '--project', project, '--today', TODAY, '--register', 'csv'],
    { encoding: 'utf8', env });
  assert.equal(register.status, 0, register.stderr);
  const lines = register.stdout.split('\r\n');
  assert.equal(lines[0], 'activity,title,references,owner,due,done_on,closed_on,evidence,evidence_links,valid_until,renewal,result,ticket');
  const renewed = lines.find((l) => l.startsWith('cert-check,Renew the evidence: Supplier certificate check,'));
  assert.match(renewed, new RegExp(`,2026-11-20,${TODAY},\\d{4}-\\d\\d-\\d\\d,yes,https://supplier\\.example/iso-cert-2027\\.pdf,2027-11-20,yes,late,`));
  const pack = spawnSync(upkeepBin, ['status', '--url', redmineUrl, '--project', project, '--today', TODAY, '--review-pack'], { encoding: 'utf8', env });
  assert.equal(pack.status, 0, pack.stderr);
  assert.match(pack.stdout, /### Evidence that expires\n\n\| activity \| evidence \| ticket \|\n\|---\|---\|---\|\n\| Penetration test \| valid until 2026\\-12\\-10 \\\(18 days left\\\) \|/);
});
