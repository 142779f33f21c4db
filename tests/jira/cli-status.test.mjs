// `upkeep status --host jira` against the Jira contract double: the core's Jira host reads a project's
// issues that carry Upkeep's property (and none other) through the enhanced JQL search, page after page,
// within the OpenAPI description, and the status counts them as it counts Redmine's tickets; a bad token, a
// project the account cannot browse, a project key that is not one and a missing configuration each end
// with their exit status and words; a nonconformity's source is read from its description; `upkeep changes
// --host jira` lists the change issues not assessed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upkeep } from './run-upkeep.mjs';
import { bot, changes, config, expectedOccurrences, occurrencesOf, olga, startLogReviewProject, today } from './log-review-project.mjs';

async function withProject(body) {
  const double = await startLogReviewProject();
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-jira-'));
  const file = join(dir, 'isms.json');
  writeFileSync(file, JSON.stringify(config));
  try {
    await body(double, ['status', '--host', 'jira', '--url', double.url, '--project', 'ISMS', '--config', file, '--today', today]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await double.stop();
  }
}

test('the status of a Jira project counts the issues that carry Upkeep\'s property, read page after page', async () => {
  await withProject(async (double, status) => {
    const run = await upkeep([...status, '--json'], `${bot.email}:${bot.token}`);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(occurrencesOf(report), expectedOccurrences);
    const searches = double.requests.filter((r) => r.operation === 'searchAndReconsileIssuesUsingJqlPost');
    assert.equal(searches.length, 4, 'ten issues, four a page, then the project\'s nonconformities (none)');
    assert.match(JSON.parse(searches[3].body).jql, /issuetype in \("Nonconformity"\)/);
    assert.match(JSON.stringify(report.ticket_problems), /ticket ISMS-10 has the same key as ISMS-1 /, 'tickets named as Jira names them');
    assert.deepEqual(double.violations, []);
    assert.ok(double.requests.every((r) => r.method === 'GET' || r.operation === 'searchAndReconsileIssuesUsingJqlPost'), 'reads only');
  });
});

test('a search that Jira limits (429, Retry-After) or drops is read again; what was read is a snapshot that gives the same figures offline', async () => {
  await withProject(async (double, status) => {
    double.fail('searchAndReconsileIssuesUsingJqlPost', { status: 429, retryAfter: 0 });
    double.fail('getCurrentUser', { reset: true });
    const dir = mkdtempSync(join(tmpdir(), 'upkeep-jira-snapshot-'));
    try {
      const snapshot = join(dir, 'snapshot.json');
      const run = await upkeep([...status, '--json', '--save-snapshot', snapshot], `${bot.email}:${bot.token}`);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(occurrencesOf(JSON.parse(run.stdout)), expectedOccurrences);
      assert.equal(double.requests.filter((r) => r.operation === 'searchAndReconsileIssuesUsingJqlPost').length, 5, 'three pages, one twice, then the nonconformities');
      const offline = await upkeep(['status', '--snapshot', snapshot, '--json'], '');
      assert.equal(offline.status, 0, offline.stderr);
      assert.deepEqual(occurrencesOf(JSON.parse(offline.stdout)), expectedOccurrences);
      assert.match(JSON.stringify(JSON.parse(offline.stdout).ticket_problems), /ISMS-10/);
      // The snapshot keeps where the issues are: its register links them as the online one does.
      const register = await upkeep(['status', '--snapshot', snapshot, '--register', 'csv'], '');
      assert.match(register.stdout, new RegExp(`,${double.url}/browse/ISMS-1\r\n`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(double.violations, []);
  });
});

test('a nonconformity people raised at a management review ("NC source: ..." in its description) is among the review pack\'s inputs; the files name and link issues as Jira does', async () => {
  await withProject(async (double, status) => {
    const paragraph = (text) => ({ type: 'paragraph', content: [{ type: 'text', text }] });
    const described = (...blocks) => ({ type: 'doc', version: 1, content: blocks });
    const raised = (summary, source) => double.seed(olga.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Nonconformity' }, summary,
      description: described(paragraph('What was found, and where.'), paragraph(`NC source: ${source}`)) });
    const fromReview = raised('The supplier list is a year old', 'Management review');
    const fromAudit = raised('Two leavers still had accounts', 'Internal audit');
    const run = await upkeep([...status, '--review-pack'], `${bot.email}:${bot.token}`);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`Nonconformities and improvements raised by reviews, and their actions:\n+- ${fromReview.key} The supplier list is a year old \\(open\\)`));
    assert.doesNotMatch(run.stdout, new RegExp(`${fromAudit.key} `));
    const html = await upkeep([...status, '--review-pack', '--format', 'html'], `${bot.email}:${bot.token}`);
    assert.match(html.stdout, new RegExp(`<a href="${double.url}/browse/${fromReview.key}">${fromReview.key}</a> The supplier list`));
    // The evidence register links each occurrence to its issue on the site.
    const register = await upkeep([...status, '--register', 'csv'], `${bot.email}:${bot.token}`);
    assert.equal(register.status, 0, register.stderr);
    const links = register.stdout.trim().split('\r\n').slice(1).map((row) => row.split(',').at(-1));
    assert.deepEqual(links.slice(0, 2), [`${double.url}/browse/ISMS-1`, `${double.url}/browse/ISMS-2`]);
    assert.deepEqual(double.violations, []);
  });
});

test('a refused token, a project the account cannot browse, a key that is not one, no configuration: each its exit status and words', async () => {
  await withProject(async (double, status) => {
    const badToken = await upkeep(status, `${bot.email}:wrong`);
    assert.equal(badToken.status, 4, badToken.stderr);
    assert.match(badToken.stderr, /does not accept the account's e-mail and API token/);
    const outsider = await upkeep(status, `${olga.email}:${olga.token}`);
    assert.equal(outsider.status, 5, outsider.stderr);
    assert.match(outsider.stderr, /no project ISMS that this account may browse/);
    const badKey = await upkeep(status.map((a) => (a === 'ISMS' ? 'isms/../x' : a)), `${bot.email}:${bot.token}`);
    assert.equal(badKey.status, 2, badKey.stderr);
    assert.match(badKey.stderr, /expected the Jira project's key, such as ISMS \("isms\/\.\.\/x" is not one\)/);
    const noConfig = await upkeep(status.filter((a, i) => a !== '--config' && status[i - 1] !== '--config'), `${bot.email}:${bot.token}`);
    assert.equal(noConfig.status, 2, noConfig.stderr);
    assert.match(noConfig.stderr, /give the file \(--config FILE\)/);
    assert.deepEqual(double.violations, []);
  });
});

test('`upkeep changes --host jira` lists the change issues nobody assessed, named as Jira names them', async () => {
  const double = await startLogReviewProject({ changes: true });
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-jira-'));
  const file = join(dir, 'isms.json');
  writeFileSync(file, JSON.stringify({ ...config, changes }));
  const change = double.seed(olga.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Change' }, summary: 'Move the database to Hostco' });
  change.duedate = '2027-04-01';
  const args = ['changes', '--host', 'jira', '--url', double.url, '--project', 'ISMS', '--config', file, '--today', today];
  try {
    const listed = await upkeep(args, `${bot.email}:${bot.token}`);
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^1 open change\\(s\\) not assessed for their ISMS impact:\n  ${change.key}  Move the database to Hostco  ` +
      '\\(Change, opened \\d{4}-\\d{2}-\\d{2}, due 2027-04-01\\)\n$'));
    const json = JSON.parse((await upkeep([...args, '--json'], `${bot.email}:${bot.token}`)).stdout);
    assert.deepEqual(json.unassessed.map((c) => c.id), [Number(change.key.split('-')[1])]);
    assert.deepEqual([json.assessed, json.open_follow_ups], [[], []]);
    assert.ok(double.requests.every((r) => r.method === 'GET' || r.operation === 'searchAndReconsileIssuesUsingJqlPost'), 'reads only');
    assert.deepEqual(double.violations, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await double.stop();
  }
});
