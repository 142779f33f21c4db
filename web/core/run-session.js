// @ts-check
// Carries a session of the core to its end: sends the requests it asks for with the host's transport (reads
// it gives together go at once) and hands the answers back in their order, waits when it says so (its one
// retry policy), until it is done. The core decides every request, read or write, and how a lost answer is
// looked up; this file only moves them, like the CLI's pump (cli/tracker_pump.cpp).

/**
 * @param {ReturnType<import('./upkeep-core.js').UpkeepCore['openSession']>} session
 * @param {{ send: (request: import('./upkeep-core.js').HttpRequest) => Promise<import('./upkeep-core.js').HttpResponse>,
 *   onProgress?: (label: string, progress: { done?: number, total?: number }, requests: import('./upkeep-core.js').HttpRequest[]) => void,
 *   onWait?: (ms: number, why: string) => void,
 *   sleep?: (ms: number) => Promise<void>, stopAt?: { time: number, why: string } }} pump
 *   `stopAt`: past that time (Date.now()), or before a wait that would end past it, the session is
 *   interrupted between two steps and ends with `why` (`interrupted` in the outcome)
 * @returns {Promise<{ result: any, requests: number, interrupted?: true } | { error: string, requests: number }>}
 */
export async function runSession(session, { send, onProgress, onWait, sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)), stopAt }) {
  let requests = 0;
  let interrupted = false;
  const timeUp = (/** @type {number} */ after) => !!stopAt && !interrupted && Date.now() + after >= stopAt.time;
  const stop = () => {
    interrupted = true;
    session.interrupt(stopAt?.why ?? '');
  };
  for (;;) {
    if (timeUp(0)) stop();
    const step = session.next();
    if ('done' in step) return { result: step.done, requests, ...(interrupted ? { interrupted: /** @type {const} */ (true) } : {}) };
    if ('error' in step) return { error: step.error, requests };
    if ('wait' in step) {
      if (timeUp(step.wait)) {
        stop();
        continue;
      }
      onWait?.(step.wait, /** @type {{ label?: string }} */ (step).label ?? '');
      await sleep(step.wait);
      continue;
    }
    onProgress?.(step.label, step.progress, step.send);
    requests += step.send.length;
    session.answer(await Promise.all(step.send.map(send)));
  }
}

/**
 * A tracker's answer as a session takes it: its status and body as they came, and the seconds its
 * Retry-After asks to wait (RFC 9110 10.2.3, in seconds) when it says so.
 * @param {Response} response
 * @returns {Promise<import('./upkeep-core.js').HttpResponse>}
 */
export async function answerOf(response) {
  const retryAfter = Number(response.headers.get('Retry-After'));
  return { status: response.status, body: await response.text(),
    ...(Number.isInteger(retryAfter) && retryAfter >= 0 && response.headers.has('Retry-After') ? { retry_after: retryAfter } : {}) };
}
