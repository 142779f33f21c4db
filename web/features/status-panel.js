// @ts-check
// Feature: the compliance lead's status panel on the ISMS tab, below the countdown and readiness
// (at-a-glance.js): what to fix first (counted in readiness, what an auditor asks about first first; the
// first 25, all on request) and what to watch; a timeline of the audit period per activity (each
// occurrence a mark: on time, late, overdue, missed, upcoming; drawn on a month axis too,
// occurrence-chart.js); and the open changes and findings. Each
// part folds; every item links to its ticket. Figures and their words come from the core (`upkeep
// status`, docs/figures.md); ticket text is shown as text.
import { drawFirst, el, foldingSection, scrollBox } from '../lib/dom.js';
import { countOf } from '../lib/words.js';
import { renderOccurrenceChart } from './occurrence-chart.js';

/** The timeline's activities drawn at once (the chart above shows them all); "Show all" draws the others. */
const TIMELINE_ROWS = 50;
/** Marks told apart by shape as well as colour, the shapes of the occurrence chart. */
const MARK_SHAPES = { on_time: '●', late: '▲', done_undated: '◇', overdue: '■', missed: '✕', upcoming: '○' };

/**
 * @typedef {import('../core/upkeep-core.js').ReadinessItem} ReadinessItem
 * @typedef {(id: number | null, text?: string) => HTMLElement} Link
 */

/**
 * @param {{ status: { report: import('../core/upkeep-core.js').StatusReport, changes: import('../core/upkeep-core.js').ChangesReport,
 *   findings: { id: number, kind: string, subject: string, due: string | null }[] }, host: import('../core/host.js').Host,
 *   period: import('../core/upkeep-core.js').Period | undefined,
 *   allItems: () => import('../core/upkeep-core.js').NextAudit | null }} input
 *   `period`: the one the panel shows (the next audit's, else the last); `allItems`: the next audit's lists
 *   without the page's limit, for "Show all"
 * @returns {HTMLElement}
 */
export function renderStatusPanel({ status, period, host, allItems }) {
  /** @type {Link} */
  const link = (id, text = id ? host.ticketName(id) : '') => (id ? el('a', { attrs: { href: host.ticketUrl(id) } }, text) : el('span', {}, text));
  const report = status.report;
  const next = report.next_audit;
  return el('div', { className: 'upkeep-status-panel' },
    next ? renderFixFirst(next, link, allItems) : null,
    period ? renderTimeline(period, report.state_labels, link, report.as_of, host.day) : null,
    renderChanges(status.changes, link, host.day),
    renderFindings(status.findings, link, host.day));
}

/**
 * @param {NonNullable<import('../core/upkeep-core.js').StatusReport['next_audit']>} next
 * @param {Link} link
 * @param {() => import('../core/upkeep-core.js').NextAudit | null} allItems
 */
function renderFixFirst(next, link, allItems) {
  return foldingSection('upkeep-fix-first', 'upkeep-fix-first-section',
    next.fix_first_total ? `Fix first (${next.fix_first_total})` : 'Nothing to fix first.',
    renderItems('ol', 'upkeep-fix-first', next.fix_first, next.fix_first_total, link, () => allItems()?.fix_first ?? []),
    next.to_watch_total ? el('h4', {}, `To watch (${next.to_watch_total})`) : null,
    renderItems('ul', 'upkeep-to-watch', next.to_watch, next.to_watch_total, link, () => allItems()?.to_watch ?? []));
}

/**
 * The first items, and a button that shows them all in the page.
 * @param {'ol' | 'ul'} tag @param {string} className @param {ReadinessItem[]} items @param {number} total @param {Link} link
 * @param {() => ReadinessItem[]} all
 */
function renderItems(tag, className, items, total, link, all) {
  if (!items.length) return null;
  const item = (/** @type {ReadinessItem} */ i) => el('li', { dataset: { kind: i.kind, rank: String(i.rank),
    ticket: i.ticket_id ? String(i.ticket_id) : '', activity: i.activity ?? '' } },
  i.ticket_id ? link(i.ticket_id) : null, i.ticket_id ? ' ' : null, i.what);
  const list = el(tag, { className }, ...items.map(item));
  const more = total > items.length ? el('button', { attrs: { type: 'button' }, className: 'upkeep-show-all',
    onClick: () => { list.replaceChildren(...all().map(item)); more?.remove(); } }, `Show all ${total}`) : null;
  return el('div', {}, list, more);
}

/**
 * @param {import('../core/upkeep-core.js').Period} period
 * @param {Record<string, string>} labels the states' words, from the core
 * @param {Link} link
 * @param {string} today the view's day
 * @param {(iso: string) => string} day an ISO date as the reader's tracker writes dates
 */
function renderTimeline(period, labels, link, today, day) {
  /** @type {Map<string, string[]>} */
  const flags = new Map();
  for (const f of period.flags) flags.set(f.activity, [...(flags.get(f.activity) ?? []), f.message]);
  const rows = el('tbody');
  const showAll = drawFirst(rows, period.timeline ?? [], ({ activity, title, owner, marks }) => {
    const rate = period.by_activity[activity];
    return el('tr', { dataset: { timeline: activity } },
      el('td', {}, title || activity, el('br'), el('small', {}, owner)),
      el('td', { className: 'upkeep-marks' }, ...marks.map(([due, state, doneOn, evidence, ticketId]) => {
        const label = `due ${day(due)}: ${labels[state] ?? state}${doneOn ? `, done ${day(doneOn)}` : ''}${ticketId && !evidence && doneOn ? ', no evidence' : ''}`;
        const mark = link(ticketId, MARK_SHAPES[state] ?? '?');
        mark.className = `upkeep-mark upkeep-mark-${state}`;
        mark.dataset.state = state;
        mark.dataset.due = due;
        mark.setAttribute('title', label);
        mark.setAttribute('aria-label', label);
        return mark;
      })),
      el('td', {}, rate ? rate.text : ''),
      el('td', { className: 'upkeep-warning' }, (flags.get(activity) ?? []).join('; ')));
  }, TIMELINE_ROWS);
  const legend = Object.entries(MARK_SHAPES).map(([state, shape]) => `${shape} ${labels[state] ?? state}`).join(', ');
  const section = foldingSection('upkeep-timeline', 'upkeep-timeline', `Audit period ${day(period.from)} to ${day(period.to)}: on time ${period.overall.text}`,
    el('p', { className: 'upkeep-help' }, `${legend}. The date the work was done counts, not the upload; an occurrence counts once its due date has passed.`),
    renderOccurrenceChart({ period, today, day }),
    scrollBox('Timeline of the audit period', el('table', { className: 'list upkeep-timeline-table' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Activity'), el('th', {}, 'Occurrences'), el('th', {}, 'On time'), el('th', {}, 'Cadence'))),
      rows)), showAll);
  Object.assign(section.dataset, { audit: period.audit, from: period.from, to: period.to });
  return section;
}

/**
 * @param {import('../core/upkeep-core.js').ChangesReport} changes
 * @param {Link} link
 * @param {(iso: string) => string} day
 */
function renderChanges(changes, link, day) {
  const section = foldingSection('upkeep-changes', 'upkeep-changes',
    `Changes: ${changes.unassessed.length} not assessed, ${countOf(changes.open_follow_ups.length, 'open follow-up')}`,
  changes.unassessed.length ? el('ul', { className: 'upkeep-unassessed' }, ...changes.unassessed.map((c) =>
    el('li', { dataset: { change: String(c.id) } }, link(c.id), ` ${c.subject}`,
      el('small', {}, ` (opened ${c.created_on ? day(c.created_on) : '?'}${c.go_live ? `, due ${day(c.go_live)}` : ''})`)))) : null,
  renderFollowUpsByChange(changes, link, day));
  Object.assign(section.dataset, { unassessed: String(changes.unassessed.length), followUps: String(changes.open_follow_ups.length) });
  return section;
}

/**
 * The open follow-ups under the change that called for them.
 * @param {import('../core/upkeep-core.js').ChangesReport} changes
 * @param {Link} link
 * @param {(iso: string) => string} day
 */
function renderFollowUpsByChange(changes, link, day) {
  if (!changes.open_follow_ups.length) return null;
  /** @type {Map<number, typeof changes.open_follow_ups>} */
  const byChange = new Map();
  for (const f of changes.open_follow_ups) byChange.set(f.change, [...(byChange.get(f.change) ?? []), f]);
  const subjectOf = (/** @type {number} */ id) => [...changes.assessed, ...changes.unassessed].find((c) => c.id === id)?.subject ?? '';
  return el('ul', { className: 'upkeep-open-follow-ups' }, ...[...byChange].map(([change, followUps]) =>
    el('li', { dataset: { change: String(change) } }, 'Change ', link(change), ` ${subjectOf(change)}`,
      el('ul', {}, ...followUps.map((f) => el('li', { dataset: { followUp: String(f.id) } }, link(f.id), ` ${f.subject}`,
        el('small', {}, ` (${f.assignee || 'unassigned'}${f.due ? `, due ${day(f.due)}` : ''})`)))))));
}

/**
 * @param {{ id: number, kind: string, subject: string, due: string | null }[]} findings
 * @param {Link} link
 * @param {(iso: string) => string} day
 */
function renderFindings(findings, link, day) {
  const section = foldingSection('upkeep-findings', 'upkeep-findings', `Nonconformities and corrective actions: ${findings.length} open`,
    findings.length ? el('ul', {}, ...findings.map((f) => el('li', { dataset: { finding: String(f.id), kind: f.kind } },
      link(f.id), ` ${f.subject}`, el('small', {}, ` (${f.kind.replace('_', ' ')}${f.due ? `, due ${day(f.due)}` : ''})`)))) : null);
  section.dataset.open = String(findings.length);
  return section;
}
