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
 */

export class UpkeepCore {
  /** @param {import('./load-core.js').RawCore} raw */
  constructor(raw) {
    this.raw = raw;
  }

  /** @returns {string} */
  version() {
    return JSON.parse(this.raw.version()).version;
  }

  /** Exactly one line of `upkeep expand --jsonl`. @param {ExpandRequest} request @returns {ExpandResult} */
  expand(request) {
    return JSON.parse(this.raw.expand(JSON.stringify(request)));
  }

  /** @param {string} configText @returns {ValidationReport} */
  validate(configText) {
    return JSON.parse(this.raw.validate(configText));
  }

  /**
   * @param {string} configText
   * @param {CalendarWindow} window
   * @returns {Calendar | { error: string, errors?: Problem[] }}
   */
  calendar(configText, window) {
    return JSON.parse(this.raw.calendar(configText, JSON.stringify(window)));
  }

  /**
   * The activity behind a control task's Upkeep key.
   * @param {string} configText @param {string} key
   * @returns {{ id: string, title: string, due: string, owner: string, references: string[], instructions: string,
   *   evidence: string } | { error: string }}
   */
  controlTask(configText, key) {
    return JSON.parse(this.raw.controlTask(configText, key));
  }

  /**
   * A Redmine sync session (the core decides what to read and plans; see web/redmine/redmine-sync.js).
   * @param {{ project: string, today: string, config?: string }} request
   */
  redmineSync(request) {
    const session = new this.raw.SyncSession(JSON.stringify(request));
    return {
      /** @returns {{ read: string } | { plan: SyncPlan } | { kind: string, problems: Problem[] } | { error: string }} */
      step: () => JSON.parse(session.step()),
      /** @param {unknown} body the GET's JSON body, or null for a 404 */
      answer: (body) => session.answer(JSON.stringify(body)),
      /** @param {number} index @param {unknown} body */
      alreadyApplied: (index, body) => session.alreadyApplied(index, JSON.stringify(body)),
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
      step: () => JSON.parse(session.step()),
      /** @param {unknown} body the GET's JSON body, or null for a 404 */
      answer: (body) => session.answer(JSON.stringify(body)),
      reread: () => session.reread(),
      dispose: () => session.delete(),
    };
  }

  /** @param {string} wikiText @returns {{ config: string } | { error: string }} */
  configurationFromWiki(wikiText) {
    return JSON.parse(this.raw.configurationFromWiki(wikiText));
  }

  /** @param {string} configText @param {'textile' | 'markdown'} markup @returns {{ text: string } | { error: string }} */
  configurationToWiki(configText, markup) {
    return JSON.parse(this.raw.configurationToWiki(JSON.stringify({ markup, config: configText })));
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
