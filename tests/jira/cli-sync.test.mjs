// `upkeep sync --host jira` against the Jira contract double: the plan's control tasks become issues with
// Upkeep's property in one request each (assigned by /sync/owner_accounts, described in ADF), a rerun
// writes nothing, an overdue task gets its one comment, a changed activity updates its issues and keeps what
// people wrote above Upkeep's block, issues Upkeep did not make are never touched, a dry run only reads,
// a create whose answer is lost is never made twice, whether Jira's search shows it yet or not, a run
// killed between its writes is finished by the next; nonconformities (people's and those Upkeep proposes
// for a missed control) with their corrective actions and verifications, and review decisions.
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

async function withSite({ issueTypes = [{ id: '10001', name: 'Task' }], ...setup }, body) {
  const double = createJiraDouble({ users: [bot, ivan, olga], indexed: await indexedProperties(), ...setup,
    projects: [{ id: '10100', key: 'ISMS', name: 'ISMS', browsers: [bot, ivan, olga].map((u) => u.accountId),
      editors: [bot, olga].map((u) => u.accountId), issueTypes }] });
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

// Nonconformities (ISO 27001 10.2) and review decisions (9.3.3) on Jira: people write the lines Redmine
// keeps in fields as sections of a description, a heading and one line each.
const heading = (text) => ({ type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text }] });
const paragraph = (...lines) => ({ type: 'paragraph',
  content: lines.flatMap((text, i) => [...(i ? [{ type: 'hardBreak' }] : []), { type: 'text', text }]) });
const bullets = (...items) => ({ type: 'bulletList',
  content: items.map((text) => ({ type: 'listItem', content: [paragraph(text)] })) });
const doc = (...content) => ({ type: 'doc', version: 1, content });

// Olga, an editor of the project, working in Jira as people do (through its REST API, as her browser would).
async function asOlga(double, method, path, body) {
  const response = await fetch(`${double.url}${path}`, { method, body: body && JSON.stringify(body),
    headers: { authorization: `Basic ${Buffer.from(`${olga.email}:${olga.token}`).toString('base64')}`,
      'content-type': 'application/json', accept: 'application/json' } });
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.text()}`);
}
const closeAsOlga = (double, issue) => asOlga(double, 'POST', `/rest/api/3/issue/${issue.key}/transitions`, { transition: { id: '31' } });

const withNonconformities = (config) => ({ ...config, nonconformities: { owner: 'itops', grace_days: 14, verification_days: 21 },
  activities: [...config.activities, { id: 'mr', title: 'Management review', references: ['9.3'], owner: 'itops',
    lead_time_days: 14, instructions: 'Hold it.', evidence: 'The minutes.', cadence: { rrule: 'FREQ=YEARLY', start: '2027-02-15' } }] });

test('nonconformities on Jira: a missed control is proposed, corrective action lines become tasks, their verification follows, and Upkeep closes what it raised', async () => {
  const types = [{ id: '10001', name: 'Task' }, { id: '10004', name: 'Nonconformity' }];
  await withSite({ issueTypes: types }, async (double, sync) => {
    const config = withNonconformities(configOf());
    assert.equal((await sync('2027-01-20', { config })).status, 0);
    // Olga raises a nonconformity by hand, with its corrective actions under their heading.
    const raised = double.seed(olga.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Nonconformity' }, summary: 'Backups not tested',
      description: doc(paragraph('Found in the internal audit.'), heading('Corrective actions'),
        bullets('itops: Add restore tests to the ops calendar (due 2027-03-01)', 'Someone should look at it'), heading('Notes'),
        paragraph('secops: not a corrective action')) });
    const first = await sync('2027-01-20', { config });
    assert.equal(first.status, 0, first.stderr);
    const number = raised.key.split('-')[1];
    assert.deepEqual(first.json.actions.map((a) => a.key.replace(/:[0-9a-f]{12}$/, ':H')), [`ca:${number}:H`]);
    assert.match(first.json.notices.join('\n'), /line 2: start with the owner's login/);
    const action = upkeepIssues(double).find((i) => i.properties.upkeep.key.startsWith(`ca:${number}:`));
    assert.equal(action.issueType.name, 'Task');
    assert.equal(action.summary, `Corrective action (ISMS-${number}): Add restore tests to the ops calendar`);
    assert.equal(action.duedate, '2027-03-01');
    assert.equal(action.assignee, ivan.accountId);
    assert.match(JSON.stringify(action.description), new RegExp(`ISMS-${number}`), 'names its nonconformity as Jira\'s people do');
    assert.equal((await sync('2027-01-20', { config })).json.writes, 0, 'each line once');

    await closeAsOlga(double, action);
    const verifying = await sync('2027-01-25', { config });
    assert.equal(verifying.status, 0, verifying.stderr);
    const verification = upkeepIssues(double).find((i) => i.properties.upkeep.key === `verify:${number}`);
    assert.ok(verification, JSON.stringify(verifying.json.actions));
    assert.equal(verification.assignee, ivan.accountId, 'the nonconformities\' owner verifies');
    assert.equal(verification.duedate, '2027-02-15', 'verification_days after the last corrective action closed');
    await closeAsOlga(double, verification);
    const after = await sync('2027-01-26', { config });
    assert.equal(after.status, 0, after.stderr);
    assert.ok(!after.json.actions.some((a) => a.ticket === Number(number)), 'people close their own nonconformities');
    assert.equal(raised.statusId, '10000');

    // The scan due on 02-01 (issued on 01-25) is still open 14 days after: Upkeep proposes a nonconformity.
    const scan = upkeepIssues(double).find((i) => i.properties.upkeep.key === 'control:scan:2027-02-01');
    assert.ok(scan);
    const proposing = await sync('2027-02-16', { config });
    assert.equal(proposing.status, 0, proposing.stderr);
    const proposed = upkeepIssues(double).find((i) => i.properties.upkeep.key === 'nc:missed:control:scan:2027-02-01');
    assert.ok(proposed, JSON.stringify(proposing.json.actions.map((a) => a.key)));
    assert.equal(proposed.issueType.name, 'Nonconformity');
    assert.equal(proposed.properties.upkeep.source, 'Missed control');
    assert.equal(proposed.properties.upkeep.grade, 'Minor');
    assert.equal(proposed.assignee, ivan.accountId, 'the nonconformities\' owner');
    assert.equal(scan.statusId, '10000', 'the missed task stays open: late work is closed late');
    // Olga writes its corrective action above Upkeep's block; Upkeep makes it, then its verification,
    // then closes the nonconformity it raised, through the workflow.
    await asOlga(double, 'PUT', `/rest/api/3/issue/${proposed.key}`, { fields: { description: doc(
      paragraph('Corrective actions:', 'itops: Put the scan on the on-call checklist'), ...proposed.description.content) } });
    assert.equal((await sync('2027-02-17', { config })).status, 0);
    const fix = upkeepIssues(double).find((i) => i.properties.upkeep.key.startsWith(`ca:${proposed.key.split('-')[1]}:`));
    assert.ok(fix);
    await closeAsOlga(double, fix);
    assert.equal((await sync('2027-02-18', { config })).status, 0);
    const check = upkeepIssues(double).find((i) => i.properties.upkeep.key === `verify:${proposed.key.split('-')[1]}`);
    assert.ok(check);
    await closeAsOlga(double, check);
    const closing = await sync('2027-02-19', { config });
    assert.equal(closing.status, 0, closing.stderr);
    assert.equal(closing.json.closes, 1, JSON.stringify(closing.json.actions));
    assert.equal(proposed.statusId, '10002', 'Done');
    assert.equal(proposed.comments.length, 1);

    // The status counts the nonconformities, their corrective actions and verifications.
    const file = join(tmpdir(), `upkeep-jira-nc-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(config));
    const status = await upkeep(['status', '--host', 'jira', '--url', double.url, '--project', 'ISMS', '--config', file,
      '--today', '2027-02-19', '--json'], `${bot.email}:${bot.token}`);
    rmSync(file);
    assert.equal(status.status, 0, status.stderr);
    assert.match(JSON.stringify(status.json), /Backups not tested/);
    assert.equal((await sync('2027-02-19', { config })).json.writes, 0);
    assert.deepEqual(double.violations, []);
  });
});

test('review decisions written under their heading on the management review\'s task become follow-ups, once each', async () => {
  await withSite({}, async (double, sync) => {
    const config = withNonconformities(configOf());
    assert.equal((await sync('2027-02-05', { config })).status, 0);
    const review = upkeepIssues(double).find((i) => i.properties.upkeep.key === 'control:mr:2027-02-15');
    assert.ok(review);
    await asOlga(double, 'PUT', `/rest/api/3/issue/${review.key}`, { fields: { description: doc(heading('Review decisions'),
      paragraph('itops: Budget a second backup site (due 2027-06-30)', 'secops: Hire an analyst'), ...review.description.content) } });
    const deciding = await sync('2027-02-06', { config });
    assert.equal(deciding.status, 0, deciding.stderr);
    const decisions = upkeepIssues(double).filter((i) => i.properties.upkeep.key.startsWith(`decision:${review.key.split('-')[1]}:`));
    const decided = (what) => decisions.find((d) => d.summary === `Review decision (${review.key}): ${what}`);
    assert.equal(decisions.length, 2);
    assert.equal(decided('Budget a second backup site')?.assignee, ivan.accountId);
    assert.equal(decided('Budget a second backup site').duedate, '2027-06-30', 'the line\'s deadline');
    assert.equal(decided('Hire an analyst')?.assignee, null);
    assert.ok(decided('Hire an analyst').duedate > '2027-02-06', 'a deadline of Upkeep\'s where the line gives none');
    assert.match(deciding.json.notices.join('\n'), /"secops" has no account/);
    assert.equal((await sync('2027-02-06', { config })).json.writes, 0);
    // Without the issue type "Nonconformity", a proposed nonconformity waits and says why.
    const waiting = await sync('2027-02-23', { config, extra: ['--dry-run'] });
    assert.equal(waiting.status, 0, waiting.stderr);
    assert.ok(!waiting.json.actions.some((a) => a.key.startsWith('nc:')));
    assert.match(waiting.json.notices.join('\n'), /proposed nonconformities wait: project ISMS has no issue type "Nonconformity"/);
    assert.deepEqual(double.violations, []);
  });
});
