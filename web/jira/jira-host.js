// @ts-check
// Jira Cloud as the features' host (web/core/host.js), inside Upkeep's Forge app: links to the site's
// issues, and the core's sessions run by the app's backend (plugin-manifest/jira-cloud/src), reached through
// Forge's bridge (`invoke`) as the user who opened the page. The core does not run in the page: Forge's
// Content Security Policy for Custom UI allows no 'wasm-unsafe-eval' (docs/jira-cloud.md).
import { formatDay } from '../lib/dates.js';

/**
 * What Forge's bridge tells a page (view.getContext of @forge/bridge), as far as the host uses it.
 * @typedef {{ siteUrl: string, accountId?: string, extension: { project: { key: string } } }} ForgeContext
 * @typedef {(functionKey: string, payload?: Record<string, unknown>) => Promise<any>} Invoke
 * @typedef {(restPath: string, init?: RequestInit) => Promise<Response>} RequestJira Forge's bridge's: as the user
 * @typedef {{ siteUrl: string, accountId?: string, extension: { project: { key: string }, issue?: { key: string } } }} PanelContext
 * @typedef {{ text: string, source: string, version: number | null, missing: boolean,
 *   warnings: import('../core/upkeep-core.js').Problem[] }} StoredConfiguration
 * @typedef {{ sync: boolean, configure: boolean }} MayDo what Jira lets the user do in the project
 * The backend's "status" (plugin-manifest/jira-cloud/src/index.js): the panel's status and the next audit's
 * whole lists, from one reading, or why not; and what the user may do.
 * @typedef {import('../core/upkeep-core.js').CalendarWindow} CalendarWindow
 * @typedef {{ missing: string[], linkTypes: string[] }} Setup what the project and the site lack for Upkeep, in words
 *   for their administrators; the link types missing
 * @typedef {{ may: MayDo, setup: Setup, people: Record<string, string>, status: import('../core/upkeep-core.js').StatusResult,
 *   allItems: import('../core/upkeep-core.js').NextAudit | null, configuration: StoredConfiguration, requests: number,
 *   calendar: (import('../core/upkeep-core.js').Calendar | { error: string }) & { window: CalendarWindow } }
 *   | { may: MayDo, setup: Setup, failure: import('../core/upkeep-core.js').Failure, configuration?: StoredConfiguration }
 *   | { error: string }} PageStatus
 */

/** Calls the backend; a bridge or resolver that throws is said as the call's error. @param {Invoke} invoke @param {string} key @param {Record<string, unknown>} payload */
const call = (invoke, key, payload) => invoke(key, payload)
  .catch((/** @type {unknown} */ error) => ({ error: `Jira did not answer Upkeep's app: ${error instanceof Error ? error.message : error}` }));

/**
 * The project's status as the page shows it (for `framework`'s activities when given), and the maintenance
 * calendar of `calendar`, read by the backend as the user.
 * @param {Invoke} invoke @param {{ today: string, calendar: CalendarWindow, framework?: string }} view
 * @returns {Promise<PageStatus>}
 */
export const readProjectPage = (invoke, view) => call(invoke, 'status', view);

/** How long Sync now waits between two calls, for Jira's search to show what the call before made; and how
 * long it goes on in all. */
const SYNC_PAUSE_MS = 2000;
const SYNC_PAUSE_SEARCH_BEHIND_MS = 5000;
const SYNC_CALLS_UNTIL_MS = 15 * 60_000;

/**
 * Preview sync in one call; Sync now in as many calls as it takes: Forge ends a call after 25 s, so the
 * backend stops between two writes before that and says what it made (`continues`, `made`), and the next
 * call goes on, naming those issues so that one Jira's search does not show yet is not made twice. The
 * outcome is the last call's, with the first call's plan (all there was to do) and the writes of all calls.
 * @param {Invoke} invoke
 * @param {{ today: string, apply: boolean, onProgress?: (label: string, at: { done?: number, total?: number }) => void }} run
 * @param {(ms: number) => Promise<void>} [sleep]
 */
export async function syncInCalls(invoke, { today, apply, onProgress }, sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))) {
  const started = Date.now();
  /** @type {string[]} */
  const made = [];
  let written = 0;
  let first;
  for (;;) {
    const result = await call(invoke, 'sync', { today, apply, ...(made.length ? { madeBefore: made } : {}) });
    if ('error' in result) return result;
    written += result.written ?? 0;
    first ??= result;
    if (!result.continues || Date.now() - started > SYNC_CALLS_UNTIL_MS) {
      return { ...result, plan: first.plan ?? result.plan, written };
    }
    made.push(...(result.made ?? []));
    const total = Math.max(first.plan?.actions.length ?? 0, written);
    onProgress?.(result.search_behind ? 'waiting for Jira\'s search to show the issues made so far' : 'going on in another call', { done: written, total });
    await sleep(result.search_behind ? SYNC_PAUSE_SEARCH_BEHIND_MS : SYNC_PAUSE_MS);
  }
}

/** What the page cannot do in Jira yet, said where a feature would ask for it. @param {string} what */
const notYet = async (what) => ({ error: `${what} is not in Upkeep's Jira app yet.` });

/**
 * @param {{ invoke: Invoke, requestJira?: RequestJira, context: ForgeContext, may: MayDo, people?: Record<string, string> }} input
 *   `may`: what the status said the user may do; `people`: owners by the names of their accounts;
 *   `requestJira`: for the files a completion attaches, and the review pack
 * @returns {import('../core/host.js').Host & { validate: (text: string) => Promise<import('../core/upkeep-core.js').ValidationReport | { error: string }>,
 *   exportFile: import('../core/upkeep-core.js').ExportFile,
 *   calendarFeedAddress: (renew: boolean) => Promise<{ address: string } | { error: string }> }}
 */
export function createJiraHost({ invoke, requestJira, context, may, people = {} }) {
  const project = context.extension.project.key;
  /**
   * Attaches `file` to the issue as the user (Jira attaches it at once): why not, or null.
   * @param {number} issue @param {File} file @returns {Promise<string | null>}
   */
  const attach = async (issue, file) => {
    const form = new FormData();
    form.append('file', file);
    const attached = requestJira ? await requestJira(`/rest/api/3/issue/${project}-${issue}/attachments`,
      { method: 'POST', body: form, headers: { 'X-Atlassian-Token': 'no-check' } }).catch(() => null) : null;
    return attached?.ok ? null : `Jira did not attach ${file.name}${attached ? ` (HTTP ${attached.status})` : ''}`;
  };
  const site = context.siteUrl.replace(/\/$/, '');
  /** @type {import('../lib/dates.js').DateStyle} */
  const dates = { pattern: '', months: [], short_months: [] };
  return {
    name: 'Jira Cloud',
    project,
    markup: 'markdown',
    canEditWiki: may.configure,
    keepsPages: false, // Jira has no wiki: files are attached to issues
    canSync: may.sync,
    calendarFeed: '',
    // Upkeep names a Jira issue by its number in the project: ISMS-12 is 12.
    ticketUrl: (id) => `${site}/browse/${project}-${id}`,
    ticketName: (id) => `${project}-${id}`,
    ticketUrlPrefix: `${site}/browse/${project}-`,
    people,
    personName: (owner) => people[owner] || owner,
    dates,
    day: (iso) => formatDay(iso, dates),
    pageUrl: () => '',
    readStatus: () => notYet('Reading the status in the page'),
    sync: ({ today, apply, onProgress }) => syncInCalls(invoke, { today, apply, onProgress }),
    // The issue is the one Jira opened the panel on (the backend reads it from the context, never from the
    // page); a supplier of the register is not linked from Jira yet.
    changePrompt: ({ today, answers, basedOn, apply, supplier }) => (supplier ? notYet('Linking a supplier to a change')
      : call(invoke, 'changePrompt', { today, apply: !!apply, ...(answers ? { answers, basedOn: basedOn ?? 0 } : {}) })),
    // The completion is checked first; then the files are attached as the user (Jira attaches them at once),
    // then the backend records the completion and closes the task.
    completeTask: async ({ issue, today, files = [], withoutEvidence, complete }) => {
      const ask = (/** @type {Record<string, unknown>} */ more) => call(invoke, 'completeTask', { today, withoutEvidence: !!withoutEvidence, ...more });
      if (!complete) return ask({});
      const named = { complete, files: files.map((f) => ({ name: f.name })) };
      const checked = await ask({ ...named, check: true });
      if ('error' in checked || checked.failure) return checked;
      for (const file of files) {
        const refused = await attach(issue, file);
        if (refused) return { error: `${refused}: the task is not completed (files attached before it stay on the issue). Try again.` };
      }
      return ask(named);
    },
    // The app's storage keeps numbered versions: `version` is the one the page showed (null: none yet).
    saveConfiguration: ({ configText, version }) => call(invoke, 'saveConfiguration', { text: configText, basedOn: version ?? 0 }),
    validate: (text) => call(invoke, 'validateConfiguration', { text }),
    // Each file is made by the backend from the project's issues as they are when it is asked for.
    exportFile: (request) => call(invoke, 'exportFile', { request }),
    // The user's secret address of the feed, which the app's web trigger serves.
    calendarFeedAddress: (renew) => call(invoke, 'calendarFeed', { renew }),
    savePage: () => notYet('Saving a page'),
    // The file, then the note as a comment, both as the user.
    attachToTicket: async ({ issue, filename, contentType, text, note }) => {
      const refused = await attach(issue, new File([text], filename, { type: contentType }));
      if (refused) return { attached: false, failure: { kind: 'refused', message: `${refused}.`, problems: [] } };
      const body = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: note }] }] };
      const commented = await requestJira?.(`/rest/api/3/issue/${project}-${issue}/comment`, { method: 'POST', body: JSON.stringify({ body }),
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' } }).catch(() => null);
      return commented?.ok ? { attached: true, failure: null }
        : { attached: true, failure: { kind: 'refused', message: `${filename} is attached, but Jira did not add the note${commented ? ` (HTTP ${commented.status})` : ''}.`, problems: [] } };
    },
  };
}
