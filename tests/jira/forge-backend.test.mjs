// The Forge app's backend (plugin-manifest/jira-cloud/src) invoked the way Forge invokes it: its resolver
// through @forge/resolver's definitions with a user's principal, its daily sync as a scheduled trigger;
// `requestJira` carried to the contract double as that user or as the app, the key-value store that of
// forge-runtime.mjs. The page's status is the native command's; a sync as a user acts with that user's
// permissions; the app and the people who synced recognise each other's tickets.
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { installForgeRuntime } from './forge-runtime.mjs';
import { indexedProperties } from './forge-app.mjs';
import { createJiraDouble } from './jira-double.mjs';
import { bot, changes, config, expectedOccurrences, olga, startLogReviewProject, today } from './log-review-project.mjs';

process.env.UPKEEP_WASM_DIR ??= resolve(new URL('../../build/wasm/wasm', import.meta.url).pathname);

/** The app's own account, as Jira names an app's. */
const app = { accountId: '712020:8f4a2b1c-5d6e-4f70-8a9b-0c1d2e3f4a5b', displayName: 'Upkeep', email: 'app@connect.atlassian.com', token: 'app-token' };
/** A compliance lead who may edit the project, and an auditor who may only browse it. */
const lead = { accountId: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077', displayName: 'Lena Lead', email: 'lena@example.com', token: 'lena-token' };
const auditor = { accountId: '557058:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', displayName: 'Aude Auditor', email: 'aude@example.com', token: 'aude-token' };

let double = null;
const runtime = installForgeRuntime({ jira: () => double.url, users: [bot, olga, app, lead, auditor], app });
const { handler, dailySync, calendarFeed } = await import('../../plugin-manifest/jira-cloud/src/index.js');
const { claimChangeRecord, saveConfiguration, takeSyncLease } = await import('../../plugin-manifest/jira-cloud/src/app-storage.js');
const { syncInCalls } = await import('../../web/jira/jira-host.js');

const project = { id: '10100', key: 'ISMS' };
/** The configuration, saved in the app's storage as its first version. */
const storeConfiguration = () => saveConfiguration('ISMS', 0, { text: JSON.stringify({ ...config, changes }), saved_by: lead.accountId, saved_at: '2027-03-01T09:00:00Z' });

/** Runs `call` with the clock on `today` at 06:00 UTC, as the daily trigger would run then. @param {() => Promise<any>} call */
async function onToday(call) {
  mock.timers.enable({ apis: ['Date'], now: Date.parse(`${today}T06:00:00Z`) });
  try {
    return await call();
  } finally {
    mock.timers.reset();
  }
}

/**
 * Runs `body` against a project nobody synced yet (startEmptyProject), the app's storage empty but for the
 * configuration (unless `configured` is false); no contract violation at its end.
 */
async function onEmptyProject(options, body) {
  const { configured = true, searchLag = 0 } = body ? options : {};
  double = await startEmptyProject({ searchLag });
  runtime.store.clear();
  runtime.secrets.clear();
  if (configured) await storeConfiguration();
  try {
    await (body ?? options)();
    assert.deepEqual(double.violations, []);
  } finally {
    await double.stop();
  }
}

/** A project nobody synced yet: the lead administers it, the lead and the app edit it, the auditor browses it. */
async function startEmptyProject({ searchLag = 0 } = {}) {
  const jira = createJiraDouble({ users: [app, lead, auditor, bot], indexed: await indexedProperties(), searchLag,
    projects: [{ ...project, name: 'ISMS', browsers: [app, lead, auditor].map((u) => u.accountId),
      editors: [app.accountId, lead.accountId], admins: [lead.accountId], issueTypes: [{ id: '10001', name: 'Task' }, { id: '10002', name: 'Change' },
        { id: '10003', name: 'Nonconformity' }] }] });
  await jira.start();
  return jira;
}

test('the page\'s status, read as the user who opened it, is the native command\'s', async () => {
  double = await startLogReviewProject();
  runtime.store.clear();
  try {
    const none = await runtime.invoke(handler, 'status', { today }, { accountId: bot.accountId, project });
    assert.equal(none.configuration.missing, true);
    assert.match(none.failure.message, /ISMS has no ISMS configuration/);
    assert.deepEqual(double.requests.map((r) => r.operation).sort(), ['getIssueLinkTypes', 'getMyPermissions', 'getProject'],
      'no configuration: Jira is asked what the user may do, and what the project and the site offer, only');
    assert.deepEqual(none.setup, { missing: [], linkTypes: [] });

    await storeConfiguration();
    const read = await runtime.invoke(handler, 'status', { today }, { accountId: bot.accountId, project });
    assert.ok(read.status, JSON.stringify(read).slice(0, 500));
    // The panel's timeline: each occurrence's due date, state and ticket.
    const marks = read.status.report.periods[0].timeline.find((row) => row.activity === 'log-review').marks;
    assert.deepEqual(marks.filter(([due]) => due <= expectedOccurrences.at(-1)[0]).map(([due, state, , , ticket]) => [due, state, ticket]),
      expectedOccurrences);
    assert.equal(read.configuration.version, 1);
    assert.ok(read.allItems.fix_first.length >= read.status.report.next_audit.fix_first.length);
    assert.ok(double.requests.length > 0 && double.requests.every((r) => r.account === bot.accountId), 'every request as the user');

    // Owners of /sync/owner_accounts are named as their Atlassian accounts are.
    assert.deepEqual(read.people, {});
    assert.match(read.status.report.next_audit.fix_first[0].what, /\(secops\)/);
    await saveConfiguration('ISMS', 1, { text: JSON.stringify({ ...config, sync: { owner_accounts: { secops: bot.accountId } } }),
      saved_by: lead.accountId, saved_at: '2027-03-02T09:00:00Z' });
    const named = await runtime.invoke(handler, 'status', { today }, { accountId: bot.accountId, project });
    assert.deepEqual(named.people, { secops: 'Upkeep Bot' });
    assert.match(named.status.report.next_audit.fix_first[0].what, /\(Upkeep Bot\)/);
    // Someone Jira does not let browse the project reads nothing through the app.
    const refused = await runtime.invoke(handler, 'status', { today }, { accountId: olga.accountId, project });
    assert.ok(refused.failure, JSON.stringify(refused).slice(0, 300));
    assert.equal(refused.status, undefined);
    assert.deepEqual(double.violations, []);
  } finally {
    await double.stop();
  }
});

test('Sync now runs as the user with their permissions; the daily sync, as the app, recognises what they made', () => onEmptyProject(async () => {
  const preview = await runtime.invoke(handler, 'sync', { today, apply: false }, { accountId: lead.accountId, project });
  assert.equal(preview.failure, null, JSON.stringify(preview.failure));
  assert.equal(preview.plan.counts.create, 10);
  assert.equal(double.issues.size, 0, 'a preview writes nothing');
  assert.equal([...runtime.store.keys()].filter((k) => k.startsWith('upkeep:account:')).length, 0);

  const refused = await runtime.invoke(handler, 'sync', { today, apply: true }, { accountId: auditor.accountId, project });
  assert.match(refused.failure?.message ?? '', /does not let you create issues, edit issues, transition issues, add comments in ISMS/);
  assert.equal(double.issues.size, 0);
  assert.ok(double.requests.filter((r) => r.account === auditor.accountId).every((r) => r.method === 'GET'), 'the auditor wrote nothing');

  const made = await runtime.invoke(handler, 'sync', { today, apply: true }, { accountId: lead.accountId, project });
  assert.equal(made.failure, null, JSON.stringify(made.failure));
  assert.equal(made.written, 10);
  assert.ok([...double.issues.values()].every((i) => i.reporter === lead.accountId), 'made as the lead');

  const daily = await onToday(() => runtime.trigger(dailySync));
  assert.equal(daily.statusCode, 200, daily.body);
  assert.deepEqual(JSON.parse(daily.body), [{ project: 'ISMS', written: 0, tries: 1, failure: null }]);
  assert.equal(double.issues.size, 10, 'the app takes the lead\'s tickets as Upkeep\'s: no twin');
  assert.ok(double.requests.filter((r) => r.operation !== 'getCurrentUser').some((r) => r.account === app.accountId));
  assert.deepEqual([...runtime.store.keys()].filter((k) => k.startsWith('upkeep:account:')).sort(),
    [`upkeep:account:ISMS:${lead.accountId}`, `upkeep:account:ISMS:${app.accountId}`].sort());
}));

test('Sync now goes on in calls that each stop before Forge ends them, while Jira\'s search lags: every ticket once', () => onEmptyProject({ searchLag: 2 }, async () => {
  mock.timers.enable({ apis: ['Date'], now: Date.parse(`${today}T09:00:00Z`) });
  try {
    // On this clock each create takes Jira 4 s: a call (it stops writing after 15 s) makes four.
    double.onRequest((operation) => { if (operation === 'createIssue') mock.timers.tick(4000); });
    /** @type {any[]} */
    const calls = [];
    const invoke = async (/** @type {string} */ key, /** @type {object} */ payload) => {
      const result = await runtime.invoke(handler, key, payload, { accountId: lead.accountId, project });
      calls.push(result);
      return result;
    };
    const progress = [];
    const outcome = await syncInCalls(invoke, { today, apply: true, onProgress: (label, at) => progress.push([label, at.done, at.total]) },
      async () => {});
    assert.equal(outcome.failure, null, JSON.stringify(outcome.failure));
    assert.deepEqual([outcome.written, outcome.plan.counts.create], [10, 10]);
    assert.deepEqual(calls.map((c) => c.written), [4, 0, 4, 0, 2], 'four a call; the calls after a stop wait for the search');
    assert.ok(calls.slice(0, -1).every((c) => c.continues) && !calls.at(-1).continues);
    assert.deepEqual(calls.map((c) => c.search_behind), [0, 4, 0, 4, 0], 'what the call before made, not in the search yet');
    assert.deepEqual(progress.map(([, done, total]) => [done, total]), [[4, 10], [4, 10], [8, 10], [8, 10]]);
    const keys = [...double.issues.values()].map((i) => i.properties.upkeep.key);
    assert.equal(new Set(keys).size, 10, 'no ticket made twice');
    const leases = [...runtime.store].filter(([key]) => /^upkeep:lease:ISMS:\d+$/.test(key)).map(([, lease]) => lease);
    assert.equal(leases.length, 5);
    assert.ok(leases.every((lease) => lease.released), 'each call gave its lease back');
  } finally {
    mock.timers.reset();
  }
}));

test('the daily sync makes a project\'s tickets as the app; a user\'s Sync now then writes nothing', () => onEmptyProject(async () => {
  const daily = await onToday(() => runtime.trigger(dailySync));
  assert.equal(daily.statusCode, 200, daily.body);
  assert.deepEqual(JSON.parse(daily.body), [{ project: 'ISMS', written: 10, tries: 1, failure: null }]);
  assert.ok([...double.issues.values()].every((i) => i.reporter === app.accountId));
  const again = await runtime.invoke(handler, 'sync', { today, apply: true }, { accountId: lead.accountId, project });
  assert.equal(again.failure, null, JSON.stringify(again.failure));
  assert.equal(again.written, 0);
  assert.equal(again.plan.unchanged, 10);
}));

test('the daily sync through Forge\'s fetch rides out Jira\'s faults: a reset read, a 429, a lost answer; every ticket once', () => onEmptyProject(async () => {
  double.fail('searchAndReconsileIssuesUsingJqlPost', { reset: true });
  double.fail('createIssue', { status: 429, retryAfter: 1 });
  double.fail('createIssue', { lose: true });
  const daily = await onToday(() => runtime.trigger(dailySync));
  assert.equal(daily.statusCode, 200, daily.body);
  assert.deepEqual(JSON.parse(daily.body), [{ project: 'ISMS', written: 10, tries: 1, failure: null }]);
  const keys = [...double.issues.values()].map((i) => i.properties.upkeep.key);
  assert.equal(keys.length, 10);
  assert.equal(new Set(keys).size, 10, 'no twin');
}));

test('a create that gets no answer stops the daily sync short (Jira\'s search may not show it yet): it syncs the project again after a pause, which finishes, once', () => onEmptyProject(async () => {
  double.fail('createIssue', { reset: true });
  const startedAt = Date.now();
  const run = await onToday(() => runtime.trigger(dailySync));
  assert.equal(run.statusCode, 200, run.body);
  const [project] = JSON.parse(run.body);
  assert.deepEqual([project.tries, project.written, project.failure], [2, 10, null], run.body);
  assert.ok(Date.now() - startedAt >= 10_000, 'the second try waited for Jira\'s search to catch up');
  const keys = [...double.issues.values()].map((i) => i.properties.upkeep.key);
  assert.deepEqual([keys.length, new Set(keys).size], [10, 10]);
  const next = await onToday(() => runtime.trigger(dailySync));
  assert.deepEqual(JSON.parse(next.body).map((p) => [p.written, p.tries]), [[0, 1]], 'nothing missing');
}));

test('a configuration is stored only valid, by a project administrator, and based on the latest version', () => onEmptyProject({ configured: false }, async () => {
  const save = (user, text, basedOn) => runtime.invoke(handler, 'saveConfiguration', { text, basedOn }, { accountId: user.accountId, project });
  const text = JSON.stringify(config);
  const byAuditor = await save(auditor, text, 0);
  assert.equal(byAuditor.saved, false);
  assert.match(byAuditor.failure.message, /does not let you administer projects in ISMS/);
  const broken = JSON.stringify({ ...config, activities: [{ ...config.activities[0], cadence: { rrule: 'FREQ=SOMETIMES' } }] });
  const invalid = await save(lead, broken, 0);
  assert.equal(invalid.saved, false);
  assert.equal(invalid.failure.kind, 'bad_input');
  assert.ok(invalid.failure.problems.some((p) => p.pointer.startsWith('/activities/0/cadence') && !p.warning), JSON.stringify(invalid.failure.problems));
  assert.equal([...runtime.store.keys()].filter((k) => k.startsWith('upkeep:configuration:')).length, 0, 'nothing stored');

  assert.deepEqual(await save(lead, text, 0), { saved: true, failure: null, version: 1 });
  // Two imports based on version 1 at once: one is version 2, the other is refused, nothing lost.
  const renamed = (name) => JSON.stringify({ ...config, organisation: { name } });
  const [first, second] = await Promise.all([save(lead, renamed('Acme One'), 1), save(lead, renamed('Acme Two'), 1)]);
  assert.deepEqual([first.saved, second.saved].sort(), [false, true]);
  const loser = first.saved ? second : first;
  assert.equal(loser.failure.kind, 'conflict');
  assert.match(loser.failure.message, /Someone saved version 2 of the configuration meanwhile/);
  const read = await runtime.invoke(handler, 'status', { today }, { accountId: lead.accountId, project });
  assert.equal(read.configuration.version, 2);
  assert.equal(JSON.parse(read.configuration.text).organisation.name, first.saved ? 'Acme One' : 'Acme Two');
  assert.deepEqual(read.may, { sync: true, configure: true });
  // An import based on an old version is refused too.
  assert.equal((await save(lead, text, 1)).failure.kind, 'conflict');
}));

test('one sync of a project at a time: a held lease turns a sync away; the trigger run twice writes each ticket once', () => onEmptyProject(async () => {
  const held = await takeSyncLease('ISMS', 'another run', new Date(), 600);
  assert.ok('release' in held);
  const busy = await runtime.invoke(handler, 'sync', { today, apply: true }, { accountId: lead.accountId, project });
  assert.equal(busy.failure.kind, 'busy');
  assert.match(busy.failure.message, /Another sync of ISMS is running \(another run, until/);
  assert.equal(double.issues.size, 0);
  await held.release();

  const [one, two] = await onToday(() => Promise.all([runtime.trigger(dailySync), runtime.trigger(dailySync)]));
  const bodies = [one, two].map((r) => JSON.parse(r.body)[0]);
  assert.deepEqual([one.statusCode, two.statusCode], [200, 200]);
  assert.equal(bodies.filter((b) => b.busy).length, 1, JSON.stringify(bodies));
  assert.equal(bodies.find((b) => !b.busy).written, 10);
  assert.equal(double.issues.size, 10, 'no twin');
  // A lease whose run stopped without releasing it lapses at its time.
  await takeSyncLease('ISMS', 'a run that stopped', new Date(Date.now() - 3600_000), 600);
  const after = await runtime.invoke(handler, 'sync', { today, apply: true }, { accountId: lead.accountId, project });
  assert.equal(after.failure, null, JSON.stringify(after.failure));
  assert.equal(after.written, 0);
}));

test('a person\'s calendar feed address serves the maintenance calendar while their account is active, until they make a new one', () => onEmptyProject(async () => {
  try {
    const { address } = await runtime.invoke(handler, 'calendarFeed', {}, { accountId: auditor.accountId, project });
    assert.match(address, /^https:\/\/webtrigger\.test\/x1\/upkeep-calendar-feed\?feed=[A-Za-z0-9_-]{32}$/);
    assert.deepEqual(await runtime.invoke(handler, 'calendarFeed', {}, { accountId: auditor.accountId, project }), { address }, 'the same again');
    const served = await onToday(() => runtime.webTrigger(calendarFeed, address));
    assert.equal(served.statusCode, 200, served.body);
    assert.deepEqual(served.headers['Content-Type'], ['text/calendar; charset=utf-8']);
    assert.match(served.body, /^BEGIN:VCALENDAR\r\n/);
    assert.match(served.body, /SUMMARY:Review the security logs/);
    assert.ok(double.requests.filter((r) => r.operation === 'getUser').every((r) => r.account === app.accountId), 'asked as the app');

    const guessed = await runtime.webTrigger(calendarFeed, address.replace(/feed=.*/, `feed=${'A'.repeat(32)}`));
    assert.equal(guessed.statusCode, 404);
    assert.equal((await runtime.webTrigger(calendarFeed, address.replace(/\?.*/, ''))).statusCode, 404);
    assert.ok(![...runtime.store.values()].some((v) => JSON.stringify(v).includes(address.split('feed=')[1])), 'the secret is kept as a secret');

    const { address: renewed } = await runtime.invoke(handler, 'calendarFeed', { renew: true }, { accountId: auditor.accountId, project });
    assert.notEqual(renewed, address);
    assert.equal((await runtime.webTrigger(calendarFeed, address)).statusCode, 404, 'the old address stops');
    assert.equal((await runtime.webTrigger(calendarFeed, renewed)).statusCode, 200);

    auditor.active = false;
    assert.equal((await runtime.webTrigger(calendarFeed, renewed)).statusCode, 404, 'a deactivated account\'s address stops');
    auditor.active = true;
    const outsider = await runtime.invoke(handler, 'calendarFeed', {}, { accountId: bot.accountId, project });
    assert.match(outsider.error, /Jira does not let you browse ISMS/);
  } finally {
    delete auditor.active;
  }
}));

test('a control task completed from its issue panel, as the user: checked first, then one transition records it', () => onEmptyProject(async () => {
  await onToday(() => runtime.trigger(dailySync));
  const task = [...double.issues.values()].find((i) => i.properties.upkeep.key === 'control:log-review:2027-03-01');
  const other = double.seed(lead.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary: 'Order toner' });
  const on = (issue) => ({ accountId: lead.accountId, project, issue: { id: issue.id, key: issue.key } });

  const read = await runtime.invoke(handler, 'completeTask', { today }, on(task));
  assert.equal(read.failure, null, JSON.stringify(read.failure));
  assert.deepEqual([read.view.task.id, read.view.task.due, read.view.task.evidence, read.view.closed],
    ['log-review', '2027-03-01', 'The review notes.', false]);
  const notOurs = await runtime.invoke(handler, 'completeTask', { today }, on(other));
  assert.equal(notOurs.view.task, null);
  assert.match(notOurs.view.why, /not one of Upkeep's control tasks/);
  // An issue the sync made for a nonconformity says what it is for, and where people write its lines.
  const upkeeps = (summary, key) => double.seed(app.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary },
    { upkeep: { key, state: 'h=1' } });
  const action = await runtime.invoke(handler, 'completeTask', { today }, on(upkeeps('Corrective action (ISMS-3): Test restores', 'ca:3:0123456789ab')));
  assert.equal(action.view.task, null);
  assert.match(action.view.why, /a corrective action of nonconformity ISMS-3: close it when it is done/);
  const proposed = await runtime.invoke(handler, 'completeTask', { today },
    on(upkeeps('Missed control: Review the security logs (due 2027-01-04)', 'nc:missed:control:log-review:2027-01-04')));
  assert.match(proposed.view.why, /under a heading "Corrective actions", one per line as "owner: what to do \(due YYYY-MM-DD\)"/);
  const copied = await runtime.invoke(handler, 'completeTask', { today },
    on(double.seed(lead.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary: 'Copy' }, { upkeep: { key: 'ca:3:0123456789ab' } })));
  assert.match(copied.view.why, /not one of Upkeep's control tasks/, 'a copied property makes no issue Upkeep\'s');

  // A work date after today is refused before anything is written.
  const early = await runtime.invoke(handler, 'completeTask', { today, complete: { done_on: '2027-03-11', links: ['https://logs.example.com/r'], note: '' } }, on(task));
  assert.equal(early.failure.kind, 'bad_input');
  assert.equal(early.failure.problems[0].pointer, '/done_on');
  const writes = () => double.requests.filter((r) => r.method !== 'GET' && !r.path.startsWith('/rest/api/3/search')).length;
  const before = writes();

  const done = await runtime.invoke(handler, 'completeTask', { today, files: [{ name: 'review-notes.pdf' }],
    complete: { done_on: '2027-03-02', links: ['https://logs.example.com/review-9'], note: 'Nothing unusual.' } }, on(task));
  assert.equal(done.failure, null, JSON.stringify(done.failure));
  assert.equal(done.completed, true);
  assert.deepEqual([done.view.closed, done.view.done_on, done.view.days_late], [true, '2027-03-02', 1]);
  assert.equal(writes() - before, 1, 'one transition');
  const after = double.issues.get(task.id);
  assert.equal(after.resolved !== null, true, 'closed through the workflow');
  assert.deepEqual([after.properties.upkeep.done_on, after.properties.upkeep.links], ['2027-03-02', ['https://logs.example.com/review-9']]);
  assert.match(after.properties.upkeep.state, /evidence=1/);
  assert.match(JSON.stringify(after.comments.at(-1).body), /Work done on 2027-03-02.*review-notes\.pdf.*Nothing unusual/);
  assert.ok(double.requests.filter((r) => r.operation === 'doTransition').every((r) => r.account === lead.accountId), 'as the user');

  // The status counts it, a day late.
  const status = await runtime.invoke(handler, 'status', { today }, { accountId: lead.accountId, project });
  const mark = status.status.report.periods[0].timeline.find((r) => r.activity === 'log-review').marks.find(([due]) => due === '2027-03-01');
  assert.deepEqual(mark.slice(0, 4), ['2027-03-01', 'late', '2027-03-02', true]);
}));

test('the change prompt as the user: the record a comment and a searchable property, follow-ups linked, one of two answers at once', () => onEmptyProject(async () => {
  const change = double.seed(lead.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Change' }, summary: 'Move the database to Hostco' });
  change.duedate = '2027-04-01';
  const task = double.seed(lead.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary: 'Order toner' });
  const on = (issue) => ({ accountId: lead.accountId, project, issue: { id: issue.id, key: issue.key } });
  const writes = () => double.requests.filter((r) => r.method !== 'GET' && !r.path.startsWith('/rest/api/3/search'));

  const notChange = await runtime.invoke(handler, 'changePrompt', { today }, on(task));
  assert.equal(notChange.kind, 'not_a_change', JSON.stringify(notChange).slice(0, 600));
  const read = await runtime.invoke(handler, 'changePrompt', { today }, on(change));
  assert.equal(read.failure, null, JSON.stringify(read.failure));
  assert.deepEqual([read.kind, read.view.record, read.view.questions.map((q) => q.id), read.view.go_live], ['ready', null, ['new-supplier', 'data'], '2027-04-01']);
  assert.equal(writes().length, 0);

  // An unanswered question: nothing is claimed or written.
  const partial = await runtime.invoke(handler, 'changePrompt', { today, answers: { 'new-supplier': 'yes' }, basedOn: 0 }, on(change));
  assert.equal(partial.kind, 'bad_answers');
  assert.deepEqual([partial.view.problems[0].pointer, partial.view.problems[0].message], ['/answers/data', 'is not answered: Will a system hold a new kind of information?']);
  assert.deepEqual([writes().length, [...runtime.store.keys()].filter((k) => k.startsWith('upkeep:change:'))], [0, []]);

  // Someone Jira lets only browse the project claims nothing.
  const byAuditor = await runtime.invoke(handler, 'changePrompt', { today, answers: { 'new-supplier': 'yes', data: 'personal' }, basedOn: 0 },
    { ...on(change), accountId: auditor.accountId });
  assert.match(byAuditor.failure.message, /Jira does not let you edit issues, add comments in ISMS: the assessment was not recorded/);
  assert.deepEqual([writes().length, [...runtime.store.keys()].filter((k) => k.startsWith('upkeep:change:'))], [0, []]);

  const recorded = await runtime.invoke(handler, 'changePrompt', { today, answers: { 'new-supplier': 'yes', data: 'personal' }, basedOn: 0 }, on(change));
  assert.equal(recorded.failure, null, JSON.stringify(recorded.failure));
  assert.deepEqual([recorded.view.record.revision, recorded.view.record.by, recorded.view.assessment.affects, recorded.conflict],
    [1, 'Lena Lead', true, null]);
  const ups = recorded.view.assessment.follow_ups;
  assert.deepEqual(ups.map((f) => [f.id, f.due, f.blocks_change, typeof f.ticket]),
    [['risk-assessment', '2027-03-25', true, 'number'], ['records', '2027-04-09', false, 'number']]);
  assert.deepEqual(recorded.view.requests, []);
  // The record: one edit of the change (the comment and the property), then each follow-up made and linked.
  assert.deepEqual(writes().map((r) => r.operation), ['editIssue', 'createIssue', 'linkIssues', 'createIssue', 'linkIssues']);
  assert.ok(writes().every((r) => r.account === lead.accountId), 'as the user');
  const held = double.issues.get(change.id);
  assert.deepEqual([held.properties['upkeep-change'].impact, held.properties['upkeep-change'].revision, held.comments.length], ['affects', 1, 1]);
  assert.match(JSON.stringify(held.comments[0].body), /ISMS impact assessment, revision 1, 2027-03-10, by Lena Lead: affects the ISMS/);
  assert.deepEqual(held.links.map((l) => [l.type, l.inward ?? l.outward]).sort(),
    [['Blocks', `ISMS-${ups[0].ticket}`], ['Relates', `ISMS-${ups[1].ticket}`]]);
  const followUp = [...double.issues.values()].find((i) => i.key === `ISMS-${ups[0].ticket}`);
  assert.deepEqual([followUp.properties.upkeep.key, followUp.duedate, followUp.summary.includes('ISMS-' + change.key.split('-')[1])],
    [`change:${change.key.split('-')[1]}:risk-assessment`, '2027-03-25', true]);
  // The impact is searchable by JQL through the app's index.
  const search = await fetch(`${double.url}/rest/api/3/search/jql`, { method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${lead.email}:${lead.token}`).toString('base64')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ jql: 'project = ISMS AND issue.property[upkeep-change].impact = "affects"', fields: ['id'] }) });
  assert.deepEqual((await search.json()).issues.map((i) => i.key), [change.key]);

  // Read again, and the same answers again: nothing is written.
  const count = writes().length;
  assert.deepEqual((await runtime.invoke(handler, 'changePrompt', { today, apply: true }, on(change))).view.requests, []);
  const same = await runtime.invoke(handler, 'changePrompt', { today, answers: { 'new-supplier': 'yes', data: 'personal' }, basedOn: 1 }, on(change));
  assert.equal(same.unchanged, true);
  assert.equal(writes().length, count);

  // Two answers over revision 1 at once: one is recorded, the other is told whose answers stand.
  const [first, second] = await Promise.all([
    runtime.invoke(handler, 'changePrompt', { today, answers: { 'new-supplier': 'no', data: 'none' }, basedOn: 1 }, on(change)),
    runtime.invoke(handler, 'changePrompt', { today, answers: { 'new-supplier': 'yes', data: 'none' }, basedOn: 1 }, on(change))]);
  assert.equal([first, second].filter((o) => o.conflict).length, 1, JSON.stringify([first.conflict, second.conflict]));
  assert.match((first.conflict ?? second.conflict), /Lena Lead recorded an assessment of this change while you were answering \(revision 2\)/);
  const winner = first.conflict ? second : first;
  assert.deepEqual([held.properties['upkeep-change'].revision, held.comments.length], [2, 2]);
  assert.deepEqual(held.properties['upkeep-change'].answers, winner.view.record.answers);
  // The follow-ups no longer called for are closed as withdrawn (the "records" one in both answers).
  const records = [...double.issues.values()].find((i) => i.key === `ISMS-${ups[1].ticket}`);
  assert.ok(records.resolved !== null && /withdrawn=1/.test(records.properties.upkeep.state));

  // A claim whose run stopped before recording it is recorded by the next read, as its author answered it.
  await claimChangeRecord('ISMS', change.id, 3, { answers: { 'new-supplier': 'no', data: 'personal' }, by: auditor.accountId, name: 'Aude Auditor',
    on: '2027-03-09', at: new Date(Date.now() - 5 * 60_000).toISOString() });
  const resumed = await runtime.invoke(handler, 'changePrompt', { today }, on(change));
  assert.deepEqual([resumed.view.record.revision, resumed.view.record.by, resumed.view.record.on], [3, 'Aude Auditor', '2027-03-09']);
  assert.deepEqual([held.properties['upkeep-change'].revision, held.properties['upkeep-change'].by, held.comments.length], [3, auditor.accountId, 3]);

  // The ISMS page's status lists the changes: this one assessed with its open follow-ups, a new one not assessed.
  const fresh = double.seed(lead.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Change' }, summary: 'Rotate the VPN keys' });
  const status = await runtime.invoke(handler, 'status', { today }, { accountId: lead.accountId, project });
  const number = (issue) => Number(issue.key.split('-')[1]);
  const listed = status.status.changes;
  assert.deepEqual(listed.unassessed.map((c) => [c.id, c.subject, c.tracker]), [[number(fresh), 'Rotate the VPN keys', 'Change']]);
  assert.deepEqual(listed.assessed.map((c) => [c.id, c.assessment.revision, c.assessment.affects]), [[number(change), 3, true]]);
  // Revision 3 calls for both follow-ups again, withdrawn by revision 2: their second issues are open.
  assert.deepEqual(listed.open_follow_ups.map((f) => [f.key, f.change, f.due]),
    [[`change:${number(change)}:risk-assessment:2`, number(change), '2027-03-25'], [`change:${number(change)}:records:2`, number(change), '2027-04-08']]);
}));

test('the change prompt while Jira\'s search lags: the follow-ups just made are found by their links, never made twice', () => onEmptyProject({ searchLag: 50 }, async () => {
  const change = double.seed(lead.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Change' }, summary: 'Add a payment provider' });
  const on = { accountId: lead.accountId, project, issue: { id: change.id, key: change.key } };
  const recorded = await runtime.invoke(handler, 'changePrompt', { today, answers: { 'new-supplier': 'yes', data: 'personal' }, basedOn: 0 }, on);
  assert.equal(recorded.failure, null, JSON.stringify(recorded.failure));
  const creates = () => double.requests.filter((r) => r.operation === 'createIssue').length;
  assert.equal(creates(), 2);
  // Read again and brought up to date at once, the search not showing them yet: nothing to make.
  const again = await runtime.invoke(handler, 'changePrompt', { today, apply: true }, on);
  assert.deepEqual(again.view.requests, []);
  assert.deepEqual(again.view.assessment.follow_ups.map((f) => f.ticket), recorded.view.assessment.follow_ups.map((f) => f.ticket));
  assert.equal(creates(), 2);
  assert.ok(double.requests.some((r) => r.operation === 'searchAndReconsileIssuesUsingJqlPost' && JSON.parse(r.body).reconcileIssues?.length === 2));
}));

test('a resolver asked outside a project is refused', async () => {
  await assert.rejects(handler({ call: { functionKey: 'status', payload: {} }, context: {} }, { principal: { accountId: lead.accountId } }),
    /runs in a Jira project/);
});
