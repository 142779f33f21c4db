// @ts-check
// Redmine as the features' host (web/core/host.js): its links, and the core's Redmine sessions carried by
// its transport on the logged-in user's session (the plugin's REST relay, with Redmine's CSRF token).
import { runSession } from '../core/run-session.js';
import { createRedmineTransport } from './redmine-transport.js';
import { formatDay, utcInstant } from '../lib/dates.js';

/** Eight hex digits that tell one run from another (crypto.randomUUID needs https; this works on http too). */
function runId() {
  return [...crypto.getRandomValues(new Uint8Array(4))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * What reads of Redmine's REST API fetch, in people's words ("Reading the project, the ticket statuses and the
 * configuration"). @param {string[]} paths
 */
export function readingWhat(paths) {
  /** @type {[RegExp, string][]} */
  const words = [[/^\/users\/current\.json$/, 'your account'], [/^\/projects\/[^/]+\.json$/, 'the project'],
    [/^\/issue_statuses\.json$/, 'the ticket statuses'], [/\/upkeep_configuration_trust\.json$/, 'who saved the configuration'],
    [/\/wiki\//, 'the configuration'], [/\/memberships\.json$/, 'the members'], [/^\/users\//, 'the people named'],
    [/^\/issues/, 'the tickets'], [/\/upkeep_issues\.json$/, 'the tickets']];
  const what = [...new Set(paths.map((path) => words.find(([pattern]) => pattern.test(path.split('?')[0]))?.[1] ?? 'from Redmine'))];
  return `Reading ${what.length > 1 ? `${what.slice(0, -1).join(', ')} and ${what.at(-1)}` : what[0]}`;
}

/**
 * @param {{ cores: import('./redmine-cores.js').RedmineCores, context: ReturnType<typeof import('./selectors.js').readPageContext>,
 *   fetchImpl?: typeof fetch }} input
 * @returns {import('../core/host.js').Host}
 */
export function createRedmineHost({ cores, context, fetchImpl }) {
  const send = createRedmineTransport({ baseUrl: context.baseUrl, csrfToken: context.csrfToken, fetchImpl });
  const project = context.project;
  // Every session's opening: the ticket lists come from the plugin that serves this page (the same tickets
  // as Redmine's own list, many times faster: plugin-manifest/redmine/upkeep/app/controllers/upkeep_issues_controller.rb).
  const opening = { host: 'redmine', project, url: location.origin + context.baseUrl, plugin_lists: true };
  /**
   * Runs a session to its end; its result, or why it could not run.
   * @param {string} kind @param {object} request @param {{ files?: Blob[], onProgress?: (label: string, progress: object) => void }} [options]
   */
  const run = async (kind, request, { files = [], onProgress } = {}) => {
    const loaded = await cores.forSession(kind);
    if (!loaded.ok) return { error: loaded.reason };
    const session = loaded.core.openSession(kind, { ...opening, ...request });
    try {
      const outcome = await runSession(session, { send: (r) => send(r, files), onProgress });
      return 'error' in outcome ? outcome : outcome.result;
    } finally {
      session.dispose();
    }
  };
  return {
    name: 'Redmine',
    project,
    markup: context.markup,
    canEditWiki: context.canEdit,
    keepsPages: true, // the project's wiki
    canSync: context.canSync,
    calendarFeed: context.calendarFeed,
    ticketUrl: (id) => `${context.baseUrl}/issues/${id}`,
    ticketName: (id) => `#${id}`,
    ticketUrlPrefix: `${location.origin}${context.baseUrl}/issues/`,
    people: context.people,
    personName: (owner) => context.people[owner] || owner,
    dates: context.dates,
    day: (iso) => formatDay(iso, context.dates),
    pageUrl: (title) => `${context.baseUrl}/projects/${encodeURIComponent(project)}/wiki/${encodeURIComponent(title)}`,
    async readStatus(today, { onStep } = {}) {
      // The session stays open after reading: the panel and the exports compute from what it read.
      const loaded = await cores.forSession('status');
      if (!loaded.ok) return { error: loaded.reason };
      const session = loaded.core.openSession('status', { ...opening, today });
      const outcome = await runSession(session, { send: (r) => send(r),
        onProgress: (label, _progress, requests) => onStep?.(label || readingWhat(requests.map((r) => r.path))) });
      if ('error' in outcome) {
        session.dispose();
        return outcome;
      }
      const read = /** @type {import('../core/upkeep-core.js').StatusReadResult} */ (outcome.result);
      if (read.failure) {
        session.dispose();
        return { failure: read.failure, configuration: read.configuration };
      }
      return {
        status: (request) => session.call('status', request),
        exportFile: (request) => session.call('export_file', request),
        // The maintenance calendar of the configuration as read, with the tracker's own activities (its
        // supplier reviews).
        calendar: (window) => session.call('calendar', window),
        configuration: read.configuration,
        requests: outcome.requests,
        dispose: () => session.dispose(),
      };
    },
    // A sync holds the lease under this run's name for at most half an hour, by the browser's clock.
    sync: ({ today, configText, apply, onProgress }) => run('sync', { today, config: configText, apply, publish_feed: false,
      now: utcInstant(0), lease_until: utcInstant(1800), run: `Sync now in a browser, ${runId()}` }, { onProgress }),
    changePrompt: ({ change, today, answers, basedOn, apply, supplier }) =>
      run('change', { change, today, ...(answers ? { answers } : {}), ...(basedOn !== undefined ? { based_on: basedOn } : {}), apply: !!apply,
        ...(supplier ? { supplier } : {}) }),
    completeTask: ({ issue, today, files = [], withoutEvidence, complete }) =>
      run('complete', { issue, today, without_evidence: !!withoutEvidence, ...(complete ? { complete } : {}),
        files: files.map((f) => ({ name: f.name, content_type: f.type })) }, { files }),
    saveConfiguration: ({ configText, version, comment }) =>
      run('save_configuration', { config: configText, markup: context.markup, comment, ...(version !== null ? { version } : {}) }),
    savePage: ({ title, text, comment }) => run('save_page', { title, text, comment }),
    attachToTicket: ({ issue, filename, contentType, text, note }) =>
      run('attach', { issue, filename, content_type: contentType, text, note }),
  };
}
