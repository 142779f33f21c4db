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
 *   sleep?: (ms: number) => Promise<void> }} pump
 * @returns {Promise<{ result: any, requests: number } | { error: string, requests: number }>}
 */
export async function runSession(session, { send, onProgress, onWait, sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)) }) {
  let requests = 0;
  for (;;) {
    const step = session.next();
    if ('done' in step) return { result: step.done, requests };
    if ('error' in step) return { error: step.error, requests };
    if ('wait' in step) {
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
