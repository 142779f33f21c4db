// @ts-check
// The Redmine REST adapter (browser and node alike: only `fetch`). Authenticates with the user's API
// key in a header, never in a URL. Every failure becomes a RedmineError that says what to do.

export class RedmineError extends Error {
  /**
   * @param {number} status 0 when Redmine could not be reached @param {string} message
   * @param {string[]} [errors] a 422's reasons (none when Redmine refused a stale write)
   */
  constructor(status, message, errors = []) {
    super(message);
    this.name = 'RedmineError';
    this.status = status;
    this.errors = errors;
  }
}

/**
 * @param {{ baseUrl: string, apiKey: string, fetchImpl?: typeof fetch }} options
 */
export function createRedmineClient({ baseUrl, apiKey, fetchImpl = globalThis.fetch.bind(globalThis) }) {
  const root = baseUrl.replace(/\/$/, '');

  /** @param {string} method @param {string} path @param {unknown} [body] @param {string} [contentType] */
  async function request(method, path, body, contentType = 'application/json') {
    if (!apiKey) {
      throw new RedmineError(401, 'No API key: an administrator must enable the REST API (Administration > Settings > API).');
    }
    let response;
    try {
      response = await fetchImpl(root + path, {
        method,
        credentials: 'omit',
        headers: { 'X-Redmine-API-Key': apiKey, Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': contentType }) },
        body: body === undefined || contentType !== 'application/json' ? /** @type {BodyInit | undefined} */ (body) : JSON.stringify(body),
      });
    } catch (error) {
      throw new RedmineError(0, `Cannot reach Redmine at ${root || '/'}: ${error instanceof Error ? error.message : error}.`);
    }
    if (response.ok) return response.status === 204 ? null : response.json();
    const errors = response.status === 422 ? (await response.json().catch(() => ({}))).errors ?? [] : [];
    throw new RedmineError(response.status, describe(method, path, response.status, errors), errors);
  }

  return {
    /** The user the key belongs to; rejects a wrong key (which Redmine would treat as anonymous elsewhere). */
    async currentUser() {
      return (await request('GET', '/users/current.json')).user;
    },

    /** A wiki page's text and version, or null when the page does not exist. @param {string} project @param {string} title */
    async getWikiPage(project, title) {
      try {
        const { wiki_page: page } = await request('GET', `/projects/${encodeURIComponent(project)}/wiki/${encodeURIComponent(title)}.json`);
        return { text: String(page.text ?? ''), version: Number(page.version) };
      } catch (error) {
        if (error instanceof RedmineError && error.status === 404) return null;
        throw error;
      }
    },

    /** Any GET of the REST API (a path as the core gives it); null when Redmine answers 404. @param {string} path */
    async getOrNull(path) {
      try {
        return await request('GET', path);
      } catch (error) {
        if (error instanceof RedmineError && error.status === 404) return null;
        throw error;
      }
    },

    /** A write the core planned (its method, path and body); resolves to Redmine's answer (null for 204). @param {string} method @param {string} path @param {object} body */
    async write(method, path, body) {
      return request(method, path, body);
    },

    /**
     * The open issues of a tracker due before a day, oldest first (at most `limit`).
     * @param {string} project @param {string} trackerName @param {string} dueBefore YYYY-MM-DD, exclusive @param {number} [limit]
     */
    async openIssuesDueBefore(project, trackerName, dueBefore, limit = 500) {
      const info = await request('GET', `/projects/${encodeURIComponent(project)}.json?include=trackers`);
      const tracker = info.project.trackers?.find((/** @type {{name: string}} */ t) => t.name === trackerName);
      if (!tracker) return [];
      const lastDay = new Date(Date.parse(`${dueBefore}T00:00:00Z`) - 86400000).toISOString().slice(0, 10);
      const issues = [];
      for (let offset = 0; offset < limit; offset += 100) {
        const page = await request('GET', `/issues.json?project_id=${encodeURIComponent(project)}&tracker_id=${tracker.id}` +
          `&subproject_id=!*&status_id=o&due_date=${encodeURIComponent(`<=${lastDay}`)}&sort=due_date&limit=100&offset=${offset}`);
        issues.push(...page.issues);
        if (offset + 100 >= page.total_count) break;
      }
      return issues;
    },

    /** One issue, with its journals and attachments. @param {number} id */
    async getIssue(id) {
      return (await request('GET', `/issues/${id}.json?include=journals,attachments`)).issue;
    },

    /** Updates an issue (Redmine answers 204 and ignores what the workflow forbids: read it back). @param {number} id @param {object} issue */
    async updateIssue(id, issue) {
      await request('PUT', `/issues/${id}.json`, { issue });
    },

    /** Uploads a file; resolves to the token an issue update refers to. @param {Blob} file @param {string} filename */
    async upload(file, filename) {
      const answer = await request('POST', `/uploads.json?filename=${encodeURIComponent(filename)}`, file, 'application/octet-stream');
      return answer.upload.token;
    },

    /** Every issue status, with is_closed. */
    async statuses() {
      return (await request('GET', '/issue_statuses.json')).issue_statuses;
    },

    /** The project with its trackers and issue custom fields (ids by name). @param {string} project */
    async project(project) {
      return (await request('GET', `/projects/${encodeURIComponent(project)}.json?include=trackers,issue_custom_fields`)).project;
    },

    /**
     * Creates or updates a wiki page. With `version`, Redmine refuses (409) when someone saved since.
     * @param {string} project @param {string} title
     * @param {{ text: string, comments: string, version?: number }} content
     */
    async putWikiPage(project, title, content) {
      await request('PUT', `/projects/${encodeURIComponent(project)}/wiki/${encodeURIComponent(title)}.json`, { wiki_page: content });
    },
  };
}

/** @param {string} method @param {string} path @param {number} status @param {string[]} errors */
function describe(method, path, status, errors) {
  const what = `${method} ${path}: HTTP ${status}`;
  switch (status) {
    case 401: return `${what}. The API key was refused: check it under My account > API access key.`;
    case 403: return `${what}. Your account lacks the permission for this: ask a project manager.`;
    case 404: return `${what}. Not found, or not visible to your account.`;
    case 409: return `${what}. Someone saved a newer version meanwhile: reload and try again.`;
    case 422: return `${what}. Redmine refused the data: ${errors.join('; ') || 'no reason given'}.`;
    default: return `${what}. Try again later; if it persists, see the Redmine log.`;
  }
}
