// One ISMS, two trackers: the demo's configuration (`upkeep init`, certified eight months before) planned
// on an empty Redmine project and on an empty Jira Cloud project (the contract double of tests/jira) by
// the same command gives the same control tasks to make: the same occurrences, by their keys, for the same
// reasons (which name the day each fell overdue).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { owners, putConfig, scratchProject, suite, sync, upkeep, upkeepBin } from './harness.mjs';
import { createJiraDouble } from '../jira/jira-double.mjs';
import { indexedProperties } from '../jira/forge-app.mjs';
import { bot } from '../jira/log-review-project.mjs';
import { upkeep as upkeepFor } from '../jira/run-upkeep.mjs';

const resources = suite();
const TODAY = '2026-11-22';

/** A dry run's control tasks to make (`upkeep sync --json`), as [key, reason], by key. */
const creates = (run) => run.json.actions.filter((a) => a.action === 'create' && a.key.startsWith('control:'))
  .map((a) => [a.key, a.reason]).sort((x, y) => x[0].localeCompare(y[0]));

test('the demo ISMS plans the same control tasks on Redmine and on Jira Cloud', async () => {
  const config = JSON.parse(upkeep(['init', '--organisation', 'Demo Ltd', '--decision-date', '2026-03-22']));
  const scratch = await scratchProject('two-trackers', [...owners, 'upkeep-bot']);
  resources.cleanups.push(scratch.remove);
  await putConfig(scratch.identifier, config, 'two trackers test');
  const onRedmine = await sync(['--project', scratch.identifier, '--today', TODAY, '--dry-run', '--json']);
  assert.equal(onRedmine.status, 0, onRedmine.stderr);

  const dir = mkdtempSync(join(tmpdir(), 'upkeep-two-trackers-'));
  resources.cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'isms.json');
  writeFileSync(file, JSON.stringify(config));
  const jira = createJiraDouble({ users: [bot], indexed: await indexedProperties(),
    projects: [{ id: '10100', key: 'ISMS', name: 'ISMS', browsers: [bot.accountId], editors: [bot.accountId],
      issueTypes: [{ id: '10001', name: 'Task' }] }] });
  await jira.start();
  resources.cleanups.push(() => jira.stop());
  process.env.UPKEEP_BIN ??= upkeepBin;
  const onJira = await upkeepFor(['sync', '--host', 'jira', '--url', jira.url, '--project', 'ISMS', '--config', file,
    '--today', TODAY, '--dry-run', '--json'], `${bot.email}:${bot.token}`);
  assert.equal(onJira.status, 0, onJira.stderr);

  const redmineTasks = creates(onRedmine);
  assert.ok(redmineTasks.length > 20, `the demo's occurrences due so far: ${redmineTasks.length}`);
  assert.deepEqual(creates(onJira), redmineTasks);
  assert.equal(onJira.json.creates, onRedmine.json.creates, 'nothing else to make on either');
  assert.deepEqual(jira.violations, []);
});
