// `upkeep status --host jira` against the Jira contract double: the core's Jira host reads a project's
// issues that carry Upkeep's property (and none other) through the enhanced JQL search, page after page,
// within the OpenAPI description, and the status counts them as it counts Redmine's tickets; a bad token, a
// project the account cannot browse and a missing configuration each end with their exit status and words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createJiraDouble } from './jira-double.mjs';

const UPKEEP = resolve(process.env.UPKEEP_BIN ?? '../../build/native/cli/upkeep');
const bot = { accountId: '5b10a2844c20165700ede21g', displayName: 'Upkeep Bot', email: 'upkeep@example.com', token: 'bot-token' };
const olga = { accountId: '5b10a0effa615349cb016cd8', displayName: 'Olga Outsider', email: 'olga@example.com', token: 'olga-token' };

// Weekly on Mondays from 2027-01-04, certified 2026-12-15: by 2027-03-10 ten occurrences are due.
const config = {
  version: 1, organisation: { name: 'Acme' }, certification: { decision_date: '2026-12-15' },
  activities: [{ id: 'log-review', title: 'Review the security logs', references: ['A.8.15'], owner: 'secops', lead_time_days: 3,
    instructions: 'Review them.', evidence: 'The review notes.', cadence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', start: '2027-01-04' } }],
};
const mondays = Array.from({ length: 10 }, (_, i) => new Date(Date.UTC(2027, 0, 4 + 7 * i)).toISOString().slice(0, 10));

/** Runs the command with the credential in the environment; its exit status and output. */
function upkeep(args, credential) {
  return new Promise((done) => {
    const child = spawn(UPKEEP, args, { env: { ...process.env, UPKEEP_API_KEY: credential, UPKEEP_RETRY_BASE_MS: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

async function withProject(body) {
  const double = createJiraDouble({ users: [bot, olga], pageLimit: 4,
    projects: [{ id: '10100', key: 'ISMS', name: 'ISMS', browsers: [bot.accountId], editors: [bot.accountId],
      issueTypes: [{ id: '10001', name: 'Task' }] }] });
  await double.start();
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-jira-'));
  const file = join(dir, 'isms.json');
  writeFileSync(file, JSON.stringify(config));
  try {
    await body(double, ['status', '--host', 'jira', '--url', double.url, '--project', 'ISMS', '--config', file, '--today', '2027-03-10']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await double.stop();
  }
}

test('the status of a Jira project counts the issues that carry Upkeep\'s property, read page after page', async () => {
  await withProject(async (double, status) => {
    // Nine of the ten Mondays have their issue; the first six are done (the third's work a day late, with a
    // link), the rest open; the tenth has none yet. One issue of someone else's has no property, one has
    // another tool's.
    for (const [i, due] of mondays.slice(0, 9).entries()) {
      const issue = double.seed(bot.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary: `Review the security logs (due ${due})` },
        { upkeep: { key: `control:log-review:${due}`, state: i < 6 ? 'h=1;evidence=1' : 'h=1', owner: 'secops', title: 'Review the security logs',
          ...(i < 6 ? { done_on: i === 2 ? new Date(Date.parse(due) + 86400000).toISOString().slice(0, 10) : due } : {}),
          ...(i === 2 ? { links: ['https://logs.example.com/review-3'] } : {}) } });
      if (i < 6) {
        issue.statusId = '10002';
        issue.resolved = new Date(`${due}T16:00:00Z`);
      }
    }
    // A twin of the first, which does not count.
    double.seed(bot.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary: 'Review the security logs (due 2027-01-04)' },
      { upkeep: { key: 'control:log-review:2027-01-04', state: 'h=1' } });
    double.seed(olga.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary: 'Not Upkeep\'s' });
    double.seed(olga.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary: 'Another tool\'s' }, { other: { key: 'x' } });

    const run = await upkeep([...status, '--json'], `${bot.email}:${bot.token}`);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    const occurrences = report.periods[0].occurrences.filter((o) => o.due <= '2027-03-08');
    assert.deepEqual(occurrences.map((o) => o.due), mondays);
    assert.deepEqual(occurrences.map((o) => o.state),
      ['on_time', 'on_time', 'late', 'on_time', 'on_time', 'on_time', 'overdue', 'overdue', 'overdue', 'overdue'],
      JSON.stringify(occurrences.map((o) => [o.due, o.state, o.ticket_id])));
    assert.deepEqual(occurrences.map((o) => o.ticket_id ?? null), [1, 2, 3, 4, 5, 6, 7, 8, 9, null], 'ISMS-1 to ISMS-9');
    const searches = double.requests.filter((r) => r.operation === 'searchAndReconsileIssuesUsingJqlPost');
    assert.equal(searches.length, 3, 'ten issues, four a page');
    assert.match(JSON.stringify(report.ticket_problems), /ticket ISMS-10 has the same key as ISMS-1 /, 'tickets named as Jira names them');
    assert.deepEqual(double.violations, []);
    assert.ok(double.requests.every((r) => r.method === 'GET' || r.operation === 'searchAndReconsileIssuesUsingJqlPost'), 'reads only');

  });
});

test('a refused token, a project the account cannot browse, no configuration: each its exit status and words', async () => {
  await withProject(async (double, status) => {
    const badToken = await upkeep(status, `${bot.email}:wrong`);
    assert.equal(badToken.status, 4, badToken.stderr);
    assert.match(badToken.stderr, /does not accept the account's e-mail and API token/);
    const outsider = await upkeep(status, `${olga.email}:${olga.token}`);
    assert.equal(outsider.status, 5, outsider.stderr);
    assert.match(outsider.stderr, /no project ISMS that this account may browse/);
    const noConfig = await upkeep(status.filter((a, i) => a !== '--config' && status[i - 1] !== '--config'), `${bot.email}:${bot.token}`);
    assert.equal(noConfig.status, 2, noConfig.stderr);
    assert.match(noConfig.stderr, /give the file \(--config FILE\)/);
    assert.deepEqual(double.violations, []);
  });
});
