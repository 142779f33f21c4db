// @ts-check
// Carries one request to Redmine's REST API (browser and node alike: only `fetch`), as the core's session
// decided it, with a time limit on every request, and hands the answer back as it came (the core decides
// what a status means and when to retry). Two ways in:
// - in Redmine's pages, the logged-in session: the plugin's relay (/upkeep/rest/...) passes the request to
//   the REST API as the session's user, with Redmine's CSRF token in a header; no API key in the page;
// - elsewhere (scripts, tests), an API key in a header, never in a URL.
import { answerOf } from '../core/run-session.js';

const TIMEOUT_MS = 30000;
const RELAY = '/upkeep/rest';

/**
 * @param {{ baseUrl: string, csrfToken?: string, apiKey?: string, fetchImpl?: typeof fetch, timeoutMs?: number }} options
 * @returns {(request: import('../core/upkeep-core.js').HttpRequest, files?: Blob[]) => Promise<import('../core/upkeep-core.js').HttpResponse>}
 */
export function createRedmineTransport({ baseUrl, csrfToken, apiKey, fetchImpl = globalThis.fetch.bind(globalThis), timeoutMs = TIMEOUT_MS }) {
  const root = baseUrl.replace(/\/$/, '');
  const session = csrfToken !== undefined;
  /** @type {Record<string, string>} */
  const auth = session ? { 'X-CSRF-Token': csrfToken ?? '' } : { 'X-Redmine-API-Key': apiKey ?? '' };
  return async (request, files = []) => {
    if (session ? !csrfToken : !apiKey) {
      return { status: 401, body: '', error: session ? 'The page carries no CSRF token: reload it.' : 'No API key given.' };
    }
    const body = request.file !== undefined ? files[request.file] : request.body || undefined;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetchImpl(root + (session ? RELAY : '') + request.path, {
        method: request.method,
        credentials: session ? 'same-origin' : 'omit',
        signal: controller.signal,
        headers: { ...auth, Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': request.content_type || 'application/json' }) },
        body,
      });
      return await answerOf(response);
    } catch (error) {
      const timedOut = controller.signal.aborted;
      return { status: 0, body: '', error: timedOut ? `no answer within ${timeoutMs / 1000} s`
        : `cannot reach Redmine at ${root || '/'}: ${error instanceof Error ? error.message : error}` };
    } finally {
      clearTimeout(timer);
    }
  };
}
