// @ts-check
// The typed facade over the WebAssembly core: the only module that UI code imports to compute
// anything. Every call takes and returns plain objects; the JSON text crossing the wasm boundary
// stays in here. Shapes are those of the CLI (`upkeep expand --jsonl`, `validate --json`,
// `calendar --format json`).

import { loadCore } from './load-core.js';

/**
 * @typedef {{ dtstart: string, rrule: string, limit?: number }} ExpandRequest
 * @typedef {{ dates: string[] } | { error: string }} ExpandResult
 * @typedef {{ pointer: string, message: string }} Problem
 * @typedef {{ ok: boolean, errors: Problem[], warnings: Problem[], activities: number }} ValidationReport
 * @typedef {{ date: string, kind: 'activity' | 'audit', id: string, title: string, owner?: string,
 *   opens?: string, references?: string[], source?: string }} CalendarEntry
 * @typedef {{ from: string, to: string, owner?: string, entries: CalendarEntry[] }} Calendar
 * @typedef {{ from: string, to: string, owner?: string }} CalendarWindow
 * @typedef {{ kind: string, key: string, reason: string, method: string, path: string, body: object, check: string }} SyncAction
 * @typedef {{ since: string, unchanged: number, counts: Record<string, number>, notices: string[],
 *   warnings: Problem[], actions: SyncAction[] }} SyncPlan
 * @typedef {{ id: string, text: string, help: string, choices: { id: string, label: string, affects: boolean }[] }} ChangeQuestion
 * @typedef {{ kind: 'record' | 'create' | 'link' | 'close', key: string, reason: string, method: string,
 *   path: string, body: object, link_path: string }} ChangeRequest
 * @typedef {{ is_change: boolean, change: number, questions: ChangeQuestion[],
 *   record: { revision: number, on: string, by: string, answers: Record<string, string> } | null,
 *   assessment: { affects: boolean, affecting: string[], rationale: string,
 *     follow_ups: { id: string, title: string, owner: string, due: string, references: string[], reasons: string[] }[] } | null,
 *   follow_ups: { id: number, key: string, closed: boolean, linked: boolean, withdrawn: boolean }[],
 *   requests: ChangeRequest[], problems: (Problem & { warning: boolean })[] }} ChangeView
 * @typedef {'on_time' | 'late' | 'done_undated' | 'overdue' | 'missed' | 'upcoming'} OccurrenceState
 * @typedef {{ activity: string, title: string, owner: string, due: string, state: OccurrenceState, counted: boolean,
 *   done_on: string | null, closed_on: string | null, evidence: boolean, ticket: boolean, ticket_id: number | null,
 *   in_configuration: boolean }} Occurrence
 * @typedef {{ on_time: number, due: number, rate: number | null, text: string }} Rate
 * @typedef {{ kind: 'burst' | 'gap', activity: string, message: string }} CadenceFlag
 * @typedef {{ audit: string, title: string, from: string, to: string, ended: boolean, overall: Rate,
 *   by_activity: Record<string, Rate>, by_owner: Record<string, Rate>, flags: CadenceFlag[], occurrences?: Occurrence[],
 *   timeline?: TimelineRow[] }} Period
 * @typedef {{ activity: string, title: string, owner: string,
 *   marks: [due: string, state: OccurrenceState, done_on: string | null, evidence: boolean, ticket_id: number | null][] }} TimelineRow
 * @typedef {{ rank: number, kind: string, what: string, date: string, days_late: number, activity: string | null,
 *   activity_title: string | null, owner: string, ticket_id: number | null, key_activity: boolean }} ReadinessItem
 * @typedef {{ audit: string, title: string, date: string, days_left: number,
 *   readiness: { done: number, counted: number, percent: number | null, text: string },
 *   fix_first: ReadinessItem[], fix_first_total: number, to_watch: ReadinessItem[], to_watch_total: number }} NextAudit
 * @typedef {{ as_of: string, state_labels: Record<string, string>, periods: Period[], next_audit?: NextAudit,
 *   ticket_problems: { kind: string, ticket_id: number | null, key: string, closed: boolean, message: string }[] }} StatusReport
 * @typedef {{ id: number, subject: string, tracker: string, assignee: string, created_on: string | null,
 *   go_live: string | null, closed: boolean, assessment: { revision: number, on: string, by: string, affects: boolean } | null }} ChangeSummary
 * @typedef {{ unassessed: ChangeSummary[], assessed: ChangeSummary[],
 *   open_follow_ups: { id: number, change: number, key: string, subject: string, assignee: string, due: string | null }[] }} ChangesReport
 * @typedef {{ report: StatusReport, changes: ChangesReport, findings: { id: number, kind: string, subject: string, due: string | null }[],
 *   kpis: import('../features/kpi-panel.js').Kpi[], review_ticket: number | null }} StatusResult
 * @typedef {{ kind: 'register_csv' | 'register_json' | 'ics' | 'review_pack', today: string, audit?: string, ticket_url?: string,
 *   owner?: string, markup?: 'markdown' | 'textile' | 'html' }} ExportRequest
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
   * The activity behind a control task's Upkeep key.
   * @param {string} configText @param {string} key
   * @returns {{ id: string, title: string, due: string, owner: string, references: string[], instructions: string,
   *   evidence: string } | { error: string }}
   */
  controlTask(configText, key) {
    return this.call(() => this.raw.controlTask(configText, key));
  }

  /**
   * A Redmine sync session (the core decides what to read and plans; see web/redmine/redmine-sync.js).
   * @param {{ project: string, today: string, config?: string, read_only?: boolean }} request
   */
  redmineSync(request) {
    const session = new this.raw.SyncSession(JSON.stringify(request));
    return {
      /** @returns {{ read: string } | { plan: SyncPlan } | { read_done: Record<string, number> } | { kind: string, problems: Problem[] } | { error: string }} */
      step: () => this.call(() => session.step()),
      /** @param {unknown} body the GET's JSON body, or null for a 404 */
      answer: (body) => session.answer(JSON.stringify(body)),
      /** @param {number} index @param {unknown} body */
      alreadyApplied: (index, body) => session.alreadyApplied(index, JSON.stringify(body)),
      /**
       * Read only, once read: the status of the tickets read (as `status` without a snapshot).
       * @param {{ today: string, list_limit?: number, next_period_only?: boolean, timeline?: boolean }} request
       * @returns {StatusResult | { error: string }}
       */
      status: (request) => this.call(() => session.status(JSON.stringify(request))),
      /**
       * Read only, once read: a file for the auditor (as `exportFile` without a snapshot).
       * @param {ExportRequest} request @returns {{ text: string, filename: string } | { error: string }}
       */
      exportFile: (request) => this.call(() => session.exportFile(JSON.stringify(request))),
      dispose: () => session.delete(),
    };
  }

  /**
   * The change prompt on one change ticket (see web/redmine/change-assessment.js): with answers it records
   * them; without, it reconciles the follow-ups with the recorded assessment.
   * @param {{ project: string, change: number, today: string, answers?: Record<string, string> }} request
   */
  changePrompt(request) {
    const session = new this.raw.ChangeSession(JSON.stringify(request));
    return {
      /** @returns {{ read: string } | { ready: ChangeView } | { kind: string, problems: Problem[], view?: ChangeView } | { error: string }} */
      step: () => this.call(() => session.step()),
      /** @param {unknown} body the GET's JSON body, or null for a 404 */
      answer: (body) => session.answer(JSON.stringify(body)),
      reread: () => session.reread(),
      dispose: () => session.delete(),
    };
  }

  /** @param {string} wikiText @returns {{ config: string } | { error: string }} */
  configurationFromWiki(wikiText) {
    return this.call(() => this.raw.configurationFromWiki(wikiText));
  }

  /** @param {string} configText @param {'textile' | 'markdown'} markup @returns {{ text: string } | { error: string }} */
  configurationToWiki(configText, markup) {
    return this.call(() => this.raw.configurationToWiki(JSON.stringify({ markup, config: configText })));
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
