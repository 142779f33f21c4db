// Supplier reviews, against the real Redmine: the setup's "Supplier" tracker holds the register (one ticket
// per supplier, its criticality, owner and contract end); the sync makes each supplier's review tickets on
// its criticality's cadence and before its contract ends, assigned to the supplier's owner, never touching
// the supplier's own ticket; the status (the CLI's and the ISMS tab's in Chromium) counts them; the review's
// page completes it; "Preview sync" in the browser plans what the CLI plans; a supplier renamed renames its
// open review, and one that leaves the register stops being reviewed. On a change ticket, the prompt's
// "Assess the supplier" follow-up adds the new supplier the change brings in to the register, or links one
// of the register, to the change.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { field, issuesOf, nameOf, openAs, owners, putConfig, rest, scratchProject, statusJson, suite, sync, upkeep }
  from './harness.mjs';
import { changeSteps, today as localToday } from './change-steps.mjs';

const TODAY = '2026-11-22';
const resources = suite({ withBrowser: true });
const cleanups = resources.cleanups;
let project;
let config;
const suppliers = {};

/** Adds a supplier to the register as the purchasing lead would, in the Supplier tracker. */
async function addSupplier(name, { criticality, assignee, start, contractEnd }) {
  const trackers = (await rest('GET', '/trackers.json')).body.trackers;
  const fields = (await rest('GET', '/custom_fields.json')).body.custom_fields;
  const fieldId = (n) => fields.find((f) => f.name === n).id;
  const ids = Object.fromEntries(await Promise.all(owners.map(async (o) => [o, (await rest('GET', `/users.json?name=${o}`)).body.users
    .find((u) => u.login === o).id])));
  const custom = [{ id: fieldId('Criticality'), value: criticality }, { id: fieldId('Service'), value: `${name} service` }];
  if (contractEnd) custom.push({ id: fieldId('Contract end'), value: contractEnd });
  const made = await rest('POST', '/issues.json', { issue: {
    project_id: project, tracker_id: trackers.find((t) => t.name === 'Supplier').id, subject: name, start_date: start,
    assigned_to_id: assignee ? ids[assignee] : undefined, custom_fields: custom } }, 'purchasing');
  assert.equal(made.status, 201, JSON.stringify(made.body));
  return made.body.issue;
}

before(async () => {
  const scratch = await scratchProject('suppliers', [...owners, 'upkeep-bot']);
  project = scratch.identifier;
  cleanups.push(scratch.remove);
  config = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15']));
  config.activities = config.activities.filter((a) => a.id === 'access-review');
  // The starter's cadences: critical yearly and 90 days before the contract ends, high every two years.
  assert.deepEqual(config.suppliers.reviews.critical, { rrule: 'FREQ=YEARLY', before_contract_end_days: 90 });
  assert.equal(config.suppliers.owner, 'purchasing');
  await putConfig(project, config, 'supplier reviews test');
  // PayCloud: its anniversary 2026-12-01 opens on 2026-11-01; 2027-02-14 less 90 days is 2026-11-16, overdue.
  suppliers.paycloud = await addSupplier('PayCloud', { criticality: 'Critical', assignee: 'secops', start: '2025-12-01', contractEnd: '2027-02-14' });
  // PrintCo: every two years from 2024-12-10, so 2026-12-10, open from 2026-11-10; nobody named: purchasing.
  suppliers.printco = await addSupplier('PrintCo', { criticality: 'High', start: '2024-12-10' });
  // Snacks Ltd: every three years from 2025-06-01: nothing before 2028.
  suppliers.snacks = await addSupplier('Snacks Ltd', { criticality: 'Normal', start: '2025-06-01' });
  // Catering, owned by the CEO, who then leaves the project: its review (2026-11-25) gets no ticket.
  suppliers.catering = await addSupplier('Boardroom Catering', { criticality: 'Critical', assignee: 'ceo', start: '2025-11-25' });
  const memberships = (await rest('GET', `/projects/${project}/memberships.json?limit=100`)).body.memberships;
  const ceo = (await rest('GET', '/users.json?name=ceo')).body.users.find((u) => u.login === 'ceo');
  assert.equal((await rest('DELETE', `/memberships/${memberships.find((m) => m.user?.id === ceo.id).id}.json`)).status, 204);
});

const keyed = async (key) => (await issuesOf(project)).find((i) => field(i, 'Upkeep key') === key);

const status = () => statusJson(project, TODAY);

const open = (login, path, ready) => openAs(resources, login, path, ready, TODAY);

test('the sync makes each supplier\'s reviews, assigned to its owner, and leaves the register alone', async () => {
  const synced = await sync(['--project', project, '--today', TODAY, '--json']);
  assert.equal(synced.status, 0, synced.stderr);
  const ceo = await nameOf('ceo');
  assert.ok(synced.json.notices.some((n) => n.includes(`Supplier review: Boardroom Catering (due 2026-11-25): "${ceo}" is not a member of the project, so it is skipped`)),
    JSON.stringify(synced.json.notices));
  const reviews = (await issuesOf(project)).filter((i) => field(i, 'Upkeep key')?.startsWith('control:supplier-'));
  const seen = reviews.map((i) => [field(i, 'Upkeep key'), i.subject, i.assigned_to?.name ?? null, i.start_date, i.tracker.name]).sort();
  const pc = suppliers.paycloud.id;
  const print = suppliers.printco.id;
  assert.deepEqual(seen, [
    [`control:supplier-${pc}:2026-11-16`, 'Supplier review: PayCloud (due 2026-11-16)', await nameOf('secops'), '2026-10-17', 'Control task'],
    [`control:supplier-${pc}:2026-12-01`, 'Supplier review: PayCloud (due 2026-12-01)', await nameOf('secops'), '2026-11-01', 'Control task'],
    [`control:supplier-${print}:2026-12-10`, 'Supplier review: PrintCo (due 2026-12-10)', await nameOf('purchasing'), '2026-11-10', 'Control task'],
  ].sort());
  const review = reviews.find((i) => field(i, 'Upkeep key') === `control:supplier-${pc}:2026-12-01`);
  assert.match(review.description, /Criticality: critical\. Is the service/);
  assert.deepEqual(field(review, 'ISMS reference'), 'A.5.19, A.5.20, A.5.22');

  const again = await sync(['--project', project, '--today', TODAY, '--json']);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.json.creates, 0, again.stdout);
  for (const supplier of Object.values(suppliers)) {
    const now = (await rest('GET', `/issues/${supplier.id}.json?include=journals`)).body.issue;
    assert.deepEqual([now.journals.length, now.subject, now.status.name], [0, supplier.subject, 'New'], 'the supplier\'s ticket is not touched');
  }
});

test('the status counts the reviews: the overdue one is fix first, in the ISMS tab as in upkeep status', async () => {
  const cli = status();
  const pc = suppliers.paycloud.id;
  const fix = cli.next_audit.fix_first.filter((i) => i.activity === `supplier-${pc}`);
  assert.deepEqual(fix.map((i) => [i.kind, i.days_late, i.activity_title]), [['overdue_occurrence', 6, 'Supplier review: PayCloud']]);

  const tab = await open('ciso', `/projects/${project}/isms`, '#upkeep-isms .upkeep-status[data-state="ready"]');
  const glance = await tab.$eval('.upkeep-readiness', (e) => ({ done: e.dataset.done, counted: e.dataset.counted }));
  assert.deepEqual(glance, { done: String(cli.next_audit.readiness.done), counted: String(cli.next_audit.readiness.counted) });
  const items = await tab.$$eval('.upkeep-fix-first li', (lis) => lis.map((li) => li.textContent));
  assert.ok(items.some((t) => /Supplier review: PayCloud/.test(t)), JSON.stringify(items));
  // The next 90 days list the reviews of the register too, as the sync makes them.
  const due = await tab.$$eval('#upkeep-isms tr[data-activity^="supplier-"]', (rows) => rows.map((r) => `${r.dataset.due} ${r.dataset.activity}`));
  for (const expected of [`2026-12-01 supplier-${pc}`, `2026-12-10 supplier-${suppliers.printco.id}`])
    assert.ok(due.includes(expected), `${expected} in ${JSON.stringify(due)}`);
});

test('a review is completed in its page like any control task', async () => {
  const before = status();
  const review = await keyed(`control:supplier-${suppliers.paycloud.id}:2026-11-16`);
  const page = await open('secops', `/issues/${review.id}`, '#upkeep-evidence[data-state="ready"]');
  assert.match(await page.textContent('#upkeep-evidence .upkeep-evidence-expected'), /The review's notes with findings and actions/);
  await page.fill('#upkeep-evidence textarea[name="evidence-links"]', 'https://wiki.example/suppliers/paycloud-2026');
  await page.fill('#upkeep-evidence input[name="done-on"]', TODAY);
  await Promise.all([page.waitForNavigation(), page.click('#upkeep-evidence button[type="submit"]')]);
  await page.waitForSelector('#upkeep-evidence[data-state="ready"] .upkeep-complete[data-state="closed"]');
  const after = status();
  assert.equal(after.next_audit.readiness.done, before.next_audit.readiness.done + 1);
  assert.deepEqual(after.next_audit.fix_first.filter((i) => i.activity === `supplier-${suppliers.paycloud.id}`), []);
});

test('renamed, a supplier\'s open review is renamed (the browser plans it as the CLI does); gone, its later reviews stop', async () => {
  const renamed = await rest('PUT', `/issues/${suppliers.printco.id}.json`, { issue: { subject: 'PrintCo Europe' } }, 'purchasing');
  assert.equal(renamed.status, 204);
  const plan = await sync(['--project', project, '--today', TODAY, '--dry-run', '--json']);
  assert.equal(plan.status, 0, plan.stderr);
  const key = `control:supplier-${suppliers.printco.id}:2026-12-10`;
  assert.deepEqual(plan.json.actions.map((a) => `${a.action} ${a.key}`), [`update ${key}`]);

  // The browser plans as of the local date (never a URL's): the CLI is given the same day.
  const now = new Date();
  const local = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n, i) => String(n).padStart(i ? 2 : 4, '0')).join('-');
  const localPlan = await sync(['--project', project, '--today', local, '--dry-run', '--json']);
  assert.equal(localPlan.status, 0, localPlan.stderr);
  const planned = localPlan.json.actions.map((a) => `${a.action} ${a.key}`).sort();
  assert.ok(planned.includes(`update ${key}`), JSON.stringify(planned));
  const tab = await open('ciso', `/projects/${project}/isms`, '#upkeep-isms[data-state="ready"]');
  await tab.click('#upkeep-isms button.upkeep-preview');
  await tab.waitForSelector('.upkeep-sync-output[data-state="previewed"]', { timeout: 20000 });
  const previewed = await tab.$$eval('.upkeep-sync-output li[data-key]', (items) => items.map((li) => `${li.dataset.kind} ${li.dataset.key}`).sort());
  assert.deepEqual(previewed, planned, 'the browser reads the register and plans what the CLI plans');

  const applied = await sync(['--project', project, '--today', TODAY, '--json']);
  assert.equal(applied.status, 0, applied.stderr);
  assert.equal((await keyed(key)).subject, 'Supplier review: PrintCo Europe (due 2026-12-10)');

  // PayCloud leaves the register today: the review due before stays (no note on it), and its next
  // anniversary (1 December after today), which a dry run 10 days before it plans while it is a supplier,
  // is planned no more.
  const year = Number(local.slice(0, 4)) + (local.slice(5) >= '12-01' ? 1 : 0);
  const next = `control:supplier-${suppliers.paycloud.id}:${year}-12-01`;
  const plans = async () => {
    const run = await sync(['--project', project, '--today', `${year}-11-21`, '--dry-run', '--json']);
    assert.equal(run.status, 0, run.stderr);
    return run.json.actions.filter((a) => a.action === 'create').map((a) => a.key);
  };
  assert.ok((await plans()).includes(next));
  const statuses = (await rest('GET', '/issue_statuses.json')).body.issue_statuses;
  const closed = await rest('PUT', `/issues/${suppliers.paycloud.id}.json`, { issue: { status_id: statuses.find((s) => s.is_closed).id } }, 'purchasing');
  assert.equal(closed.status, 204);
  const gone = await sync(['--project', project, '--today', TODAY, '--json']);
  assert.equal(gone.status, 0, gone.stderr);
  assert.deepEqual([gone.json.creates, gone.json.comments], [0, 0]);
  assert.ok(!(await plans()).includes(next));
});

test('a change that brings in a supplier adds it to the register, or links one of the register', async () => {
  const changeTracker = (await rest('GET', '/trackers.json')).body.trackers.find((t) => t.name === 'Change');
  const steps = changeSteps(resources, project, config, changeTracker);
  const register = async () => (await issuesOf(project)).filter((i) => i.tracker.name === 'Supplier');
  const before = (await register()).length;

  const change = await steps.newChange('Move payroll to NewPay');
  let page = await steps.openChange(change.id);
  await steps.answer(page, { 'new-supplier': 'yes' });
  page = await steps.openChange(change.id);
  if (!(await page.$eval('#upkeep-change details', (d) => d.open))) await page.click('#upkeep-change summary');
  const offered = await page.$$eval('#upkeep-change li[data-follow-up="supplier-assessment"] select[name="supplier-ticket"] option',
    (options) => options.map((o) => o.textContent));
  assert.ok(offered.includes(`#${suppliers.snacks.id} Snacks Ltd`), JSON.stringify(offered));
  await page.click('#upkeep-change .upkeep-link-supplier');
  assert.match(await page.textContent('#upkeep-change .upkeep-change-supplier .upkeep-form-message'), /give the new supplier's name/);
  await page.fill('#upkeep-change input[name="supplier-name"]', 'NewPay <b>GmbH</b>');
  await Promise.all([page.waitForNavigation(), page.click('#upkeep-change .upkeep-link-supplier')]);
  await page.waitForSelector('#upkeep-change .upkeep-change-supplier[data-state="linked"]', { timeout: 30000 });
  assert.match(await page.textContent('#upkeep-change .upkeep-change-supplier'), /^Supplier in the register: #\d+ NewPay <b>GmbH<\/b>$/);

  const added = (await register()).filter((i) => i.subject === 'NewPay <b>GmbH</b>');
  assert.equal(added.length, 1);
  assert.deepEqual([field(added[0], 'Upkeep key'), added[0].assigned_to?.name, added[0].start_date, added[0].author.login ?? added[0].author.name],
    [`supplier:${change.id}:supplier-assessment`, await nameOf('purchasing'), localToday, await nameOf('itops')]);
  const relations = (await steps.changeNow(change.id)).relations;
  assert.ok(relations.some((r) => [r.issue_id, r.issue_to_id].includes(added[0].id) && r.relation_type === 'relates'), JSON.stringify(relations));

  // Another change brings in a supplier of the register: linked, nothing added.
  const second = await steps.newChange('Snacks for the new office');
  page = await steps.openChange(second.id);
  await steps.answer(page, { 'new-supplier': 'yes' });
  page = await steps.openChange(second.id);
  if (!(await page.$eval('#upkeep-change details', (d) => d.open))) await page.click('#upkeep-change summary');
  await page.selectOption('#upkeep-change select[name="supplier-ticket"]', String(suppliers.snacks.id));
  await Promise.all([page.waitForNavigation(), page.click('#upkeep-change .upkeep-link-supplier')]);
  await page.waitForSelector('#upkeep-change .upkeep-change-supplier[data-state="linked"]', { timeout: 30000 });
  assert.equal((await register()).length, before + 1, 'only NewPay was added');
  const snacks = (await rest('GET', `/issues/${suppliers.snacks.id}.json?include=relations,journals`)).body.issue;
  assert.ok(snacks.relations.some((r) => [r.issue_id, r.issue_to_id].includes(second.id)));
  // Its own fields are not edited: its history holds the relation, which Redmine journals on both tickets.
  assert.deepEqual(snacks.journals.flatMap((j) => j.details.map((d) => d.property)), ['relation']);

  // A link stopped after the new supplier's ticket was made (made here as the prompt makes it): the next
  // link finds that ticket by its key and links it, and makes no second one.
  const third = await steps.newChange('Courier for the archive boxes');
  page = await steps.openChange(third.id);
  await steps.answer(page, { 'new-supplier': 'yes' });
  const fields = (await rest('GET', '/custom_fields.json')).body.custom_fields;
  const trackers = (await rest('GET', '/trackers.json')).body.trackers;
  const made = await rest('POST', '/issues.json', { issue: { project_id: project, tracker_id: trackers.find((t) => t.name === 'Supplier').id,
    subject: 'FastCourier', custom_fields: [{ id: fields.find((f) => f.name === 'Upkeep key').id, value: `supplier:${third.id}:supplier-assessment` }] } }, 'itops');
  assert.equal(made.status, 201);
  page = await steps.openChange(third.id);
  if (!(await page.$eval('#upkeep-change details', (d) => d.open))) await page.click('#upkeep-change summary');
  await page.fill('#upkeep-change input[name="supplier-name"]', 'FastCourier');
  await Promise.all([page.waitForNavigation(), page.click('#upkeep-change .upkeep-link-supplier')]);
  await page.waitForSelector('#upkeep-change .upkeep-change-supplier[data-state="linked"]', { timeout: 30000 });
  assert.equal((await register()).filter((i) => i.subject === 'FastCourier').length, 1);
  assert.ok((await steps.changeNow(third.id)).relations.some((r) => [r.issue_id, r.issue_to_id].includes(made.body.issue.id)));
});
