// `upkeep sync` against the real Redmine: the right tickets, zero writes on a rerun, updates that keep
// what people wrote, one overdue comment, foreign tickets untouched, retries through injected faults,
// convergence after a kill at any point, and refusal before any write when something is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { credentials, field, issuesOf, leaseHolder, owners, putConfig, redmineUrl, rest, scratchProject, suite, sync, upkeep, upkeepBin,
  userIds, waitForLeaseHolder } from './harness.mjs';
import { startFaultProxy } from './fault-proxy.mjs';

const TODAY = '2026-11-22';
const dir = mkdtempSync(join(tmpdir(), 'upkeep-sync-'));
const { cleanups } = suite();

/** The starter configuration, certified on 2026-03-15, optionally cut to its first `count` activities or to `ids`. */
function configFile(name, { count, ids, edit } = {}) {
  const config = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15', '--organisation', 'Sync Ltd']));
  if (count) config.activities = config.activities.slice(0, count);
  if (ids) config.activities = config.activities.filter((a) => ids.includes(a.id));
  edit?.(config);
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return { file, config };
}

async function project(prefix) {
  const p = await scratchProject(prefix, [...owners, 'upkeep-bot']);
  cleanups.push(p.remove);
  return p.identifier;
}

/** What a sync must have made, computed from the calendar (not the planner): key -> expected fields. */
function expectedTickets(configPath, today) {
  const calendar = JSON.parse(upkeep(['calendar', configPath, '--format', 'json', '--from', '2026-03-15', '--to', '2030-01-01']));
  const expected = new Map();
  for (const e of calendar.entries) {
    if (e.kind === 'activity' && e.opens <= today) expected.set(`control:${e.id}:${e.date}`, e);
  }
  return expected;
}

/** The tickets as comparable records, keyed by Upkeep key; fails on a duplicate key. */
async function ticketsByKey(projectId) {
  const byKey = new Map();
  for (const issue of await issuesOf(projectId)) {
    const key = field(issue, 'Upkeep key');
    assert.ok(!byKey.has(key), `duplicate ticket for ${key}`);
    byKey.set(key, { subject: issue.subject, assignee: issue.assigned_to?.id, start: issue.start_date, due: issue.due_date,
      state: field(issue, 'Upkeep state'), tracker: issue.tracker.name, author: issue.author.id, description: issue.description });
  }
  return byKey;
}

test('the starter ISMS syncs into the right tickets, and a rerun writes nothing', async () => {
  const id = await project('sync-demo');
  const { file, config } = configFile('demo');
  await putConfig(id, config, 'sync test');
  const first = await sync(['--project', id, '--today', TODAY, '--json']);
  assert.equal(first.status, 0, first.stderr);
  const expected = expectedTickets(file, TODAY);
  assert.ok(expected.size > 40);
  // The past due dates are the backlog: late tickets, but no proposed nonconformities.
  assert.equal(first.json.creates, expected.size);
  assert.equal(first.json.writes, expected.size);

  const ids = await userIds();
  const tickets = await ticketsByKey(id);
  assert.deepEqual([...tickets.keys()].sort(), [...expected.keys()].sort());
  for (const [key, e] of expected) {
    const t = tickets.get(key);
    assert.equal(t.tracker, 'Control task', key);
    assert.equal(t.author, ids['upkeep-bot'], key);
    assert.equal(t.assignee, ids[e.owner], key);
    assert.equal(t.due, e.date, key);
    assert.equal(t.start, e.opens, key);
    assert.equal(t.subject, `${e.title} (due ${e.date})`, key);
    assert.match(t.description, new RegExp(`Upkeep key: ${key}`));
    assert.equal(t.state.includes('overdue=1'), e.date < TODAY, key);
    assert.equal(t.state.includes('backlog=1'), e.date < TODAY, key);
  }

  const second = await sync(['--project', id, '--today', TODAY, '--json']);
  assert.equal(second.status, 0, second.stderr);
  assert.deepEqual([second.json.creates, second.json.updates, second.json.comments, second.json.writes], [0, 0, 0, 0]);
  assert.equal(second.json.unchanged, expected.size);
  // account, project, statuses, wiki page and whether its version is trusted, the lease read and taken, one
  // page of Upkeep's tickets per 100, one of nonconformities, one of the supplier register (the starter
  // reviews suppliers), the lease released
  assert.ok(config.suppliers);
  assert.equal(second.json.requests, 5 + 2 + Math.ceil(expected.size / 100) + 1 + 1 + 1);
  assert.equal(second.json.lease, 'released');
});

test('a configuration change updates Upkeep\'s fields only, keeping what people wrote', async () => {
  const id = await project('sync-update');
  const reviewed = ['access-review', 'vulnerability-management', 'backup-restore-test'];
  const before = configFile('update-before', { ids: reviewed });
  assert.equal((await sync(['--project', id, '--today', TODAY, '--config', before.file])).status, 0);
  const reviewTickets = (await issuesOf(id)).filter((i) => field(i, 'Upkeep key').startsWith('control:access-review:'));
  assert.ok(reviewTickets.length >= 2);
  const [closed, edited] = reviewTickets;
  await rest('PUT', `/issues/${closed.id}.json`, { issue: { status_id: 5, notes: 'Done, evidence attached.' } }, 'itops');
  await rest('PUT', `/issues/${edited.id}.json`, { issue: {
    description: `Reviewer's notes: half of the systems done.\n\n${edited.description}`, notes: 'Started.' } }, 'itops');

  const after = configFile('update-after', { ids: reviewed, edit: (c) => {
    const review = c.activities.find((a) => a.id === 'access-review');
    review.owner = 'secops';
    review.instructions = 'New instructions for the review.';
  } });
  const result = await sync(['--project', id, '--today', TODAY, '--config', after.file, '--json']);
  assert.equal(result.status, 0, result.stderr);
  const open = reviewTickets.length - 1;
  assert.equal(result.json.updates, open);
  assert.equal(result.json.creates, 0);

  const ids = await userIds();
  const updated = (await rest('GET', `/issues/${edited.id}.json?include=journals`)).body.issue;
  assert.equal(updated.assigned_to.id, ids.secops);
  assert.match(updated.description, /^Reviewer's notes: half of the systems done\./);
  assert.match(updated.description, /New instructions for the review\./);
  assert.ok(updated.journals.some((j) => j.notes === 'Started.'));
  const untouched = (await rest('GET', `/issues/${closed.id}.json`)).body.issue;
  assert.equal(untouched.assigned_to.id, ids.itops, 'a closed ticket is evidence: never changed');

  const again = await sync(['--project', id, '--today', TODAY, '--config', after.file, '--json']);
  assert.equal(again.json.writes, 0);
});

test('a ticket that becomes overdue gets one comment, and late work stays late', async () => {
  const id = await project('sync-overdue');
  const { file } = configFile('overdue', { ids: ['vulnerability-management', 'log-review', 'access-review'] });
  assert.equal((await sync(['--project', id, '--today', '2026-11-24', '--config', file])).status, 0);
  const becameOverdue = (await issuesOf(id)).filter((i) => i.due_date >= '2026-11-24' && i.due_date < '2026-12-05');
  assert.ok(becameOverdue.length > 0);
  const later = await sync(['--project', id, '--today', '2026-12-05', '--config', file, '--json']);
  assert.equal(later.status, 0, later.stderr);
  assert.equal(later.json.comments, becameOverdue.length);
  for (const issue of becameOverdue) {
    const full = (await rest('GET', `/issues/${issue.id}.json?include=journals`)).body.issue;
    assert.equal(full.journals.filter((j) => /^Overdue: /.test(j.notes)).length, 1);
    assert.equal(full.due_date, issue.due_date, 'never rescheduled');
  }
  const third = await sync(['--project', id, '--today', '2026-12-05', '--config', file, '--json']);
  assert.equal(third.json.writes, 0);
});

test('tickets Upkeep did not create are never touched, even when they look like Upkeep\'s', async () => {
  const id = await project('sync-foreign');
  const { file } = configFile('foreign', { count: 4 });
  const key = [...expectedTickets(file, TODAY).keys()][0];
  const projectInfo = (await rest('GET', `/projects/${id}.json?include=trackers,issue_custom_fields`)).body.project;
  const fieldId = (name) => projectInfo.issue_custom_fields.find((f) => f.name === name).id;
  const forged = await rest('POST', '/issues.json', { issue: {
    project_id: projectInfo.id, tracker_id: projectInfo.trackers.find((t) => t.name === 'Control task').id,
    subject: 'Looks like Upkeep', description: 'Written by a person.', start_date: '2026-01-01', due_date: '2026-01-02',
    custom_fields: [{ id: fieldId('Upkeep key'), value: key }, { id: fieldId('Upkeep state'), value: 'h=0;overdue=0' }] } }, 'itops');
  assert.equal(forged.status, 201);
  const before = (await rest('GET', `/issues/${forged.body.issue.id}.json?include=journals`)).body.issue;

  const result = await sync(['--project', id, '--today', TODAY, '--config', file, '--json']);
  assert.equal(result.status, 0, result.stderr);
  const after = (await rest('GET', `/issues/${forged.body.issue.id}.json?include=journals`)).body.issue;
  assert.deepEqual(after, before);
  const withKey = (await issuesOf(id)).filter((i) => field(i, 'Upkeep key') === key);
  assert.equal(withKey.length, 2, 'Upkeep made its own ticket beside the foreign one');
});

test('injected connection failures, 500s and 429s are retried (honouring Retry-After) without duplicates', async () => {
  const id = await project('sync-faults');
  const { file } = configFile('faults', { count: 8 });
  const proxy = await startFaultProxy(redmineUrl, [
    { method: 'GET', path: /^\/issues\.json/, nth: 1, fault: { status: 429, retryAfter: 1 } },
    { method: 'POST', nth: 2, fault: { status: 500 } },
    { method: 'POST', nth: 4, fault: 'reset' },
    { method: 'POST', nth: 6, fault: 'lost' },
    { method: 'POST', nth: 9, fault: { status: 503 } },
  ]);
  cleanups.push(proxy.stop);
  const result = await sync(['--project', id, '--today', TODAY, '--config', file, '--json'], { url: proxy.url });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /retrying/);
  const expected = expectedTickets(file, TODAY);
  const tickets = await ticketsByKey(id); // fails on any duplicate
  assert.deepEqual([...tickets.keys()].filter((k) => k.startsWith('control:')).sort(), [...expected.keys()].sort());
  const limited = proxy.log.findIndex((e) => e.fault?.status === 429);
  assert.ok(proxy.log[limited + 1].at - proxy.log[limited].at >= 950, 'the retry waited for Retry-After');
  assert.ok(result.json.requests > result.json.writes + 5);
});

test('a tracker that keeps failing is given up on after a bound, with what to do', async () => {
  const id = await project('sync-down');
  const { file } = configFile('down', { count: 4 });
  const proxy = await startFaultProxy(redmineUrl, [
    { method: 'POST', nth: 1, every: true, fault: { status: 503, retryAfter: 0 } },
  ]);
  cleanups.push(proxy.stop);
  const result = await sync(['--project', id, '--today', TODAY, '--config', file], { url: proxy.url, env: { UPKEEP_RETRY_ATTEMPTS: '3' } });
  assert.equal(result.status, 3);
  assert.match(result.stderr, /stopped after 0 of \d+ writes: POST \/issues\.json: HTTP 503/);
  assert.match(result.stderr, /rerun `upkeep sync` to finish, without duplicates/);
  assert.equal(proxy.log.filter((e) => e.method === 'POST').length, 3);
  assert.equal((await issuesOf(id)).length, 0);
});

test('a sync killed at any point and run again ends with exactly the tickets of a clean run', async () => {
  const { file } = configFile('kill', { count: 8 });
  const clean = await project('sync-clean');
  assert.equal((await sync(['--project', clean, '--today', TODAY, '--config', file])).status, 0);
  const reference = await ticketsByKey(clean);
  const comparable = (tickets) => [...tickets].map(([k, t]) => [k, t.subject, t.assignee, t.start, t.due, t.state]).sort();

  for (const killAt of [1, 7, reference.size - 1]) {
    const id = await project(`sync-kill${killAt}`);
    const proxy = await startFaultProxy(redmineUrl);
    cleanups.push(proxy.stop);
    let child;
    // The kill lands after Redmine made the write and before its answer reaches upkeep.
    let ticketWrites = 0;
    proxy.onWrite((n, entry) => { if (entry.path.startsWith('/issues') && ++ticketWrites === killAt) child.kill('SIGKILL'); });
    const killed = await sync(['--project', id, '--today', TODAY, '--config', file], { url: proxy.url, onSpawn: (c) => { child = c; } });
    assert.equal(killed.signal, 'SIGKILL', `killed after write ${killAt}`);
    assert.equal((await issuesOf(id)).length, killAt);
    // The killed run still holds the lease: a rerun says so and writes nothing, unless told to break it.
    const blocked = await sync(['--project', id, '--today', TODAY, '--config', file]);
    assert.equal(blocked.status, 7, blocked.stderr);
    assert.match(blocked.stderr, new RegExp(`another sync is running: upkeep-bot \\(upkeep sync on .+, process ${child.pid}\\) holds the sync lease since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC`));
    assert.equal((await issuesOf(id)).length, killAt);
    const rerun = await sync(['--project', id, '--today', TODAY, '--config', file, '--json', '--break-lease']);
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.equal(rerun.json.creates, reference.size - killAt);
    assert.deepEqual(comparable(await ticketsByKey(id)), comparable(reference));
  }
});

test('one sync at a time: two started together make each ticket once; one started during a run exits 7 naming it', async () => {
  const { file } = configFile('lease', { count: 8 });
  const args = (id) => ['--project', id, '--today', TODAY, '--config', file, '--json'];

  // Two runs started together on a fresh project (no lease page yet): whoever wins, each ticket once.
  const fresh = await project('sync-lease');
  const together = await Promise.all([sync(args(fresh)), sync(args(fresh))]);
  for (const run of together) assert.ok([0, 7].includes(run.status), run.stderr);
  assert.ok(together.some((run) => run.status === 0));
  const reference = await ticketsByKey(fresh); // fails on a duplicate key
  assert.equal(reference.size, Math.max(...together.map((run) => run.json?.creates ?? 0)));
  assert.equal((await sync(args(fresh))).json.creates, 0);
  assert.equal(await leaseHolder(fresh), 'nobody');

  // A run slowed down by its tracker holds the lease; a second run exits 7, says whose, and writes nothing.
  const slow = await project('sync-lease-slow');
  const proxy = await startFaultProxy(redmineUrl, [], { delayMs: 120 });
  cleanups.push(proxy.stop);
  let child;
  const running = sync(args(slow), { url: proxy.url, onSpawn: (c) => { child = c; } });
  await waitForLeaseHolder(slow, 'upkeep-bot');
  const second = await sync(args(slow)); // the same account, as when cron overlaps a run started by hand
  assert.equal(second.status, 7, second.stderr);
  assert.match(second.stderr, new RegExp(`^upkeep sync: another sync is running: upkeep-bot \\(upkeep sync on .+, process ${child.pid}\\) holds the sync lease since .+ UTC, until .+ UTC at the latest\\. Nothing was written; run again once it has ended\n`));
  assert.equal(second.stdout, '');
  const first = await running;
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.json.lease, 'released');
  const tickets = await ticketsByKey(slow);
  assert.equal(tickets.size, first.json.creates);
  assert.equal(await leaseHolder(slow), 'nobody');
  assert.equal((await sync(args(slow))).json.creates, 0, 'the lease is free once the run ends');

  // Stopped by SIGTERM (a service manager's timeout, Ctrl-C): it stops between two requests and releases
  // the lease, so the next run needs no --break-lease.
  const stopped = await project('sync-lease-term');
  const slower = await startFaultProxy(redmineUrl, [], { delayMs: 120 });
  cleanups.push(slower.stop);
  let term;
  slower.onWrite((n, entry) => { if (entry.path === '/issues.json') term.kill('SIGTERM'); });
  const terminated = await sync(args(stopped), { url: slower.url, onSpawn: (c) => { term = c; } });
  assert.equal(terminated.status, 143, terminated.stderr);
  assert.match(terminated.stderr, /interrupted \(SIGTERM\) between two requests, \d+ requests in; the sync lease is released: every write is a whole ticket change/);
  assert.equal(await leaseHolder(stopped), 'nobody');
  const made = (await issuesOf(stopped)).length;
  assert.ok(made >= 1 && made < reference.size, `${made} tickets made before the stop`);
  const finished = await sync(args(stopped));
  assert.equal(finished.status, 0, finished.stderr);
  assert.equal(finished.json.creates, reference.size - made);
  assert.equal((await ticketsByKey(stopped)).size, reference.size);
});

test('tickets sharing a key: a copy nobody worked on is closed as a duplicate, once; twins with recorded work stay', async () => {
  const { file } = configFile('twins', { count: 3 });
  const id = await project('sync-twins');
  const args = ['--project', id, '--today', TODAY, '--config', file, '--json'];
  assert.equal((await sync(args)).status, 0);
  const [first, second] = (await issuesOf(id)).sort((a, b) => a.id - b.id);
  const fieldIds = Object.fromEntries((await rest('GET', `/projects/${id}.json?include=issue_custom_fields`)).body.project.issue_custom_fields.map((f) => [f.name, f.id]));
  const worked = { id: fieldIds['Evidence date'], value: '2026-11-20' };
  // Copies as a restore or a copied ticket would make them, by a sync account, carrying the same key and state.
  const copy = async (issue, extra = []) => {
    const kept = issue.custom_fields.filter((f) => ['Upkeep key', 'Upkeep state'].includes(f.name)).map((f) => ({ id: f.id, value: f.value }));
    const made = await rest('POST', '/issues.json', { issue: { project_id: issue.project.id, tracker_id: issue.tracker.id, subject: issue.subject,
      description: issue.description, assigned_to_id: issue.assigned_to?.id, start_date: issue.start_date, due_date: issue.due_date,
      custom_fields: [...kept, ...extra] } }, 'upkeep-bot');
    assert.equal(made.status, 201, JSON.stringify(made.body));
    return made.body.issue.id;
  };
  const copyOfFirst = await copy(first);
  assert.equal((await rest('PUT', `/issues/${second.id}.json`, { issue: { custom_fields: [worked] } }, 'upkeep-bot')).status, 204);
  const copyOfSecond = await copy(second, [worked]);

  const run = await sync(args);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(run.json.actions.filter((a) => a.action === 'close').map((a) => a.ticket), [copyOfFirst]);
  assert.match(run.stderr, new RegExp(`#${copyOfSecond} has the same Upkeep key as #${second.id} \\(${field(second, 'Upkeep key')}\\), which counts; work is recorded on it, so it stays open: close one of them by hand`));
  const closed = (await rest('GET', `/issues/${copyOfFirst}.json?include=journals`)).body.issue;
  assert.equal(closed.status.name, 'Closed');
  assert.match(closed.journals.map((j) => j.notes).join('\n'), new RegExp(`^Duplicate: #${copyOfFirst} has the same Upkeep key as #${first.id} .*record the work on #${first.id}\\.$`, 'm'));
  assert.match(field(closed, 'Upkeep state'), /duplicate=1/);
  for (const kept of [first.id, second.id, copyOfSecond])
    assert.notEqual((await rest('GET', `/issues/${kept}.json`)).body.issue.status.name, 'Closed');
  assert.equal((await sync(args)).json.writes, 0, 'resolved once');
  // The status counts each occurrence once and reports the twins.
  const status = spawnSync(upkeepBin, ['status', '--url', redmineUrl, '--project', id, '--config', file, '--today', TODAY, '--json'],
    { encoding: 'utf8', env: { ...process.env, UPKEEP_API_KEY: credentials.api_keys['upkeep-bot'] } });
  assert.equal(status.status, 0, status.stderr);
  const twins = JSON.parse(status.stdout).ticket_problems.filter((p) => p.kind === 'duplicate');
  assert.deepEqual(twins.map((p) => [p.ticket_id, p.counted_ticket, p.closed]).sort(),
    [[copyOfFirst, first.id, true], [copyOfSecond, second.id, false]].sort());
});

test('a wrong key, an unreachable tracker, a missing project or an owner who is not a member stop it before any write', async () => {
  const id = await scratchProject('sync-refuse', ['upkeep-bot', 'ciso']);
  cleanups.push(id.remove);
  const { file } = configFile('refuse', { ids: ['access-review', 'vulnerability-management', 'policy-review'] });
  const wrongKey = await sync(['--project', id.identifier, '--config', file], { key: '0'.repeat(40) });
  assert.equal(wrongKey.status, 4);
  assert.match(wrongKey.stderr, /the API key was refused/);
  const unreachable = await sync(['--project', id.identifier, '--config', file], { url: 'http://127.0.0.1:9', env: { UPKEEP_RETRY_ATTEMPTS: '2' } });
  assert.equal(unreachable.status, 3);
  assert.match(unreachable.stderr, /cannot reach Redmine at http:\/\/127\.0\.0\.1:9/);
  const missing = await sync(['--project', 'no-such-project', '--config', file]);
  assert.equal(missing.status, 5);
  const notMembers = await sync(['--project', id.identifier, '--today', TODAY, '--config', file]);
  assert.equal(notMembers.status, 5);
  assert.match(notMembers.stderr, /these owners are not members of project sync-refuse-\w+, so tickets cannot be assigned to them: itops secops/);
  const noKey = await sync(['--project', id.identifier, '--config', file], { key: '' });
  assert.equal(noKey.status, 2);
  assert.equal((await issuesOf(id.identifier)).length, 0);
});

test('a nonconformity runs its lifecycle: proposed, corrective actions, verification, closed', async () => {
  const id = await project('sync-nc');
  const { file } = configFile('nc', { ids: ['access-review'] });
  const at = (today) => sync(['--project', id, '--today', today, '--config', file, '--json']);
  const ids = await userIds();
  const byKey = async (prefix) => (await issuesOf(id)).filter((i) => (field(i, 'Upkeep key') ?? '').startsWith(prefix));
  const close = async (issue, login) => {
    const r = await rest('PUT', `/issues/${issue.id}.json`, { issue: { status_id: 5, notes: 'Done.' } }, login);
    assert.equal(r.status, 204);
    assert.equal((await rest('GET', `/issues/${issue.id}.json`)).body.issue.status.name, 'Closed', `${login} closes #${issue.id}`);
  };

  // The review due 2026-04-30 gets its ticket in time, and is still open 30 days after.
  assert.equal((await at('2026-04-20')).json.creates, 1);
  assert.equal((await at('2026-05-30')).json.creates, 0, 'the grace period has not passed');
  const first = await at(TODAY);
  assert.equal(first.status, 0, first.stderr);
  const proposed = await byKey('nc:missed:');
  assert.deepEqual(proposed.map((i) => field(i, 'Upkeep key')), ['nc:missed:control:access-review:2026-04-30'],
    'the later reviews are backlog made late by this sync: no nonconformity for them');
  const nc = proposed[0];
  assert.equal(nc.tracker.name, 'Nonconformity');
  assert.equal(nc.assigned_to.id, ids.ciso);
  assert.equal(field(nc, 'NC grade'), 'Minor');
  assert.equal(field(nc, 'NC source'), 'Missed control');

  // The ISMS manager records the root cause and the corrective actions; someone raises another by hand.
  const projectInfo = (await rest('GET', `/projects/${id}.json?include=trackers,issue_custom_fields`)).body.project;
  const fieldId = (name) => projectInfo.issue_custom_fields.find((f) => f.name === name).id;
  await rest('PUT', `/issues/${nc.id}.json`, { issue: { custom_fields: [
    { id: fieldId('Root cause'), value: 'The review had no calendar slot.' },
    { id: fieldId('Corrective actions'), value: 'itops: Add the review to the ops calendar (due 2027-01-15)\nsecops: Alert when the review is late' }] } }, 'ciso');
  const byHand = await rest('POST', '/issues.json', { issue: { project_id: projectInfo.id,
    tracker_id: projectInfo.trackers.find((t) => t.name === 'Nonconformity').id, subject: 'Audit finding: visitors not logged',
    custom_fields: [{ id: fieldId('NC grade'), value: 'Minor' }, { id: fieldId('NC source'), value: 'External audit' },
      { id: fieldId('Corrective actions'), value: 'hr: Brief reception on the visitor log' }] } }, 'ciso');
  assert.equal(byHand.status, 201);
  const handId = byHand.body.issue.id;

  const second = await at(TODAY);
  // three corrective actions, and the review due 2026-07-31, made late (sync did not run for months), is now missed too
  assert.equal(second.json.creates, 4, second.stderr);
  assert.equal((await byKey('nc:missed:')).length, 2);
  const actions = await byKey(`ca:${nc.id}:`);
  assert.deepEqual(actions.map((i) => [i.tracker.name, i.assigned_to.id, i.due_date]).sort(),
    [['Corrective action', ids.itops, '2027-01-15'], ['Corrective action', ids.secops, '2027-03-14']].sort());
  const [handAction] = await byKey(`ca:${handId}:`);
  assert.equal(handAction.assigned_to.id, ids.hr);

  // Corrective actions done: a verification of their effectiveness is asked for.
  await close(actions.find((i) => i.assigned_to.id === ids.itops), 'itops');
  assert.equal((await at(TODAY)).json.creates, 0, 'no verification while an action is open');
  await close(actions.find((i) => i.assigned_to.id === ids.secops), 'secops');
  await close(handAction, 'hr');
  const third = await at(TODAY);
  assert.equal(third.json.creates, 2);
  const [verify] = await byKey(`verify:${nc.id}`);
  assert.equal(verify.assigned_to.id, ids.ciso);
  assert.match(verify.subject, new RegExp(`Verify the corrective actions of nonconformity #${nc.id}`));

  // Verified: Upkeep closes its own nonconformity, never the one people raised.
  await close(verify, 'ciso');
  await close((await byKey(`verify:${handId}`))[0], 'ciso');
  const fourth = await at(TODAY);
  assert.equal(fourth.json.closes, 1);
  const closedNc = (await rest('GET', `/issues/${nc.id}.json?include=journals`)).body.issue;
  assert.equal(closedNc.status.name, 'Closed');
  // Two writes: the closing note (with closing=1 in Upkeep's state), then the status.
  const [note, status] = closedNc.journals.slice(-2);
  assert.match(note.notes, /verified effective/);
  assert.ok(status.details.some((d) => d.name === 'status_id'), 'the status changes after the note');
  const hand = (await rest('GET', `/issues/${handId}.json?include=journals`)).body.issue;
  assert.equal(hand.status.name, 'New');
  assert.equal(hand.journals.length, 0, 'a nonconformity people raised is never touched');
  assert.equal((await at(TODAY)).json.writes, 0);
});

test('closing a nonconformity is two writes a later run finishes: killed between them, failing, or unread back', async () => {
  // Four Upkeep nonconformities, each with its corrective action and verification closed, so that a sync
  // closes one as soon as its verification is closed: the note (closing=1 in the state), then the status.
  const id = await project('sync-close');
  const { file } = configFile('close', { ids: ['access-review', 'privileged-access-review', 'backup-restore-test', 'vulnerability-management'],
    edit: (config) => { for (const a of config.activities) Object.assign(a, { cadence: { rrule: 'FREQ=YEARLY', start: '2026-04-30' }, lead_time_days: 14 }); } });
  const run = (env = {}, url = redmineUrl, onSpawn, extra = []) => sync(['--project', id, '--today', TODAY, '--config', file, '--json', ...extra],
    { url, env: { UPKEEP_RETRY_ATTEMPTS: '2', ...env }, onSpawn });
  const byKey = async (prefix) => (await issuesOf(id)).filter((i) => (field(i, 'Upkeep key') ?? '').startsWith(prefix)).sort((a, b) => a.id - b.id);
  const close = async (issue) => assert.equal((await rest('PUT', `/issues/${issue.id}.json`, { issue: { status_id: 5, notes: 'Done.' } }, 'ciso')).status, 204);
  assert.equal((await sync(['--project', id, '--today', '2026-04-20', '--config', file])).status, 0);
  assert.equal((await run()).status, 0);
  const ncs = await byKey('nc:missed:');
  assert.equal(ncs.length, 4);
  const fieldId = (await rest('GET', `/projects/${id}.json?include=issue_custom_fields`)).body.project.issue_custom_fields
    .find((f) => f.name === 'Corrective actions').id;
  for (const nc of ncs)
    await rest('PUT', `/issues/${nc.id}.json`, { issue: { custom_fields: [{ id: fieldId, value: 'itops: Fix the calendar' }] } }, 'ciso');
  assert.equal((await run()).json.creates, 4);
  for (const action of await byKey('ca:')) await close(action);
  assert.equal((await run()).json.creates, 4);
  const verifications = await byKey('verify:');
  const verificationOf = (nc) => verifications.find((v) => field(v, 'Upkeep key') === `verify:${nc.id}`);
  const journalOf = async (nc) => (await rest('GET', `/issues/${nc.id}.json?include=journals`)).body.issue;
  const closingNotes = (issue) => issue.journals.filter((j) => /verified effective/.test(j.notes ?? '')).length;
  const closedOnce = async (nc) => {
    const issue = await journalOf(nc);
    assert.equal(issue.status.name, 'Closed', `#${nc.id} is closed`);
    assert.equal(closingNotes(issue), 1, `#${nc.id} has one closing note`);
  };

  // Killed between the two writes: the next run writes the status only.
  await close(verificationOf(ncs[0]));
  const proxy = await startFaultProxy(redmineUrl);
  cleanups.push(proxy.stop);
  let child;
  proxy.onWrite((n, entry) => { if (entry.method === 'PUT' && entry.path === `/issues/${ncs[0].id}.json`) child.kill('SIGKILL'); });
  const killed = await run({}, proxy.url, (c) => { child = c; });
  assert.equal(killed.signal, 'SIGKILL');
  const half = await journalOf(ncs[0]);
  assert.equal(half.status.name, 'New');
  assert.equal(closingNotes(half), 1);
  assert.match(field(half, 'Upkeep state'), /closing=1/);
  const finished = await run({}, redmineUrl, undefined, ['--break-lease']); // the killed run's lease
  assert.equal(finished.status, 0, finished.stderr);
  await closedOnce(ncs[0]);

  // The status write keeps failing: the tracker is failing (exit 3), the note stays written once; then a run finishes.
  await close(verificationOf(ncs[1]));
  const failing = await startFaultProxy(redmineUrl, [{ method: 'PUT', path: new RegExp(`^/issues/${ncs[1].id}\\.json$`), nth: 2, every: true, fault: { status: 500 } }]);
  cleanups.push(failing.stop);
  const refused = await run({}, failing.url);
  assert.equal(refused.status, 3, refused.stderr);
  assert.match(refused.stderr, /PUT \/issues\/\d+\.json: HTTP 500/);
  assert.equal(closingNotes(await journalOf(ncs[1])), 1);
  assert.equal((await run()).status, 0);
  await closedOnce(ncs[1]);

  // A 429 on the status write is waited out (Retry-After) and the close goes through.
  await close(verificationOf(ncs[2]));
  const limited = await startFaultProxy(redmineUrl, [{ method: 'PUT', path: new RegExp(`^/issues/${ncs[2].id}\\.json$`), nth: 2, fault: { status: 429, retryAfter: 1 } }]);
  cleanups.push(limited.stop);
  const waited = await run({}, limited.url);
  assert.equal(waited.status, 0, waited.stderr);
  await closedOnce(ncs[2]);

  // The read-back after the status write fails: that is a failing tracker (exit 3), not a refusal (exit 4).
  await close(verificationOf(ncs[3]));
  const unread = await startFaultProxy(redmineUrl, [{ method: 'GET', path: new RegExp(`^/issues/${ncs[3].id}\\.json$`), nth: 1, every: true, fault: { status: 503 } }]);
  cleanups.push(unread.stop);
  const blind = await run({}, unread.url);
  assert.equal(blind.status, 3, blind.stderr);
  assert.match(blind.stderr, /GET \/issues\/\d+\.json: HTTP 503/);
  assert.equal((await run()).json.writes, 0, 'it was closed: nothing left to write');
  await closedOnce(ncs[3]);
});

test('publishing the calendar feed is steps a later run finishes: killed after the attachment, or refused', async () => {
  const id = await project('sync-feed');
  const { config } = configFile('feed', { count: 3 });
  await putConfig(id, config, 'feed test');
  const run = (url = redmineUrl, onSpawn, extra = []) => sync(['--project', id, '--today', TODAY, '--json', ...extra], { url, onSpawn, env: { UPKEEP_RETRY_ATTEMPTS: '2' } });
  const copies = async () => (await rest('GET', `/projects/${id}/wiki/ISMS_configuration.json?include=attachments`))
    .body.wiki_page.attachments.filter((a) => a.filename === 'isms-calendar.ics').map((a) => a.id).sort((a, b) => a - b);
  assert.equal((await run()).json.calendar_feed, 'published');
  const [first] = await copies();

  // A changed configuration: killed once the new copy is attached, before the old one goes.
  config.activities.pop();
  await putConfig(id, config, 'one activity fewer');
  const proxy = await startFaultProxy(redmineUrl);
  cleanups.push(proxy.stop);
  let child;
  proxy.onWrite((n, entry) => { if (entry.method === 'PUT' && entry.path.includes('/wiki/ISMS_configuration')) child.kill('SIGKILL'); });
  assert.equal((await run(proxy.url, (c) => { child = c; })).signal, 'SIGKILL');
  const both = await copies();
  assert.equal(both.length, 2);
  const rerun = await run(redmineUrl, undefined, ['--break-lease']); // the killed run's lease
  assert.equal(rerun.status, 0, rerun.stderr);
  assert.equal(rerun.json.calendar_feed, 'old copies removed', 'the new copy is not attached twice');
  assert.deepEqual(await copies(), [both[1]]);
  assert.notEqual(both[1], first);

  // The attachment refused (HTTP 500 each time): the tickets are synced, the feed is not (exit 6); the old copy stays.
  config.activities.pop();
  await putConfig(id, config, 'another activity fewer');
  const failing = await startFaultProxy(redmineUrl, [{ method: 'PUT', path: /\/wiki\/ISMS_configuration/, nth: 1, every: true, fault: { status: 500 } }]);
  cleanups.push(failing.stop);
  const refused = await run(failing.url);
  assert.equal(refused.status, 6, refused.stderr);
  assert.match(refused.stderr, /the tickets are synced; the calendar feed: PUT .*HTTP 500/);
  assert.deepEqual(await copies(), [both[1]]);
  assert.equal((await run()).json.calendar_feed, 'published');
  assert.equal((await copies()).length, 1);
});
