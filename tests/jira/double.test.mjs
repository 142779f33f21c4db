// The Jira contract double holds its callers and itself to Atlassian's OpenAPI description, and behaves as
// Jira Cloud is documented to in what Upkeep relies on: accounts, visibility, the enhanced JQL search (on
// the issue properties Upkeep's Forge app indexes) and its token paging, search lagging behind writes (and read-after-write with reconcileIssues), the checks on
// created and edited fields, issue properties' size, transitions by workflow, and injected faults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerProblems, componentProblems, operationOf } from './openapi.mjs';
import { indexedProperties, lintApp, manifestPath, validateManifest } from './forge-app.mjs';
import { createJiraDouble, defaultLinkTypes, simpleWorkflow } from './jira-double.mjs';

const people = {
  bot: { accountId: '5b10a2844c20165700ede21g', displayName: 'Upkeep Bot', email: 'upkeep@example.com', token: 'bot-token' },
  ciso: { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Clara Ciso', email: 'ciso@example.com', token: 'ciso-token' },
  viewer: { accountId: '5b109f2e9729b51b54dc274d', displayName: 'Vic Viewer', email: 'viewer@example.com', token: 'viewer-token' },
  outsider: { accountId: '5b10a0effa615349cb016cd8', displayName: 'Olga Outsider', email: 'olga@example.com', token: 'olga-token' },
};
// An approval workflow: Done only through In review.
const reviewed = {
  statuses: [{ id: '20000', name: 'Open', category: 'new' }, { id: '20001', name: 'In review', category: 'indeterminate' },
    { id: '20002', name: 'Closed', category: 'done' }],
  transitions: [{ id: '51', name: 'Ask for review', to: '20001', from: ['20000'] }, { id: '61', name: 'Approve', to: '20002', from: ['20001'] },
    { id: '71', name: 'Reopen', to: '20000' }],
};

async function withDouble(setup, body) {
  const double = createJiraDouble({
    users: Object.values(people),
    projects: [{ id: '10100', key: 'ISMS', name: 'ISMS', browsers: [people.bot, people.ciso, people.viewer].map((p) => p.accountId),
      editors: [people.bot, people.ciso].map((p) => p.accountId),
      issueTypes: [{ id: '10001', name: 'Task' }, { id: '10002', name: 'Change', workflow: reviewed }] }],
    indexed: await indexedProperties(),
    ...setup,
  });
  await double.start();
  const call = async (who, method, path, body) => {
    const response = await fetch(double.url + path, { method, headers: {
      ...(who ? { Authorization: `Basic ${Buffer.from(`${people[who].email}:${people[who].token}`).toString('base64')}` } : {}),
      Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  try {
    await body(double, call);
  } finally {
    await double.stop();
  }
}

const adf = (text) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const task = (summary, extra = {}) => ({ fields: { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary, ...extra } });

test('the description is Atlassian\'s, and the operations Upkeep uses are found by method and path', () => {
  assert.equal(operationOf('POST', '/rest/api/3/search/jql')?.id, 'searchAndReconsileIssuesUsingJqlPost');
  assert.equal(operationOf('GET', '/rest/api/3/issue/ISMS-1')?.id, 'getIssue');
  assert.deepEqual(operationOf('PUT', '/rest/api/3/issue/ISMS-1/properties/upkeep')?.path, { issueIdOrKey: 'ISMS-1', propertyKey: 'upkeep' });
  assert.equal(operationOf('GET', '/rest/api/3/issue/createmeta')?.id, 'getCreateIssueMeta', 'a literal path before a template');
  assert.equal(operationOf('GET', '/rest/api/2/nothing'), null);
});

test('answers that break the description are caught: the double cannot drift from what Jira returns', () => {
  const search = operationOf('POST', '/rest/api/3/search/jql');
  assert.deepEqual(answerProblems(search, 200, { issues: [], isLast: true }), []);
  assert.match(answerProblems(search, 200, { issues: [], isLast: true, nextPageToken: null }).join(), /nextPageToken must be string/);
  assert.match(answerProblems(search, 200, { issues: [{ id: 1 }], isLast: true }).join(), /issues\/0\/id must be string/);
  assert.match(answerProblems(search, 418, {}).join(), /does not answer 418/);
  const myself = operationOf('GET', '/rest/api/3/myself');
  assert.deepEqual(answerProblems(myself, 401, undefined), [], 'an error without a body');
  assert.match(answerProblems(myself, 401, { message: 'no' }).join(), /additional properties/, 'an error body is an ErrorCollection');
  assert.match(answerProblems(myself, 200, undefined).join(), /needs a body/);
  assert.match(componentProblems('User', { accountId: 'x', accountType: 'robot' }).join(), /accountType must be equal to one of/);
});

test('an account by e-mail and API token; none is 401', async () => {
  await withDouble({}, async (double, call) => {
    assert.equal((await call(null, 'GET', '/rest/api/3/myself')).status, 401);
    const me = await call('bot', 'GET', '/rest/api/3/myself');
    assert.equal(me.status, 200);
    assert.equal(me.body.accountId, people.bot.accountId);
    assert.deepEqual(double.violations, []);
  });
});

test('a request outside the description is answered 400 and kept as a violation', async () => {
  await withDouble({}, async (double, call) => {
    const oldPaging = await call('bot', 'POST', '/rest/api/3/search/jql', { jql: 'project = ISMS', startAt: 100 });
    assert.equal(oldPaging.status, 400);
    assert.match(oldPaging.body.errorMessages.join(), /must NOT have additional properties \("startAt"\)/);
    assert.equal((await call('bot', 'GET', '/rest/api/3/search/jql?jql=project%3DISMS&startAt=5')).status, 400);
    assert.equal((await call('bot', 'GET', '/rest/api/3/search/jql?jql=project%3DISMS&maxResults=ten')).status, 400);
    assert.equal((await call('bot', 'GET', '/rest/api/2/search?jql=project%3DISMS')).status, 404);
    assert.equal((await call('bot', 'POST', '/rest/api/3/issue', 'not json')).status, 400);
    assert.equal(double.violations.length, 5, double.violations.join('\n'));
    assert.equal(double.issues.size, 0);
  });
});

test('JQL: the subset Upkeep sends runs; anything else, and an unbounded query, is 400', async () => {
  await withDouble({}, async (double, call) => {
    double.seed(people.ciso.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary: 'by hand' });
    const mine = double.seed(people.bot.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Change' }, summary: 'keyed' },
      { upkeep: { key: 'control:scan:2027-02-01', state: 'h=1' } });
    const run = (jql) => call('bot', 'POST', '/rest/api/3/search/jql', { jql, fields: ['summary'], properties: ['upkeep'] });
    const keyed = await run('project = ISMS AND issue.property[upkeep].key IS NOT EMPTY ORDER BY key ASC');
    assert.deepEqual(keyed.body.issues.map((i) => i.key), [mine.key]);
    assert.deepEqual(keyed.body.issues[0].properties, { upkeep: { key: 'control:scan:2027-02-01', state: 'h=1' } });
    assert.equal(keyed.body.isLast, true);
    assert.deepEqual((await run('project = ISMS AND issue.property[upkeep].key = "control:scan:2027-02-01"')).body.issues.map((i) => i.key), [mine.key]);
    assert.deepEqual((await run('project in (ISMS, OTHER) AND issuetype in ("Change") ORDER BY key DESC')).body.issues.map((i) => i.key), [mine.key]);
    assert.equal((await run('project = ISMS AND issue.property[upkeep].key IS EMPTY')).body.issues.length, 1);
    for (const jql of ['text ~ "scan"', 'project = ISMS OR project = X', 'project != ISMS', 'ORDER BY key', 'project = ISMS ORDER BY summary']) {
      const refused = await run(jql);
      assert.equal(refused.status, 400, jql);
      assert.ok(refused.body.errorMessages.length, jql);
    }
    assert.match((await run('ORDER BY key')).body.errorMessages[0], /Unbounded JQL queries are not allowed/);
    const unindexed = await run('project = ISMS AND issue.property[upkeep].owner = "secops"');
    assert.equal(unindexed.status, 400, 'the app indexes the key and the state, not the owner');
    assert.match(unindexed.body.errorMessages[0], /does not exist or you do not have permission to view it/);
    assert.deepEqual(double.violations, []);
  });
});

test('search pages are tied to their query by an opaque token; a page holds at most 100 issues with fields, 5,000 with ids', async () => {
  await withDouble({}, async (double, call) => {
    for (let i = 0; i < 250; i += 1)
      double.seed(people.bot.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary: `task ${i}` }, { upkeep: { key: `k${i}` } });
    const query = { jql: 'project = ISMS ORDER BY key ASC', fields: ['summary', 'status', 'duedate'], properties: ['upkeep'], maxResults: 500 };
    const keys = [];
    let token;
    let pages = 0;
    do {
      const page = await call('bot', 'POST', '/rest/api/3/search/jql', { ...query, ...(token ? { nextPageToken: token } : {}) });
      assert.equal(page.status, 200);
      keys.push(...page.body.issues.map((i) => i.key));
      token = page.body.nextPageToken;
      pages += 1;
      assert.equal(page.body.isLast, !token);
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(keys, Array.from({ length: 250 }, (_, i) => `ISMS-${i + 1}`));
    const ids = await call('bot', 'POST', '/rest/api/3/search/jql', { jql: 'project = ISMS', fields: ['id'], maxResults: 5000 });
    assert.equal(ids.body.issues.length, 250);
    const first = await call('bot', 'POST', '/rest/api/3/search/jql', query);
    const other = await call('bot', 'POST', '/rest/api/3/search/jql', { ...query, jql: 'project = ISMS', nextPageToken: first.body.nextPageToken });
    assert.equal(other.status, 400, 'a token of another query');
    const get = await call('bot', 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent('project = ISMS')}&fields=summary,status&properties=upkeep&maxResults=20`);
    assert.equal(get.body.issues.length, 20);
    assert.deepEqual(double.violations, []);
  });
});

test('search lags behind writes: a new issue is found after the lag, or at once when reconciled', async () => {
  await withDouble({ searchLag: 2 }, async (double, call) => {
    const made = await call('bot', 'POST', '/rest/api/3/issue', { ...task('Scan', { duedate: '2027-02-01' }),
      properties: [{ key: 'upkeep', value: { key: 'control:scan:2027-02-01' } }] });
    assert.equal(made.status, 201);
    const find = (extra = {}) => call('bot', 'POST', '/rest/api/3/search/jql',
      { jql: 'project = ISMS AND issue.property[upkeep].key = "control:scan:2027-02-01"', fields: ['summary'], ...extra });
    assert.equal((await find()).body.issues.length, 0, 'not indexed yet');
    assert.deepEqual((await find({ reconcileIssues: [Number(made.body.id)] })).body.issues.map((i) => i.key), [made.body.key]);
    assert.equal((await call('bot', 'GET', `/rest/api/3/issue/${made.body.key}?fields=summary`)).status, 200, 'read by key at once');
    assert.deepEqual((await find()).body.issues.map((i) => i.key), [made.body.key], 'indexed after two searches');
    assert.deepEqual(double.violations, []);
  });
});

test('created and edited fields are checked as Jira checks them, and a refused request changes nothing', async () => {
  await withDouble({}, async (double, call) => {
    const refusals = [
      [task('Scan', { description: 'plain text' }), 'description'],
      [task('Scan', { customfield_10099: 'x' }), 'customfield_10099'],
      [task('Scan', { assignee: { accountId: people.outsider.accountId } }), 'assignee'],
      [task('', {}), 'summary'],
      [{ fields: { project: { key: 'ISMS' }, issuetype: { name: 'Epic' }, summary: 'x' } }, 'issuetype'],
      [{ fields: { project: { key: 'NOPE' }, issuetype: { name: 'Task' }, summary: 'x' } }, 'project'],
    ];
    for (const [body, field] of refusals) {
      const refused = await call('bot', 'POST', '/rest/api/3/issue', body);
      assert.equal(refused.status, 400, field);
      assert.ok(field in refused.body.errors, `${field}: ${JSON.stringify(refused.body)}`);
    }
    const big = await call('bot', 'POST', '/rest/api/3/issue', { ...task('Scan'), properties: [{ key: 'upkeep', value: { text: 'x'.repeat(33000) } }] });
    assert.equal(big.status, 400);
    assert.equal(double.issues.size, 0, 'nothing created');
    const made = await call('bot', 'POST', '/rest/api/3/issue', task('Scan', { description: adf('Run the scan.'), assignee: { accountId: people.ciso.accountId }, labels: ['upkeep'] }));
    assert.equal(made.status, 201);
    assert.equal((await call('bot', 'PUT', `/rest/api/3/issue/${made.body.key}`, { fields: { duedate: '2027-03-01' } })).status, 204);
    const read = await call('bot', 'GET', `/rest/api/3/issue/${made.body.key}?fields=summary,duedate,assignee,description,labels`);
    assert.equal(read.body.fields.duedate, '2027-03-01');
    assert.equal(read.body.fields.assignee.accountId, people.ciso.accountId);
    assert.deepEqual(read.body.fields.labels, ['upkeep']);
    assert.equal((await call('bot', 'PUT', `/rest/api/3/issue/${made.body.key}/properties/upkeep`, { key: 'control:scan:2027-02-01' })).status, 201);
    assert.equal((await call('bot', 'PUT', `/rest/api/3/issue/${made.body.key}/properties/upkeep`, { key: 'control:scan:2027-02-01', state: 'h=2' })).status, 200);
    assert.deepEqual((await call('bot', 'GET', `/rest/api/3/issue/${made.body.key}/properties/upkeep`)).body.value, { key: 'control:scan:2027-02-01', state: 'h=2' });
    assert.equal((await call('bot', 'GET', `/rest/api/3/issue/${made.body.key}/properties/other`)).status, 404);
    assert.equal((await call('bot', 'POST', `/rest/api/3/issue/${made.body.key}/comment`, { body: 'plain' })).status, 400);
    assert.equal((await call('bot', 'POST', `/rest/api/3/issue/${made.body.key}/comment`, { body: adf('Done.') })).status, 201);
    assert.deepEqual(double.violations, []);
  });
});

test('only a project\'s browsers see its issues (404 otherwise), only its editors change them (403)', async () => {
  await withDouble({}, async (double, call) => {
    const made = await call('bot', 'POST', '/rest/api/3/issue', task('Scan'));
    assert.equal((await call('outsider', 'GET', '/rest/api/3/project/ISMS')).status, 404);
    const hidden = await call('outsider', 'GET', `/rest/api/3/issue/${made.body.key}`);
    assert.equal(hidden.status, 404);
    assert.match(hidden.body.errorMessages[0], /does not exist or you do not have permission/);
    assert.equal((await call('outsider', 'POST', '/rest/api/3/search/jql', { jql: 'project = ISMS' })).body.issues.length, 0);
    assert.equal((await call('viewer', 'GET', `/rest/api/3/issue/${made.body.key}`)).status, 200);
    assert.equal((await call('viewer', 'PUT', `/rest/api/3/issue/${made.body.key}`, { fields: { summary: 'x' } })).status, 403);
    assert.equal((await call('viewer', 'POST', '/rest/api/3/issue', task('Mine'))).status, 403);
    assert.equal((await call('viewer', 'POST', `/rest/api/3/issue/${made.body.key}/transitions`, { transition: { id: '31' } })).status, 400);
    assert.equal((await call('viewer', 'PUT', `/rest/api/3/issue/${made.body.key}/properties/upkeep`, { key: 'x' })).status, 403);
    const project = await call('ciso', 'GET', '/rest/api/3/project/ISMS');
    assert.deepEqual(project.body.issueTypes.map((t) => t.name), ['Task', 'Change']);
    assert.deepEqual(double.violations, []);
  });
});

test('links of the site\'s link types only (404 for another)', async () => {
  await withDouble({ linkTypes: defaultLinkTypes.filter((t) => t.name !== 'Relates') }, async (double, call) => {
    const [a, b] = [(await call('bot', 'POST', '/rest/api/3/issue', task('A'))).body.key, (await call('bot', 'POST', '/rest/api/3/issue', task('B'))).body.key];
    const types = (await call('viewer', 'GET', '/rest/api/3/issueLinkType')).body.issueLinkTypes.map((t) => t.name);
    assert.deepEqual(types, ['Blocks', 'Cloners', 'Duplicate']);
    const link = (type) => call('bot', 'POST', '/rest/api/3/issueLink', { type: { name: type }, outwardIssue: { key: a }, inwardIssue: { key: b } });
    const unknown = await link('Relates');
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.errorMessages[0], /No issue link type with name 'Relates' found/);
    assert.equal((await link('Blocks')).status, 201);
    const linked = await call('bot', 'GET', `/rest/api/3/issue/${b}?fields=issuelinks`);
    assert.deepEqual(linked.body.fields.issuelinks.map((l) => [l.type.name, l.outwardIssue?.key]), [['Blocks', a]]);
    assert.deepEqual(double.violations, []);
  });
});

test('transitions follow each issue type\'s workflow; one not available from the status is 400', async () => {
  await withDouble({}, async (double, call) => {
    const made = await call('bot', 'POST', '/rest/api/3/issue', task('Scan'));
    const offered = await call('bot', 'GET', `/rest/api/3/issue/${made.body.key}/transitions`);
    assert.deepEqual(offered.body.transitions.map((t) => t.to.name), ['In Progress', 'Done']);
    const done = simpleWorkflow.transitions.find((t) => t.name === 'Done');
    assert.equal((await call('bot', 'POST', `/rest/api/3/issue/${made.body.key}/transitions`,
      { transition: { id: done.id }, update: { comment: [{ add: { body: adf('Scanned.') } }] } })).status, 204);
    const closed = await call('bot', 'GET', `/rest/api/3/issue/${made.body.key}?fields=status,resolutiondate`);
    assert.equal(closed.body.fields.status.statusCategory.key, 'done');
    assert.ok(closed.body.fields.resolutiondate);
    const change = await call('bot', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'ISMS' }, issuetype: { name: 'Change' }, summary: 'Move payroll' } });
    const approve = reviewed.transitions.find((t) => t.name === 'Approve');
    const early = await call('bot', 'POST', `/rest/api/3/issue/${change.body.key}/transitions`, { transition: { id: approve.id } });
    assert.equal(early.status, 400, 'Approve only from In review');
    assert.deepEqual((await call('bot', 'GET', `/rest/api/3/issue/${change.body.key}/transitions`)).body.transitions.map((t) => t.name), ['Ask for review']);
    assert.deepEqual(double.violations, []);
  });
});

test('injected faults: 429 with Retry-After, a reset before the request is carried out, an answer lost after', async () => {
  await withDouble({}, async (double, call) => {
    double.fail('createIssue', { status: 429, retryAfter: 3 });
    const limited = await call('bot', 'POST', '/rest/api/3/issue', task('Scan'));
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '3');
    double.fail('createIssue', { reset: true });
    await assert.rejects(call('bot', 'POST', '/rest/api/3/issue', task('Scan')));
    assert.equal(double.issues.size, 0, 'nothing made by the limited or the reset request');
    double.fail('createIssue', { lose: true });
    await assert.rejects(call('bot', 'POST', '/rest/api/3/issue', task('Scan')));
    assert.equal(double.issues.size, 1, 'the lost answer\'s issue was made');
    double.fail('searchAndReconsileIssuesUsingJqlPost', { status: 503 });
    assert.equal((await call('bot', 'POST', '/rest/api/3/search/jql', { jql: 'project = ISMS' })).status, 503);
    assert.equal((await call('bot', 'POST', '/rest/api/3/search/jql', { jql: 'project = ISMS' })).status, 200, 'the fault passes');
    assert.deepEqual(double.violations, []);
  });
});

test('Upkeep\'s Forge app manifest passes Atlassian\'s validator, which refuses a broken one', async () => {
  const result = await validateManifest();
  assert.equal(result.success, true, JSON.stringify(result.errors));
  assert.deepEqual(await indexedProperties(), [{ propertyKey: 'upkeep', path: 'key' }, { propertyKey: 'upkeep', path: 'state' },
    { propertyKey: 'upkeep-change', path: 'impact' }, { propertyKey: 'upkeep-change', path: 'revision' }]);
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-forge-'));
  try {
    const broken = join(dir, 'manifest.yml');
    writeFileSync(broken, readFileSync(manifestPath, 'utf8').replace('entityType: issue', 'entityType: ticket'));
    const refused = await validateManifest(broken);
    assert.equal(refused.success, false);
    assert.match(refused.errors.map((e) => e.message).join(), /entityType 'ticket' allowed values are/);
    // It finds the functions' files: a handler in a file the app does not have is refused.
    writeFileSync(broken, readFileSync(manifestPath, 'utf8').replace('handler: index.dailySync', 'handler: daily.dailySync'));
    const missing = await validateManifest(broken);
    assert.equal(missing.success, false);
    assert.match(missing.errors.map((e) => e.message).join(), /'daily.dailySync' cannot find associated file/);
    // It finds the files the package carries beside the bundle: a core file the app does not have is refused.
    writeFileSync(broken, readFileSync(manifestPath, 'utf8').replace('core/upkeep-jira.wasm', 'core/upkeep.wasm'));
    const unpackaged = await validateManifest(broken);
    assert.equal(unpackaged.success, false);
    assert.match(unpackaged.errors.map((e) => e.message).join(), /core\/upkeep\.wasm/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('`forge lint` finds nothing in Upkeep\'s Forge app, and the scope a Jira call needs when the manifest lacks it', async () => {
  assert.deepEqual(await lintApp(), []);
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-forge-'));
  try {
    const narrower = join(dir, 'manifest.yml');
    writeFileSync(narrower, readFileSync(manifestPath, 'utf8').replace('    - read:jira-user\n', ''));
    const found = await lintApp(narrower);
    assert.deepEqual(found.map((f) => [f.file, f.error, f.message]), [
      ['src/index.js', true, 'Jira endpoint: GET /rest/api/3/myself requires "read:jira-user" scope'],
      ['src/index.js', true, 'Jira endpoint: GET /rest/api/3/user requires "read:jira-user" scope']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
