// Jira Cloud's wasm module (upkeep-jira), run by Node as the Forge app's backend functions will run it:
// the browser's facade and pump (web/core), requests carried by fetch with the account's e-mail and API
// token, against the contract double; the same occurrences as the native command reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadWasmCore } from '../node/load-wasm-core.mjs';
import { runSession } from '../../web/core/run-session.js';
import { bot, config, expectedOccurrences, occurrencesOf, startLogReviewProject, today } from './log-review-project.mjs';

test('the Jira module reads a project\'s status through the facade, as the native command does', async () => {
  const double = await startLogReviewProject();
  try {
    const core = await loadWasmCore('upkeep-jira');
    const authorization = `Basic ${Buffer.from(`${bot.email}:${bot.token}`).toString('base64')}`;
    const send = async (request) => {
      const response = await fetch(double.url + request.path, { method: request.method, body: request.body || undefined,
        headers: { Authorization: authorization, Accept: 'application/json', ...(request.body ? { 'Content-Type': request.content_type } : {}) } });
      return { status: response.status, body: await response.text() };
    };
    const session = core.openSession('status', { project: 'ISMS', config: JSON.stringify(config), url: double.url });
    const outcome = await runSession(session, { send });
    assert.ok('result' in outcome, JSON.stringify(outcome));
    assert.equal(outcome.result.failure, null);
    assert.equal(outcome.result.read.tickets, 10);
    const status = session.call('status', { today });
    assert.deepEqual(occurrencesOf(status.report), expectedOccurrences);
    assert.equal(outcome.requests, 5, 'the account and the project, then three pages');
    session.dispose();
    assert.deepEqual(double.violations, []);
  } finally {
    await double.stop();
  }
});
