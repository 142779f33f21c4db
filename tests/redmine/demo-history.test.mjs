// The demo's history (scripts/redmine/seed-demo-history.mjs) on a project set up as the demo's: what a
// newcomer opens is a lived-in ISMS (work done on time and late, with files and links, one task without
// evidence, a change assessed, an incident, a nonconformity through its corrective action and
// verification), every figure from the tracker; run again, it records nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { credentials, credentialsFile, field, issuesOf, owners, putConfig, redmineUrl, rest, scratchProject, statusJson, suite, sync, upkeep } from './harness.mjs';

const TODAY = '2026-11-22';
const { cleanups } = suite();

function seed(project, file) {
  const run = spawnSync('node', ['../../scripts/redmine/seed-demo-history.mjs', '--url', redmineUrl, '--project', project,
    '--config', file, '--today', TODAY, '--credentials', credentialsFile], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return run.stderr;
}

test('the demo history makes every part of the status show real content, and a rerun records nothing', async () => {
  const scratch = await scratchProject('demo-history', [...owners, 'upkeep-bot']);
  cleanups.push(scratch.remove);
  const project = scratch.identifier;
  const config = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15', '--organisation', 'Demo Ltd']));
  const file = join(mkdtempSync(join(tmpdir(), 'upkeep-demo-history-')), 'isms.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  await putConfig(project, config, 'the demo configuration');
  assert.equal((await sync(['--project', project, '--today', TODAY])).status, 0);
  const status = () => statusJson(project, TODAY);
  const before = status().next_audit.readiness;

  assert.match(seed(project, file), /==> demo history: \d+ things recorded/);
  const after = status();
  const { readiness } = after.next_audit;
  assert.ok(readiness.percent >= 60 && readiness.done > before.done, `${before.text} then ${readiness.text}`);
  const period = after.periods.find((p) => p.audit === after.next_audit.audit);
  const states = new Set(period.occurrences.map((o) => o.state));
  for (const state of ['on_time', 'late', 'overdue']) assert.ok(states.has(state), `an occurrence ${state}: ${[...states]}`);
  assert.ok(period.occurrences.some((o) => o.done_on && !o.evidence), 'one done without evidence');
  assert.ok(after.next_audit.to_watch.some((i) => i.kind === 'closed_without_evidence'));
  const kpi = (id) => after.kpis.find((k) => k.id === id).periods.find((p) => p.audit === period.audit);
  assert.deepEqual([kpi('training-completion').numerator, kpi('training-completion').denominator], [39, 42]);
  assert.match(kpi('incidents').detail, /Medium 1/);
  assert.ok(kpi('controls-on-time').numerator > 0);

  const closed = new Set((await rest('GET', '/issue_statuses.json')).body.issue_statuses.filter((s) => s.is_closed).map((s) => s.id));
  const isClosed = (/** @type {any} */ t) => closed.has(t.status.id);
  const tickets = await issuesOf(project);
  const byTracker = (name) => tickets.filter((i) => i.tracker.name === name);
  const [change] = byTracker('Change');
  assert.equal(field(change, 'ISMS impact'), 'Affects the ISMS');
  assert.ok(byTracker('ISMS follow-up').length >= 3, 'the change\'s follow-ups');
  const [nc] = byTracker('Nonconformity');
  assert.ok(isClosed(nc), 'the nonconformity, verified, is closed');
  assert.ok(byTracker('Corrective action').every(isClosed) && byTracker('Corrective action').length === 2,
    'its corrective action and verification, done');
  assert.ok(isClosed(byTracker('Incident')[0]));
  assert.ok(byTracker('Control task').filter((t) => (field(t, 'Evidence links') ?? '') !== '').length > 3, 'evidence links');

  // Run again: nothing new.
  assert.match(seed(project, file), /==> demo history: 0 things recorded/);
  assert.equal((await issuesOf(project)).length, tickets.length);
  assert.deepEqual(status().next_audit.readiness, readiness);
});
