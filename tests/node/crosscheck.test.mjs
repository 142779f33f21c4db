// Runs tests/crosscheck/crosscheck.py from `node --test`: our RRULE expander
// (`upkeep expand --jsonl`, UPKEEP_BIN) must give exactly python-dateutil's
// and rrule.js's dates on the generated corpus.  A second test checks that
// the two references agree with each other outside the one documented
// rrule.js skip class, so a new rrule.js or dateutil release that changes
// behaviour shows up here rather than as a mystery in the first test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = path.join(REPO, 'tests', 'crosscheck', 'crosscheck.py');
const PYTHON = process.env.PYTHON || '/usr/bin/python3'; // the one with python3-dateutil

function crosscheck(...args) {
  const run = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', timeout: 600_000 });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  const summary = output.match(/^crosscheck: (\d+) passed, (\d+) failed$/m);
  return { status: run.status, output, summary };
}

function assertClean({ status, output, summary }) {
  const excerpt = output.length > 6000 ? `${output.slice(0, 6000)}\n...` : output;
  assert.ok(summary, `no summary line from crosscheck.py:\n${excerpt}`);
  assert.equal(Number(summary[2]), 0, `crosscheck mismatches:\n${excerpt}`);
  assert.ok(Number(summary[1]) >= 600, `only ${summary[1]} rules checked`);
  assert.equal(status, 0, excerpt);
}

test('python-dateutil and rrule.js agree on the corpus (outside the documented skip class)', () => {
  assertClean(crosscheck('--references-only'));
});

test('upkeep expand --jsonl equals python-dateutil and rrule.js on every corpus rule', () => {
  assertClean(crosscheck());
});
