// The WebAssembly build in node: loads through the browser facade, answers the shared fixtures exactly
// as the native build does, agrees with the native CLI on a large rule corpus, and fits its size budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { loadWasmCore, wasmDir } from './load-wasm-core.mjs';

const UPKEEP = resolve(process.env.UPKEEP_BIN ?? '../../build/native/cli/upkeep');
const core = await loadWasmCore();

test('the wasm core answers every shared fixture like the native build', () => {
  const cases = JSON.parse(readFileSync('../fixtures/json_api_cases.json', 'utf8'));
  assert.ok(cases.length >= 10);
  for (const c of cases) {
    const config = typeof c.config === 'string' ? c.config : JSON.stringify(c.config);
    const answer =
      c.call === 'expand' ? core.expand(c.request)
      : c.call === 'validate' ? core.validate(config)
      : core.calendar(config, c.request);
    assert.deepEqual(answer, c.expected, c.name);
  }
});

test('wasm and native expand a varied corpus of rules identically', () => {
  const freqs = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
  const parts = ['', ';BYMONTHDAY=-1', ';BYDAY=MO,FR', ';BYMONTH=2,8;BYMONTHDAY=29,30,31', ';BYDAY=-1FR',
    ';BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', ';BYYEARDAY=1,-1', ';BYWEEKNO=1,53;BYDAY=TH', ';INTERVAL=3;COUNT=7'];
  const requests = [];
  for (const freq of freqs)
    for (const part of parts)
      for (const dtstart of ['2024-02-29', '2027-01-31', '2026-12-28'])
        requests.push({ dtstart, rrule: `FREQ=${freq}${part}`, limit: 60 });
  const native = spawnSync(UPKEEP, ['expand', '--jsonl'], {
    input: requests.map((r) => JSON.stringify(r)).join('\n') + '\n', encoding: 'utf8',
  });
  assert.equal(native.status, 0, native.stderr);
  const lines = native.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, requests.length);
  let withDates = 0;
  requests.forEach((r, i) => {
    assert.deepEqual(core.expand(r), lines[i], JSON.stringify(r));
    if (lines[i].dates?.length) withDates++;
  });
  assert.ok(withDates > requests.length / 2, 'most rules of the corpus are valid and produce dates');
});

test('the starter configuration validates and gives the same calendar in wasm and native', () => {
  const config = spawnSync(UPKEEP, ['init', '--today', '2026-11-22'], { encoding: 'utf8' }).stdout;
  assert.equal(core.validate(config).ok, true);
  const native = spawnSync(UPKEEP, ['calendar', '-', '--format', 'json', '--from', '2026-11-22', '--to', '2029-11-22'],
    { input: config, encoding: 'utf8' });
  assert.equal(native.status, 0, native.stderr);
  assert.deepEqual(core.calendar(config, { from: '2026-11-22', to: '2029-11-22' }), JSON.parse(native.stdout));
});

// Per host, the core and only its tracker, in two modules each, the page's and the tickets'
// (wasm/CMakeLists.txt).
const modules = ['upkeep-redmine', 'upkeep-redmine-tickets', 'upkeep-jira', 'upkeep-jira-tickets'];

test('each module, wasm plus JS glue, stays within the 150 KB gzip budget', () => {
  const size = (name) => gzipSync(readFileSync(resolve(wasmDir, name)), { level: 9 }).length;
  for (const module of modules) {
    const total = size(`${module}.wasm`) + size(`${module}.mjs`);
    assert.ok(total <= 150 * 1024, `${module}: wasm + glue are ${total} bytes gzipped`);
  }
});

test('each module opens its own sessions and names the other module for the rest', async () => {
  const tickets = await loadWasmCore('upkeep-redmine-tickets');
  const request = { project: 'isms', today: '2026-11-22', now: '2026-11-22T10:00:00Z', lease_until: '2026-11-22T10:30:00Z' };
  const sync = tickets.openSession('sync', request).next();
  assert.ok(sync.send?.length > 0, JSON.stringify(sync));
  assert.match(core.openSession('sync', request).next().error, /the session "sync" is in the other module of Redmine's core/);
  assert.match(tickets.openSession('status', request).next().error, /the session "status" is in the other module/);
  assert.ok(tickets.openSession('change', { ...request, change: 12 }).next().send?.length > 0);
  assert.ok(tickets.openSession('complete', { ...request, issue: 12 }).next().send?.length > 0);
  assert.equal(tickets.version(), core.version());
  // Jira's likewise.
  const [jiraPage, jiraTickets] = await Promise.all([loadWasmCore('upkeep-jira'), loadWasmCore('upkeep-jira-tickets')]);
  const starter = spawnSync(UPKEEP, ['init', '--today', '2026-11-22'], { encoding: 'utf8' }).stdout;
  const jira = { project: 'ISMS', config: starter, today: '2026-11-22', issue: 'ISMS-1' };
  assert.ok(jiraPage.openSession('status', jira).next().send?.length > 0);
  assert.match(jiraPage.openSession('sync', jira).next().error, /the session "sync" is in the other module of Jira Cloud's core/);
  assert.match(jiraTickets.openSession('status', jira).next().error, /the session "status" is in the other module of Jira Cloud's core/);
  for (const kind of ['sync', 'complete', 'change']) assert.ok(jiraTickets.openSession(kind, jira).next().send?.length > 0, kind);
});

test('the built modules have no eval or new Function (strict CSP, MV3 extensions)', () => {
  for (const module of modules) {
    const glue = readFileSync(resolve(wasmDir, `${module}.mjs`), 'utf8');
    assert.doesNotMatch(glue, /new Function\s*\(/);
    assert.doesNotMatch(glue, /\beval\s*\(/);
  }
});

test('a session of the host runs through the facade: an unknown kind says so, a status read asks for the account first', () => {
  assert.match(core.openSession('nothing', { project: 'x' }).next().error, /no session "nothing"/);
  const session = core.openSession('status', { project: 'isms', today: '2026-11-22' });
  const step = session.next();
  assert.deepEqual(step.send[0], { method: 'GET', path: '/users/current.json', body: '', content_type: '' });
  session.answer(step.send.map(() => ({ status: 401, body: '' })));
  const done = session.next().done;
  assert.equal(done.failure.kind, 'refused');
  assert.match(done.failure.message, /the API key was refused/);
  session.dispose();
});
