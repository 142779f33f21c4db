// @ts-check
// Reads what the status panel needs from Redmine through the core's read-only session (the same reads as
// `upkeep status --url`): Upkeep's control tasks, the change tickets and their follow-ups, nonconformities
// and corrective actions. The tickets stay in the core; the session then answers status and export
// requests from them. The caller disposes of it.
import { performReads } from './session-reads.js';

/**
 * @param {{ core: import('../core/upkeep-core.js').UpkeepCore,
 *   client: ReturnType<typeof import('./redmine-api.js').createRedmineClient>,
 *   project: string, today: string, configText: string }} input
 * @returns {Promise<{ session: ReturnType<import('../core/upkeep-core.js').UpkeepCore['redmineSync']>, requests: number } | { error: string }>}
 */
export async function readStatus({ core, client, project, today, configText }) {
  const session = core.redmineSync({ project, today, config: configText, read_only: true });
  try {
    const { step, requests } = await performReads(session, client);
    if ('read_done' in step) return { session, requests };
    session.dispose();
    if ('error' in step) return { error: step.error };
    if ('problems' in step) return { error: step.problems.map((p) => p.message).join(' ') };
    return { error: 'The core did not finish reading the tickets.' };
  } catch (error) {
    session.dispose();
    return { error: `Cannot read the tickets. ${error instanceof Error ? error.message : error}` };
  }
}
