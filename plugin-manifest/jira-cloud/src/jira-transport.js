// @ts-check
// Carries one request of the core's session to Jira through Forge's product fetch (`requestJira` of
// @forge/api, as the user or as the app: the caller chooses) and hands the answer back as it came, like
// web/redmine/redmine-transport.js does over fetch. The core builds every path, its query encoded; only
// paths of Jira's REST API go out.
import { assumeTrustedRoute } from '@forge/api';
import { answerOf } from '../../../web/core/run-session.js';

/**
 * @param {(route: any, init?: object) => Promise<Response>} requestJira
 * @returns {(request: import('../../../web/core/upkeep-core.js').HttpRequest) => Promise<import('../../../web/core/upkeep-core.js').HttpResponse>}
 */
export function createJiraTransport(requestJira) {
  return async (request) => {
    if (!request.path.startsWith('/rest/api/3/')) {
      return { status: 0, body: '', error: `not a path of Jira's REST API: ${request.path}` };
    }
    try {
      const response = await requestJira(assumeTrustedRoute(request.path), {
        method: request.method,
        headers: { Accept: 'application/json', ...(request.body ? { 'Content-Type': request.content_type || 'application/json' } : {}) },
        ...(request.body ? { body: request.body } : {}),
      });
      return await answerOf(response);
    } catch (error) {
      return { status: 0, body: '', error: `cannot reach Jira: ${error instanceof Error ? error.message : error}` };
    }
  };
}
