// @ts-check
// Carries one request to Redmine's REST API (browser and node alike: only `fetch`), as the core's session
// decided it: the user's API key in a header, never in a URL; a time limit on every request; the answer
// handed back as it came (the core decides what a status means and when to retry).

const TIMEOUT_MS = 30000;

/**
 * @param {{ baseUrl: string, apiKey: string, fetchImpl?: typeof fetch, timeoutMs?: number }} options
 * @returns {(request: import('../core/upkeep-core.js').HttpRequest, files?: Blob[]) => Promise<import('../core/upkeep-core.js').HttpResponse>}
 */
export function createRedmineTransport({ baseUrl, apiKey, fetchImpl = globalThis.fetch.bind(globalThis), timeoutMs = TIMEOUT_MS }) {
  const root = baseUrl.replace(/\/$/, '');
  return async (request, files = []) => {
    if (!apiKey) {
      return { status: 401, body: '', error: 'No API key: an administrator must enable the REST API (Administration > Settings > API).' };
    }
    const body = request.file !== undefined ? files[request.file] : request.body || undefined;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetchImpl(root + request.path, {
        method: request.method,
        credentials: 'omit',
        signal: controller.signal,
        headers: { 'X-Redmine-API-Key': apiKey, Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': request.content_type || 'application/json' }) },
        body,
      });
      const retryAfter = Number(response.headers.get('Retry-After'));
      return { status: response.status, body: await response.text(),
        ...(Number.isInteger(retryAfter) && retryAfter >= 0 && response.headers.has('Retry-After') ? { retry_after: retryAfter } : {}) };
    } catch (error) {
      const timedOut = controller.signal.aborted;
      return { status: 0, body: '', error: timedOut ? `no answer within ${timeoutMs / 1000} s`
        : `cannot reach Redmine at ${root || '/'}: ${error instanceof Error ? error.message : error}` };
    } finally {
      clearTimeout(timer);
    }
  };
}
