// @ts-check
// Feature: the compliance lead's status panel on the ISMS tab: the countdown to the next audit and its
// readiness as "x of y", what to fix first (counted in readiness, what an auditor asks about first first)
// and what to watch; a timeline of the audit period per activity (each occurrence a mark: on time, late,
// overdue, missed, upcoming); and the open changes and findings. Every item links to its ticket. Figures
// and their words come from the core (`upkeep status`, docs/figures.md); ticket text is shown as text.
import { el } from '../lib/dom.js';

/** Marks told apart by shape as well as colour. */
const MARK_SHAPES = { on_time: '●', late: '◐', done_undated: '◌', overdue: '■', missed: '✕', upcoming: '○' };

/**
 * @typedef {import('../core/upkeep-core.js').ReadinessItem} ReadinessItem
 * @typedef {(id: number | null, text: string) => HTMLElement} Link
 */

/**
 * @param {{ status: { report: import('../core/upkeep-core.js').StatusReport, changes: import('../core/upkeep-core.js').ChangesReport,
 *   findings: { id: number, kind: string, subject: string, due: string | null }[] }, host: import('../core/host.js').Host }} input
 * @returns {HTMLElement}
 */
export function renderStatusPanel({ status, host }) {
  /** @type {Link} */
  const link = (id, text) => (id ? el('a', { attrs: { href: host.ticketUrl(id) } }, text) : el('span', {}, text));
  const report = status.report;
  const next = report.next_audit;
  const period = next ? report.periods.find((p) => p.audit === next.audit) : report.periods.at(-1);
  return el('div', { className: 'upkeep-status-panel' },
    next ? renderReadiness(next, link) : el('p', {}, 'No audit is ahead in this certification cycle.'),
    period ? renderTimeline(period, report.state_labels, link) : null,
    renderChanges(status.changes, link),
    renderFindings(status.findings, link));
}

/**
 * @param {NonNullable<import('../core/upkeep-core.js').StatusReport['next_audit']>} next
 * @param {Link} link
 */
function renderReadiness(next, link) {
  const r = next.readiness;
  const days = next.days_left === 1 ? '1 day' : `${next.days_left} days`;
  return el('div', { className: 'upkeep-readiness', dataset: { audit: next.audit, date: next.date,
    daysLeft: String(next.days_left), percent: r.percent === null ? '' : String(r.percent), done: String(r.done), counted: String(r.counted) } },
  el('h3', {}, `${next.title} on ${next.date}: in ${days}. Readiness ${r.text}`),
  el('p', { className: 'upkeep-help' }, 'Readiness: the occurrences due so far in this audit period that are done, out of those plus ' +
    'one for each item to fix first that is not one of them (control tasks of earlier periods still open, overdue follow-ups, ' +
    'decisions, corrective actions and verifications, unassessed changes, open nonconformities, corrective actions and ' +
    'verifications due on or after the audit day). Rounded down.'),
  el('h4', {}, next.fix_first_total ? `Fix first (${next.fix_first_total})` : 'Nothing to fix first.'),
  renderItems('ol', 'upkeep-fix-first', next.fix_first, next.fix_first_total, link),
  next.to_watch_total ? el('h4', {}, `To watch (${next.to_watch_total})`) : null,
  renderItems('ul', 'upkeep-to-watch', next.to_watch, next.to_watch_total, link));
}

/**
 * @param {'ol' | 'ul'} tag @param {string} className @param {ReadinessItem[]} items @param {number} total @param {Link} link
 */
function renderItems(tag, className, items, total, link) {
  if (!items.length) return null;
  return el('div', {},
    el(tag, { className }, ...items.map((item) => el('li', { dataset: { kind: item.kind, rank: String(item.rank),
      ticket: item.ticket_id ? String(item.ticket_id) : '', activity: item.activity ?? '' } },
    item.ticket_id ? link(item.ticket_id, `#${item.ticket_id}`) : null, item.ticket_id ? ' ' : null, item.what))),
    total > items.length ? el('p', {}, `… and ${total - items.length} more (upkeep status lists them all).`) : null);
}

/**
 * @param {import('../core/upkeep-core.js').Period} period
 * @param {Record<string, string>} labels the states' words, from the core
 * @param {Link} link
 */
function renderTimeline(period, labels, link) {
  /** @type {Map<string, string[]>} */
  const flags = new Map();
  for (const f of period.flags) flags.set(f.activity, [...(flags.get(f.activity) ?? []), f.message]);
  const rows = (period.timeline ?? []).map(({ activity, title, owner, marks }) => {
    const rate = period.by_activity[activity];
    return el('tr', { dataset: { timeline: activity } },
      el('td', {}, title || activity, el('br'), el('small', {}, owner)),
      el('td', { className: 'upkeep-marks' }, ...marks.map(([due, state, doneOn, evidence, ticketId]) => {
        const label = `due ${due}: ${labels[state] ?? state}${doneOn ? `, done ${doneOn}` : ''}${ticketId && !evidence && doneOn ? ', no evidence' : ''}`;
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
  });
  const legend = Object.entries(MARK_SHAPES).map(([state, shape]) => `${shape} ${labels[state] ?? state}`).join(', ');
  return el('div', { className: 'upkeep-timeline', dataset: { audit: period.audit, from: period.from, to: period.to } },
    el('h3', {}, `Audit period ${period.from} to ${period.to}: on time ${period.overall.text}`),
    el('p', { className: 'upkeep-help' }, `${legend}. The date the work was done counts, not the upload; an occurrence counts once its due date has passed.`),
    el('table', { className: 'list upkeep-timeline-table' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Activity'), el('th', {}, 'Occurrences'), el('th', {}, 'On time'), el('th', {}, 'Cadence'))),
      el('tbody', {}, ...rows)));
}

/** "1 open follow-up", "2 open follow-ups". @param {number} n @param {string} one @param {string} many */
function count(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * @param {import('../core/upkeep-core.js').ChangesReport} changes
 * @param {Link} link
 */
function renderChanges(changes, link) {
  return el('div', { className: 'upkeep-changes', dataset: { unassessed: String(changes.unassessed.length),
    followUps: String(changes.open_follow_ups.length) } },
  el('h3', {}, `Changes: ${changes.unassessed.length} not assessed, ${count(changes.open_follow_ups.length, 'open follow-up', 'open follow-ups')}`),
  changes.unassessed.length ? el('ul', { className: 'upkeep-unassessed' }, ...changes.unassessed.map((c) =>
    el('li', { dataset: { change: String(c.id) } }, link(c.id, `#${c.id}`), ` ${c.subject}`,
      el('small', {}, ` (opened ${c.created_on ?? '?'}${c.go_live ? `, due ${c.go_live}` : ''})`)))) : null,
  changes.open_follow_ups.length ? el('ul', { className: 'upkeep-open-follow-ups' }, ...changes.open_follow_ups.map((f) =>
    el('li', { dataset: { followUp: String(f.id) } }, link(f.id, `#${f.id}`), ` ${f.subject}`,
      el('small', {}, ` (${f.assignee || 'unassigned'}${f.due ? `, due ${f.due}` : ''})`)))) : null);
}

/**
 * @param {{ id: number, kind: string, subject: string, due: string | null }[]} findings
 * @param {Link} link
 */
function renderFindings(findings, link) {
  return el('div', { className: 'upkeep-findings', dataset: { open: String(findings.length) } },
    el('h3', {}, `Nonconformities and corrective actions: ${findings.length} open`),
    findings.length ? el('ul', {}, ...findings.map((f) => el('li', { dataset: { finding: String(f.id), kind: f.kind } },
      link(f.id, `#${f.id}`), ` ${f.subject}`, el('small', {}, ` (${f.kind.replace('_', ' ')}${f.due ? `, due ${f.due}` : ''})`)))) : null);
}
