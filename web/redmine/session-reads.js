// @ts-check
// Drives a core session's reads: GET what it asks for (null for a 404) and hand the answer back, until
// it asks for nothing more. Every Redmine session of the core (sync, status, change prompt) reads so.

/**
 * @template T
 * @param {{ step: () => T | { read: string }, answer: (body: unknown) => void }} session
 * @param {{ getOrNull: (path: string) => Promise<unknown> }} client
 * @returns {Promise<{ step: T, requests: number }>}
 */
export async function performReads(session, client) {
  let requests = 0;
  let step = session.step();
  while (step && typeof step === 'object' && 'read' in step) {
    requests += 1;
    session.answer(await client.getOrNull(/** @type {{ read: string }} */ (step).read));
    step = session.step();
  }
  return { step: /** @type {T} */ (step), requests };
}
