// Jira Cloud's wasm modules (upkeep-jira, upkeep-jira-tickets), run by Node as the Forge app's backend runs them:
// the browser's facade and pump (web/core), requests carried by fetch with the account's e-mail and API
// token, against the contract double: the same occurrences as the native command reads, and a sync that
// writes the due control tasks once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadWasmCore } from '../node/load-wasm-core.mjs';
import { runSession } from '../../web/core/run-session.js';
import { indexedProperties } from './forge-app.mjs';
import { createJiraDouble } from './jira-double.mjs';
import { bot, config, expectedOccurrences, occurrencesOf, startLogReviewProject, today } from './log-review-project.mjs';

/** Carries the core's requests to the double as the account: the pump's `send`. */
const sender = (double) => {
  const authorization = `Basic ${Buffer.from(`${bot.email}:${bot.token}`).toString('base64')}`;
  return async (request) => {
    const response = await fetch(double.url + request.path, { method: request.method, body: request.body || undefined,
      headers: { Authorization: authorization, Accept: 'application/json', ...(request.body ? { 'Content-Type': request.content_type } : {}) } });
    return { status: response.status, body: await response.text() };
  };
};

test('the Jira module reads a project\'s status through the facade, as the native command does', async () => {
  const double = await startLogReviewProject();
  try {
    const core = await loadWasmCore('upkeep-jira');
    const send = sender(double);
    const session = core.openSession('status', { project: 'ISMS', config: JSON.stringify(config), url: double.url });
    const outcome = await runSession(session, { send });
    assert.ok('result' in outcome, JSON.stringify(outcome));
    assert.equal(outcome.result.failure, null);
    assert.equal(outcome.result.read.tickets, 10);
    const status = session.call('status', { today });
    assert.deepEqual(occurrencesOf(status.report), expectedOccurrences);
    assert.equal(outcome.requests, 6, 'the account and the project, three pages, then the nonconformities');
    assert.deepEqual(outcome.result.lacks, {}, 'the project has the issue type of nonconformities');
    session.dispose();
    assert.deepEqual(double.violations, []);
  } finally {
    await double.stop();
  }
});

test('the Jira tickets module syncs a project through the facade: the due control tasks once, then nothing', async () => {
  const double = createJiraDouble({ users: [bot], indexed: await indexedProperties(),
    projects: [{ id: '10100', key: 'ISMS', name: 'ISMS', browsers: [bot.accountId], editors: [bot.accountId], issueTypes: [{ id: '10001', name: 'Task' }] }] });
  await double.start();
  try {
    const core = await loadWasmCore('upkeep-jira-tickets');
    const sync = async () => {
      const session = core.openSession('sync', { project: 'ISMS', config: JSON.stringify(config), today, url: double.url });
      const outcome = await runSession(session, { send: sender(double) });
      session.dispose();
      assert.ok('result' in outcome, JSON.stringify(outcome));
      assert.equal(outcome.result.failure, null, JSON.stringify(outcome.result.failure));
      return outcome.result;
    };
    const first = await sync();
    assert.equal(first.plan.counts.create, 10, 'the ten Mondays up to today');
    assert.equal(first.written, 10);
    assert.equal(double.issues.size, 10);
    const again = await sync();
    assert.equal(again.written, 0);
    assert.equal(again.plan.unchanged, 10);
    assert.deepEqual(double.violations, []);
  } finally {
    await double.stop();
  }
});
