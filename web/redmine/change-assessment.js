// @ts-check
// The browser's adapter for the change prompt: performs the reads the core's change session asks for;
// to record, writes the assessment on the change ticket (refused, and said so, when someone recorded one
// meanwhile), then rereads and applies the follow-up writes
// until the follow-ups match what the ticket records (a few passes at most: create, then nothing).
// Every follow-up write is checked by the next pass, so a run that stops is finished by the next one.
// A relation Redmine refuses (422) is left to that check too: someone answering at the same moment may
// have linked the same follow-up first ("has already been taken"); if the link is still missing after the
// last pass, Redmine's reason is what the user sees.

import { performReads } from './session-reads.js';
import { RedmineError } from './redmine-api.js';

const MAX_PASSES = 4;

/**
 * @param {{ core: import('../core/upkeep-core.js').UpkeepCore,
 *   client: ReturnType<typeof import('./redmine-api.js').createRedmineClient>,
 *   project: string, change: number, today: string, answers?: Record<string, string>, apply?: boolean,
 *   basedOn?: number }} input `basedOn`: the revision the form showed when it was answered (0: none)
 * @returns {Promise<{ view?: import('../core/upkeep-core.js').ChangeView, kind?: string,
 *   problems?: { pointer: string, message: string }[], written: number, requests: number, error?: string,
 *   conflict?: string }>}
 */
export async function runChangeAssessment(input) {
  // A record refused as stale (no reason given) while the change still holds the record it was based on
  // was refused for another edit of the change (a comment, a field): it is written again on the fresh
  // ticket, a few times at most.
  for (let attempt = 1; ; attempt += 1) {
    const { retry, ...outcome } = await runOnce(input);
    if (!retry) return outcome;
    if (attempt === 3) return { ...outcome, error: `Redmine refused the assessment: ${retry} (the change kept changing; submit again).` };
  }
}

/**
 * One session of runChangeAssessment; `retry` (Redmine's reason) when the record should be written again.
 * @param {Parameters<typeof runChangeAssessment>[0]} input
 * @returns {Promise<Awaited<ReturnType<typeof runChangeAssessment>> & { retry?: string }>}
 */
async function runOnce({ core, client, project, change, today, answers, apply = false, basedOn }) {
  const session = core.changePrompt({ project, change, today, ...(answers ? { answers } : {}) });
  let requests = 0;
  let written = 0;
  let expectedRevision = 0;
  /** @type {string | undefined} */
  let refusedLink;
  /** POSTs a relation; a 422 is remembered for the next pass to check. @param {string} path @param {object} body */
  const link = async (path, body) => {
    try {
      await client.write('POST', path, body);
      written += 1;
    } catch (error) {
      if (!(error instanceof RedmineError && error.status === 422)) throw error;
      refusedLink = error.message;
    }
  };
  /** The change as it is now, once someone else's record is found: what the user is shown instead. */
  const superseded = async () => {
    session.reread();
    const step = await readAll();
    const now = 'ready' in step ? step.ready : undefined;
    return { view: now, written, requests, conflict: `${now?.record?.by ?? 'Someone'} recorded an assessment of this ` +
      `change while you were answering (revision ${now?.record?.revision ?? '?'}, shown here). Yours was not recorded: ` +
      'answer again if it differs.' };
  };
  /**
   * Writes the assessment, unless someone recorded one since the form was shown. The PUT carries the
   * lock_version read just before the change, so Redmine refuses it (422, no reason given) when someone
   * recorded in between; then the change is read again and the user sees whose record it holds. Nothing
   * of theirs is written. Returns that outcome, or null when written.
   * @param {{ method: string, path: string, body: object }} request
   */
  const record = async (request) => {
    if (basedOn !== undefined && expectedRevision !== basedOn + 1) return superseded();
    try {
      await client.write(request.method, request.path, request.body);
      return null;
    } catch (error) {
      if (!(error instanceof RedmineError && error.status === 422)) throw error;
      if (error.errors.length) return { written, requests, error: `Redmine refused the assessment: ${error.message}` };
      const outcome = await superseded();
      if ((outcome.view?.record?.revision ?? 0) >= expectedRevision) return outcome;
      return { view: outcome.view, written, requests, retry: error.message };
    }
  };
  const readAll = async () => {
    const reads = await performReads(session, client);
    requests += reads.requests;
    return reads.step;
  };
  try {
    let step = await readAll();
    for (let pass = 0; ; pass += 1) {
      if ('error' in step) return { written, requests, error: step.error };
      if (!('ready' in step)) return { kind: step.kind, problems: step.problems, view: step.view, written, requests };
      const view = step.ready;
      // Redmine answers 204 and drops a field the role may not edit: check that the record is there.
      if (expectedRevision && (view.record?.revision ?? 0) < expectedRevision) {
        return { view, written, requests, error: 'Redmine did not store the assessment: your role may not edit the ' +
          '"ISMS impact" or "Upkeep state" field of this tracker (Administration > Workflows > Fields permissions).' };
      }
      if (!apply || view.requests.length === 0) return { view, written, requests };
      if (pass === MAX_PASSES) return { view, written, requests, error: refusedLink ??
        'The follow-ups did not settle: someone else is changing them. Reload the page.' };
      refusedLink = undefined;
      for (const request of view.requests) {
        if (request.kind === 'record') expectedRevision = Number(/^revision (\d+)$/.exec(request.reason)?.[1] ?? 0);
        requests += 1;
        if (request.kind === 'link') {
          await link(request.path, request.body);
          continue;
        }
        if (request.kind === 'record') {
          const refused = await record(request);
          if (refused) return refused;
          written += 1;
          continue;
        }
        const answer = await client.write(request.method, request.path, request.body);
        written += 1;
        if (request.link_path && answer?.issue?.id) {
          requests += 1;
          await link(request.link_path, { relation: { issue_to_id: answer.issue.id, relation_type: 'relates' } });
        }
      }
      session.reread();
      step = await readAll();
    }
  } catch (error) {
    return { written, requests, error: `${error instanceof Error ? error.message : error} ` +
      (written ? `(${written} writes were made; submit again to finish, nothing is duplicated.)` : '(nothing was written.)') };
  } finally {
    session.dispose();
  }
}
