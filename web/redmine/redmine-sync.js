// @ts-check
// The browser's sync adapter: performs the reads the core's sync session asks for, then the writes of
// its plan, one at a time. A write whose answer is lost is checked (the core knows how) before it is
// retried once; anything else stops the run with what to do, and the next run finishes it.
import { RedmineError } from './redmine-api.js';
import { performReads } from './session-reads.js';

/**
 * @param {{ core: import('../core/upkeep-core.js').UpkeepCore,
 *   client: ReturnType<typeof import('./redmine-api.js').createRedmineClient>,
 *   project: string, today: string, configText: string, apply: boolean,
 *   onProgress?: (done: number, total: number, action: import('../core/upkeep-core.js').SyncAction) => void }} input
 * @returns {Promise<{ plan?: import('../core/upkeep-core.js').SyncPlan, problems?: { pointer: string, message: string }[],
 *   written: number, requests: number, error?: string }>}
 */
export async function runSync({ core, client, project, today, configText, apply, onProgress }) {
  const session = core.redmineSync({ project, today, config: configText });
  let requests = 0;
  let written = 0;
  try {
    const reads = await performReads(session, client);
    const step = reads.step;
    requests = reads.requests;
    if ('error' in step) return { written, requests, error: step.error };
    if (!('plan' in step)) return { problems: 'problems' in step ? step.problems : [], written, requests };
    const plan = step.plan;
    if (!apply) return { plan, written, requests };
    for (const [index, action] of plan.actions.entries()) {
      onProgress?.(written, plan.actions.length, action);
      try {
        requests += 1;
        await client.write(action.method, action.path, action.body);
      } catch (error) {
        const retryable = !(error instanceof RedmineError) || error.status === 0 || error.status === 429 || error.status >= 500;
        if (!retryable) return { plan, written, requests, error: stopped(written, plan, error) };
        requests += 1;
        if (!session.alreadyApplied(index, await client.getOrNull(action.check))) {
          try {
            requests += 1;
            await client.write(action.method, action.path, action.body);
          } catch (again) {
            return { plan, written, requests, error: stopped(written, plan, again) };
          }
        }
      }
      if (action.kind === 'close') {
        // Redmine answers 204 and keeps the status when its workflow forbids the change: read it back.
        requests += 1;
        if (!session.alreadyApplied(index, await client.getOrNull(action.check))) {
          return { plan, written, requests, error: stopped(written, plan,
            new Error(`${action.path}: Redmine's workflow does not let your role close nonconformities.`)) };
        }
      }
      written += 1;
    }
    return { plan, written, requests };
  } finally {
    session.dispose();
  }
}

/** @param {number} written @param {{ actions: unknown[] }} plan @param {unknown} error */
function stopped(written, plan, error) {
  return `Stopped after ${written} of ${plan.actions.length} writes: ${error instanceof Error ? error.message : error} ` +
    'Every write is a whole ticket change: press Sync now again to finish, without duplicates.';
}
