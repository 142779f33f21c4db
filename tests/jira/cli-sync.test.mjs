// `upkeep sync --host jira` against the Jira contract double: the plan's control tasks become issues with
// Upkeep's property in one request each (assigned by /sync/owner_accounts, described in ADF), a rerun
// writes nothing, an overdue task gets its one comment, a changed activity updates its issues and keeps what
// people wrote above Upkeep's block, issues Upkeep did not make are never touched, a dry run only reads,
// a create whose answer is lost is never made twice, whether Jira's search shows it yet or not, and a run
// killed between its writes is finished by the next.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexedProperties } from './forge-app.mjs';
import { createJiraDouble } from './jira-double.mjs';
import { bot, olga } from './log-review-project.mjs';
import { upkeep } from './run-upkeep.mjs';

const ivan = { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Ivan Ops', email: 'ivan@example.com', token: 'ivan-token' };

// A monthly scan (itops, Ivan's account) and a weekly log review (secops, no account: unassigned).
const configOf = (scanTitle = 'Run the vulnerability scan') => ({
  version: 1, organisation: { name: 'Acme' }, certification: { decision_date: '2026-12-15' },
  sync: { owner_accounts: { itops: ivan.accountId } },
  activities: [
    { id: 'scan', title: scanTitle, references: ['A.8.8'], owner: 'itops', lead_time_days: 7, instructions: 'Scan.',
      evidence: 'The report.', cadence: { rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', start: '2027-01-01' } },
    { id: 'log-review', title: 'Review the security logs', references: ['A.8.15'], owner: 'secops', lead_time_days: 3,
      instructions: 'Review them.', evidence: 'The notes.', cadence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', start: '2027-01-04' } },
  ],
});

async function withSite(setup, body) {
  const double = createJiraDouble({ users: [bot, ivan, olga], indexed: await indexedProperties(), ...setup,
    projects: [{ id: '10100', key: 'ISMS', name: 'ISMS', browsers: [bot, ivan, olga].map((u) => u.accountId),
      editors: [bot, olga].map((u) => u.accountId), issueTypes: [{ id: '10001', name: 'Task' }] }] });
  await double.start();
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-jira-sync-'));
  const sync = (today, { config = configOf(), extra = [], onSpawn } = {}) => {
    const file = join(dir, 'isms.json');
    writeFileSync(file, JSON.stringify(config));
    return upkeep(['sync', '--host', 'jira', '--url', double.url, '--project', 'ISMS', '--config', file, '--today', today, '--json', ...extra],
      `${bot.email}:${bot.token}`, { onSpawn });
  };
  try {
    await body(double, sync);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await double.stop();
  }
}

const upkeepIssues = (double) => [...double.issues.values()].filter((i) => i.properties.upkeep && i.reporter === bot.accountId);
const writes = (double) => double.requests.filter((r) => r.method !== 'GET' && r.operation !== 'searchAndReconsileIssuesUsingJqlPost');

test('a sync makes each due control task an issue with Upkeep\'s property in one request; a rerun writes nothing', async () => {
  await withSite({}, async (double, sync) => {
    const dry = await sync('2027-01-20', { extra: ['--dry-run'] });
    assert.equal(dry.status, 0, dry.stderr);
    assert.equal(writes(double).length, 0, 'a dry run only reads');
    const planned = dry.json.creates;
    assert.deepEqual(dry.json.actions.map((a) => a.key), ['control:scan:2027-01-01', 'control:log-review:2027-01-04',
      'control:log-review:2027-01-11', 'control:log-review:2027-01-18'], 'the occurrences due since the certification');

    const first = await sync('2027-01-20');
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.json.creates, planned);
    assert.equal(first.json.writes, planned);
    assert.match(first.json.notices.join('\n'), /"secops" has no account in \/sync\/owner_accounts/);
    const issues = upkeepIssues(double);
    assert.equal(issues.length, planned);
    assert.equal(writes(double).length, planned, 'one request an issue');
    const scan = issues.find((i) => i.properties.upkeep.key === 'control:scan:2027-01-01');
    assert.ok(scan, issues.map((i) => i.properties.upkeep.key).join());
    assert.equal(scan.summary, 'Run the vulnerability scan (due 2027-01-01)');
    assert.equal(scan.duedate, '2027-01-01');
    assert.equal(scan.assignee, ivan.accountId);
    assert.deepEqual(scan.labels, ['upkeep']);
    assert.deepEqual(Object.keys(scan.properties.upkeep).sort(), ['key', 'owner', 'state', 'title']);
    assert.equal(scan.properties.upkeep.title, 'Run the vulnerability scan');
    assert.match(JSON.stringify(scan.description), /ISMS task \(maintained by Upkeep/);
    assert.equal(issues.find((i) => i.properties.upkeep.key.startsWith('control:log-review:')).assignee, null);

    const again = await sync('2027-01-20');
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.json.writes, 0);
    assert.equal(upkeepIssues(double).length, planned);
    assert.deepEqual(double.violations, []);
  });
});

test('an overdue task gets its one comment; a changed activity updates its open issues and keeps what people wrote', async () => {
  await withSite({}, async (double, sync) => {
    assert.equal((await sync('2027-01-23')).status, 0, 'the log review due on Monday 01-25 is issued on 01-22');
    const log = upkeepIssues(double).find((i) => i.properties.upkeep.key === 'control:log-review:2027-01-25');
    assert.ok(log);
    assert.equal(log.comments.length, 0);
    const late = await sync('2027-01-27');
    assert.equal(late.status, 0, late.stderr);
    assert.equal(late.json.comments, 1, JSON.stringify(late.json));
    assert.equal(log.comments.length, 1);
    assert.match(JSON.stringify(log.comments[0].body), /Overdue: this ISMS task was due on 2027-01-25/);
    assert.equal((await sync('2027-01-27')).json.writes, 0, 'the comment once');

    const scan = upkeepIssues(double).find((i) => i.properties.upkeep.key === 'control:scan:2027-02-01');
    const people = { type: 'paragraph', content: [{ type: 'text', text: 'Ivan: the scanner licence runs out in March.' }] };
    scan.description = { ...scan.description, content: [people, ...scan.description.content] };
    const renamed = await sync('2027-01-27', { config: configOf('Run the external vulnerability scan') });
    assert.equal(renamed.status, 0, renamed.stderr);
    assert.equal(renamed.json.updates, 2, 'the two open scans');
    assert.equal(scan.summary, 'Run the external vulnerability scan (due 2027-02-01)');
    assert.equal(scan.properties.upkeep.title, 'Run the external vulnerability scan');
    assert.deepEqual(scan.description.content[0], people, 'what people wrote above the block stays as they wrote it');
    assert.match(JSON.stringify(scan.description.content.slice(1)), /Run the external vulnerability scan|Upkeep key: control:scan:2027-02-01/);
    assert.equal((await sync('2027-01-27', { config: configOf('Run the external vulnerability scan') })).json.writes, 0);
    assert.deepEqual(double.violations, []);
  });
});

test('issues Upkeep did not make are never touched, even with a copied property', async () => {
  await withSite({}, async (double, sync) => {
    const copied = double.seed(olga.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary: 'My copy' },
      { upkeep: { key: 'control:scan:2027-02-01', state: 'h=0' } });
    const before = structuredClone(copied);
    assert.equal((await sync('2027-01-26')).status, 0);
    assert.deepEqual(double.issues.get(copied.id), before);
    assert.ok(!double.requests.some((r) => r.path.includes(`/issue/${copied.key}`)), 'no request names it');
    assert.ok(upkeepIssues(double).some((i) => i.properties.upkeep.key === 'control:scan:2027-02-01'), 'Upkeep made its own');
  });
});

test('a create whose answer is lost is looked up, never made twice: found at once, or left to a later run when search lags', async () => {
  await withSite({}, async (double, sync) => {
    double.fail('createIssue', { lose: true });
    const found = await sync('2027-01-20');
    assert.equal(found.status, 0, found.stderr);
    const keys = upkeepIssues(double).map((i) => i.properties.upkeep.key);
    assert.equal(new Set(keys).size, keys.length, 'no key twice');
    assert.deepEqual(double.violations, []);
  });
  await withSite({ searchLag: 1 }, async (double, sync) => {
    double.fail('createIssue', { lose: true });
    const stopped = await sync('2027-01-20');
    assert.equal(stopped.status, 3, stopped.stderr);
    assert.match(stopped.stderr, /a rerun finishes what this run began/);
    assert.equal(upkeepIssues(double).length, 1, 'the lost one was made, nothing after it');
    const rerun = await sync('2027-01-20');
    assert.equal(rerun.status, 0, rerun.stderr);
    const keys = upkeepIssues(double).map((i) => i.properties.upkeep.key);
    assert.equal(new Set(keys).size, keys.length, 'no key twice');
    assert.equal(keys.length, rerun.json.creates + 1);
    assert.deepEqual(double.violations, []);
  });
});

test('Jira\'s rate limit and failing edits: a 429 is waited out and sent again, an edit that failed or lost its answer is made once', async () => {
  await withSite({}, async (double, sync) => {
    double.fail('createIssue', { status: 429, retryAfter: 0 });
    const limited = await sync('2027-01-23');
    assert.equal(limited.status, 0, limited.stderr);
    const keys = upkeepIssues(double).map((i) => i.properties.upkeep.key);
    assert.equal(keys.length, limited.json.creates);
    assert.equal(new Set(keys).size, keys.length, 'no key twice');
    const log = upkeepIssues(double).find((i) => i.properties.upkeep.key === 'control:log-review:2027-01-25');
    double.fail('editIssue', { status: 500 });
    double.fail('editIssue', { lose: true });
    const late = await sync('2027-01-27');
    assert.equal(late.status, 0, late.stderr);
    assert.equal(log.comments.length, 1, 'the failed edit sent again once its check showed it was not made; the lost one looked up');
    assert.equal(double.requests.filter((r) => r.operation === 'editIssue').length, 2, 'the failed edit and its second sending');
    assert.equal(double.requests.filter((r) => r.operation === 'createIssue').length, limited.json.creates + 1 + late.json.creates,
      'the limited create and its second sending');
    assert.equal((await sync('2027-01-27')).json.writes, 0);
    assert.deepEqual(double.violations, []);
  });
});

test('a twin of the issue that counts is closed through the workflow\'s transition to done, with its note, once', async () => {
  await withSite({}, async (double, sync) => {
    assert.equal((await sync('2027-01-23')).status, 0);
    const counts = upkeepIssues(double).find((i) => i.properties.upkeep.key === 'control:log-review:2027-01-25');
    const twin = double.seed(bot.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary: counts.summary },
      { upkeep: structuredClone(counts.properties.upkeep) });
    const closing = await sync('2027-01-23');
    assert.equal(closing.status, 0, closing.stderr);
    assert.equal(closing.json.closes, 1, JSON.stringify(closing.json));
    assert.deepEqual(closing.json.actions.map((a) => [a.action, a.ticket]), [['close', Number(twin.key.split('-')[1])]]);
    assert.equal(twin.statusId, '10002', 'Done');
    assert.ok(twin.resolved);
    assert.equal(twin.comments.length, 1);
    assert.match(twin.properties.upkeep.state, /duplicate=1/);
    assert.equal(counts.statusId, '10000', 'the one that counts stays open');
    assert.equal((await sync('2027-01-23')).json.writes, 0);
    assert.deepEqual(double.violations, []);
  });
});

test('a sync killed between its writes leaves nothing half made: the next run makes the rest, none twice', async () => {
  await withSite({}, async (double, sync) => {
    let child = null;
    let creates = 0;
    // Killed as its fourth create reaches Jira: Jira makes it, the command never hears.
    double.onRequest((operation) => {
      if (operation === 'createIssue' && ++creates === 4) child.kill('SIGKILL');
    });
    const killed = await sync('2027-03-10', { onSpawn: (c) => { child = c; } });
    assert.equal(killed.signal, 'SIGKILL');
    double.onRequest(null);
    assert.equal(upkeepIssues(double).length, 4);
    const rest = await sync('2027-03-10');
    assert.equal(rest.status, 0, rest.stderr);
    const keys = upkeepIssues(double).map((i) => i.properties.upkeep.key);
    assert.equal(new Set(keys).size, keys.length, 'no twin');
    assert.equal(keys.length, 4 + rest.json.creates);
    assert.equal((await sync('2027-03-10')).json.writes, 0, 'nothing missing');
    assert.deepEqual(double.violations, []);
  });
});
