// @ts-check
// The typed facade over the WebAssembly core: the only module that UI code imports to compute
// anything. Every call takes and returns plain objects; the JSON text crossing the wasm boundary
// stays in here. Shapes are those of the CLI (`upkeep expand --jsonl`, `validate --json`,
// `calendar --format json`) and of the core's sessions (core/include/upkeep/json_api.hpp).

import { loadCore } from './load-core.js';

/**
 * @typedef {{ dtstart: string, rrule: string, limit?: number }} ExpandRequest
 * @typedef {{ dates: string[] } | { error: string }} ExpandResult
 * @typedef {{ pointer: string, message: string }} Problem
 * @typedef {{ ok: boolean, errors: Problem[], warnings: Problem[], activities: number }} ValidationReport
 * @typedef {{ date: string, kind: 'activity' | 'audit', id: string, title: string, owner?: string,
 *   opens?: string, references?: string[], source?: string }} CalendarEntry
 * @typedef {{ from: string, to: string, owner?: string, entries: CalendarEntry[] }} Calendar
 * @typedef {{ from: string, to: string, owner?: string, framework?: string }} CalendarWindow
 * @typedef {{ kind: string, key: string, reason: string, ticket?: number, reference?: string }} SyncAction
 * @typedef {{ since: string, unchanged: number, counts: Record<string, number>, notices: string[],
 *   warnings: Problem[], actions: SyncAction[] }} SyncPlan
 * @typedef {{ kind: string, message: string, problems: (Problem & { warning: boolean })[] }} Failure
 * @typedef {{ plan: SyncPlan | null, written: number, writing: boolean, feed: string | null, lease: string | null,
 *   failure: Failure | null }} SyncResult
 * @typedef {{ id: string, text: string, help: string, choices: { id: string, label: string, affects: boolean }[] }} ChangeQuestion
 * @typedef {{ is_change: boolean, change: number, go_live: string | null, questions: ChangeQuestion[],
 *   record: { revision: number, on: string, by: string, answers: Record<string, string> } | null,
 *   assessment: { affects: boolean, affecting: string[], rationale: string,
 *     follow_ups: { id: string, title: string, owner: string, due: string, references: string[], reasons: string[],
 *       ticket: number | null, closed: boolean, before_go_live: boolean, blocks_change: boolean,
 *       supplier: boolean, suppliers: { id: number, name: string }[] }[] } | null,
 *   register: { id: number, name: string }[],
 *   follow_ups: { id: number, key: string, closed: boolean, linked: boolean, withdrawn: boolean }[],
 *   requests: { kind: string, key: string, reason: string }[], problems: (Problem & { warning: boolean })[] }} ChangeView
 * @typedef {{ kind: 'ready' | 'not_a_change' | 'bad_answers', view: ChangeView | null, written: number, conflict: string | null,
 *   unchanged?: boolean,
 *   failure: Failure | null }} ChangeResult
 * @typedef {{ id: string, title: string, due: string, owner: string, references: string[], instructions: string, evidence: string,
 *   training: boolean, renewal: boolean }} ControlTask
 * @typedef {{ view: { issue: number, task: ControlTask | null, why: string, closed: boolean, status: string, done_on: string | null,
 *   days_late: number | null, valid_until: string | null, hint?: string } | null,
 *   completed: boolean, failure: Failure | null }} CompletionResult
 * @typedef {{ read: Record<string, number>, configuration: { text: string, source: string, version: number | null, missing: boolean, warnings: Problem[] },
 *   failure: Failure | null }} StatusReadResult
 * @typedef {{ method: string, path: string, body: string, content_type: string, file?: number }} HttpRequest
 * @typedef {{ status: number, body: string, retry_after?: number, error?: string }} HttpResponse
 * @typedef {{ send: HttpRequest[], label: string, progress: { done?: number, total?: number } } | { wait: number }
 *   | { done: any } | { error: string }} SessionStep
 * @typedef {'on_time' | 'late' | 'done_undated' | 'overdue' | 'missed' | 'upcoming'} OccurrenceState
 * @typedef {{ activity: string, title: string, owner: string, due: string, state: OccurrenceState, counted: boolean,
 *   done_on: string | null, closed_on: string | null, evidence: boolean, ticket: boolean, ticket_id: number | null,
 *   in_configuration: boolean, renewal: boolean, valid_until: string | null }} Occurrence
 * @typedef {{ on_time: number, due: number, rate: number | null, text: string }} Rate
 * @typedef {{ kind: 'burst' | 'gap', activity: string, message: string }} CadenceFlag
 * @typedef {{ audit: string, title: string, from: string, to: string, ended: boolean, overall: Rate,
 *   by_activity: Record<string, Rate>, by_owner: Record<string, Rate>, by_month: Record<string, Rate>, flags: CadenceFlag[], occurrences?: Occurrence[],
 *   timeline?: TimelineRow[] }} Period
 * @typedef {{ activity: string, title: string, owner: string,
 *   marks: [due: string, state: OccurrenceState, done_on: string | null, evidence: boolean, ticket_id: number | null][] }} TimelineRow
 * @typedef {{ rank: number, kind: string, what: string, date: string, days_late: number, activity: string | null,
 *   activity_title: string | null, owner: string, ticket_id: number | null, key_activity: boolean }} ReadinessItem
 * @typedef {{ audit: string, title: string, date: string, days_left: number,
 *   readiness: { done: number, counted: number, percent: number | null, text: string },
 *   work_left: { from: string, total: number, planned: number[], left: number[] } | null,
 *   fix_first: ReadinessItem[], fix_first_total: number, to_watch: ReadinessItem[], to_watch_total: number }} NextAudit
 * @typedef {{ as_of: string, state_labels: Record<string, string>, periods: Period[], next_audit?: NextAudit,
 *   ticket_problems: { kind: string, ticket_id: number | null, key: string, closed: boolean, message: string }[],
 *   expiring_evidence: import('../features/expiring-evidence.js').ExpiringEvidence[] }} StatusReport
 * @typedef {{ id: number, subject: string, tracker: string, assignee: string, created_on: string | null,
 *   go_live: string | null, closed: boolean, assessment: { revision: number, on: string, by: string, affects: boolean } | null }} ChangeSummary
 * @typedef {{ unassessed: ChangeSummary[], assessed: ChangeSummary[],
 *   open_follow_ups: { id: number, change: number, key: string, subject: string, assignee: string, due: string | null }[] }} ChangesReport
 * @typedef {{ report: StatusReport, changes: ChangesReport, findings: { id: number, kind: string, subject: string, due: string | null }[],
 *   kpis: import('../features/kpi-panel.js').Kpi[], objectives: import('../features/objectives.js').Objective[], review_ticket: number | null, overdue: OverdueItem[],
 *   soa?: import('../features/statement-of-applicability.js').SoaSummary,
 *   frameworks?: import('../features/frameworks.js').FollowedFramework[], coverage?: import('../features/frameworks.js').FrameworkCoverage }} StatusResult
 * @typedef {{ ticket_id: number | null, activity: string, title: string, owner: string, due: string, days_late: number }} OverdueItem
 * @typedef {{ kind: 'register_csv' | 'register_json' | 'soa_csv' | 'soa_html' | 'ics' | 'review_pack', today: string, audit?: string, ticket_url?: string,
 *   owner?: string, markup?: 'markdown' | 'textile' | 'html', framework?: string }} ExportRequest
 * @typedef {{ text: string, filename: string } | { error: string }} ExportResult
 * A file the core makes, at once where the core runs in the page (Redmine), or once the tracker's backend
 * answers (Jira's Forge app):
 * @typedef {(request: ExportRequest) => ExportResult | Promise<ExportResult>} ExportFile
 */

export class UpkeepCore {
  /** @param {import('./load-core.js').RawCore} raw */
  constructor(raw) {
    this.raw = raw;
  }

  /**
   * Runs a raw call and parses its JSON. The module is built without exceptions: an internal failure
   * aborts it and surfaces here as a RuntimeError, reported as an error instead of breaking the page.
   * @param {() => string} raw
   * @returns {any}
   */
  call(raw) {
    try {
      return JSON.parse(raw());
    } catch (error) {
      return { error: `The Upkeep core stopped (${error instanceof Error ? error.message : error}): reload the page; if it persists, report it with what you did.` };
    }
  }

  /** @returns {string} */
  version() {
    return JSON.parse(this.raw.version()).version;
  }

  /** Exactly one line of `upkeep expand --jsonl`. @param {ExpandRequest} request @returns {ExpandResult} */
  expand(request) {
    return this.call(() => this.raw.expand(JSON.stringify(request)));
  }

  /** @param {string} configText @returns {ValidationReport} */
  validate(configText) {
    return this.call(() => this.raw.validate(configText));
  }

  /**
   * @param {string} configText
   * @param {CalendarWindow} window
   * @returns {Calendar | { error: string, errors?: Problem[] }}
   */
  calendar(configText, window) {
    return this.call(() => this.raw.calendar(configText, JSON.stringify(window)));
  }

  /**
   * The configuration's calendar as an iCalendar file (`upkeep calendar --format ics`), stamped `today`.
   * @param {string} configText @param {{ today: string, owner?: string, framework?: string }} request
   * @returns {{ text: string, filename: string } | { error: string, errors?: Problem[] }}
   */
  icalendar(configText, request) {
    return this.call(() => this.raw.calendar(configText, JSON.stringify({ ...request, format: 'ics' })));
  }

  /**
   * A session of the tracker this module was built for (sync, status, change, complete, ...; a module may
   * have only some of them: web/redmine/redmine-cores.js): the core decides
   * every request; run it with runSession (run-session.js). `call` computes over what a finished session read.
   * @param {string} kind @param {object} request
   */
  openSession(kind, request) {
    const session = this.raw.session(kind, JSON.stringify(request));
    return {
      /** @returns {SessionStep} */
      next: () => this.call(() => session.next()),
      /** The answers to the last step's requests, in their order; their bodies cross apart, as they came
       * (a page of a thousand tickets is a megabyte: not escaped into JSON here, nor unescaped in the core).
       * @param {HttpResponse[]} responses */
      answer: (responses) => session.answer(JSON.stringify(responses.map(({ body: _, ...rest }) => rest)),
        responses.map((response) => response.body ?? '')),
      /** @param {string} method @param {object} request @returns {any} */
      call: (method, request) => this.call(() => session.call(method, JSON.stringify(request))),
      /** Between two steps: the run stops (its time is up); the session ends as soon as it can and its
       * result says why. @param {string} why */
      interrupt: (why) => session.interrupt(why),
      dispose: () => session.delete(),
    };
  }
}

/**
 * Loads the core; resolves to `{ ok: true, core }` or `{ ok: false, reason }` (never rejects).
 * @param {Parameters<typeof loadCore>[0]} options
 * @returns {Promise<{ ok: true, core: UpkeepCore } | { ok: false, reason: string }>}
 */
export async function createUpkeep(options) {
  const loaded = await loadCore(options);
  return loaded.ok ? { ok: true, core: new UpkeepCore(loaded.raw) } : loaded;
}
