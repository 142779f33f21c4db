// @ts-check
// Feature: the compliance lead's status panel on the ISMS tab: the countdown to the next audit and its
// readiness with what lowers it (what to do first first), a timeline of the audit period per activity
// (each occurrence a mark: on time, late, missed, upcoming), and the open changes and findings. Every
// item links to its ticket. Figures come from the core (`upkeep status`); ticket text is shown as text.
import { el } from '../lib/dom.js';

const STATE_LABELS = { on_time: 'on time', late: 'late', overdue: 'missed', upcoming: 'upcoming' };
const AUDIT_TITLES = { surveillance_1: 'Surveillance audit 1', surveillance_2: 'Surveillance audit 2', recertification: 'Recertification audit' };

/**
 * @param {{ status: { report: import('../core/upkeep-core.js').StatusReport, changes: import('../core/upkeep-core.js').ChangesReport,
 *   findings: { id: number, kind: string, subject: string, due: string | null }[] }, baseUrl: string }} input
 * @returns {HTMLElement}
 */
export function renderStatusPanel({ status, baseUrl }) {
  const link = (/** @type {number | null} */ id, /** @type {string} */ text) =>
    id ? el('a', { attrs: { href: `${baseUrl}/issues/${id}` } }, text) : el('span', {}, text);
  const next = status.report.next_audit;
  const period = next ? status.report.periods.find((p) => p.audit === next.audit) : status.report.periods.at(-1);
  return el('div', { className: 'upkeep-status-panel' },
    next ? renderReadiness(next, link) : el('p', {}, 'No audit is ahead in this certification cycle.'),
    period ? renderTimeline(period, link) : null,
    renderChanges(status.changes, link),
    renderFindings(status.findings, link));
}

/**
 * @param {NonNullable<import('../core/upkeep-core.js').StatusReport['next_audit']>} next
 * @param {(id: number | null, text: string) => HTMLElement} link
 */
function renderReadiness(next, link) {
  const shown = next.lowering;
  return el('div', { className: 'upkeep-readiness', dataset: { audit: next.audit, date: next.date,
    daysLeft: String(next.days_left), percent: String(next.readiness_percent) } },
  el('h3', {}, `${AUDIT_TITLES[/** @type {keyof typeof AUDIT_TITLES} */ (next.audit)] ?? next.audit} on ${next.date}: ` +
    `in ${next.days_left} days. Readiness ${next.readiness_percent}%`),
  el('p', { className: 'upkeep-help' }, 'Readiness: the occurrences due so far in this audit period that are done, out of those plus ' +
    'one for each unassessed change, overdue follow-up, review decision or corrective action, open nonconformity and corrective action due after the audit.'),
  shown.length ? el('ol', { className: 'upkeep-lowering' }, ...shown.map((item) =>
    el('li', { dataset: { ticket: item.ticket_id ? String(item.ticket_id) : '' } },
      item.ticket_id ? link(item.ticket_id, `#${item.ticket_id}`) : null, item.ticket_id ? ' ' : null, item.what))) : el('p', {}, 'Nothing lowers it.'),
  next.lowering_total > shown.length ? el('p', {}, `… and ${next.lowering_total - shown.length} more (upkeep status lists them all).`) : null);
}

/**
 * @param {import('../core/upkeep-core.js').Period} period
 * @param {(id: number | null, text: string) => HTMLElement} link
 */
function renderTimeline(period, link) {
  /** @type {Map<string, string[]>} */
  const flags = new Map();
  for (const f of period.flags) flags.set(f.activity, [...(flags.get(f.activity) ?? []), f.message]);
  const rows = (period.timeline ?? []).map(({ activity, owner, marks }) => {
    const rate = period.by_activity[activity];
    return el('tr', { dataset: { timeline: activity } },
      el('td', {}, activity, el('br'), el('small', {}, owner)),
      el('td', { className: 'upkeep-marks' }, ...marks.map(([due, state, doneOn, evidence, ticketId]) => {
        const label = `due ${due}: ${STATE_LABELS[state]}${doneOn ? `, done ${doneOn}` : ''}${ticketId && !evidence && doneOn ? ', no evidence' : ''}`;
        const mark = link(ticketId, state === 'upcoming' ? '○' : '●');
        mark.className = `upkeep-mark upkeep-mark-${state}`;
        mark.dataset.state = state;
        mark.dataset.due = due;
        mark.setAttribute('title', label);
        return mark;
      })),
      el('td', {}, rate ? `${rate.on_time}/${rate.due} on time` : ''),
      el('td', { className: 'upkeep-warning' }, (flags.get(activity) ?? []).join('; ')));
  });
  return el('div', { className: 'upkeep-timeline', dataset: { audit: period.audit, from: period.from, to: period.to } },
    el('h3', {}, `Audit period ${period.from} to ${period.to}: ${period.overall.on_time} of ${period.overall.due} due occurrences done on time`),
    el('p', { className: 'upkeep-help' }, '● on time (green), late (amber), missed (red); ○ upcoming. The date the work was done counts, not the upload.'),
    el('table', { className: 'list upkeep-timeline-table' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Activity'), el('th', {}, 'Occurrences'), el('th', {}, 'On time'), el('th', {}, 'Cadence'))),
      el('tbody', {}, ...rows)));
}

/**
 * @param {import('../core/upkeep-core.js').ChangesReport} changes
 * @param {(id: number | null, text: string) => HTMLElement} link
 */
function renderChanges(changes, link) {
  return el('div', { className: 'upkeep-changes', dataset: { unassessed: String(changes.unassessed.length),
    followUps: String(changes.open_follow_ups.length) } },
  el('h3', {}, `Changes: ${changes.unassessed.length} not assessed, ${changes.open_follow_ups.length} open follow-up(s)`),
  changes.unassessed.length ? el('ul', { className: 'upkeep-unassessed' }, ...changes.unassessed.map((c) =>
    el('li', { dataset: { change: String(c.id) } }, link(c.id, `#${c.id}`), ` ${c.subject}`,
      el('small', {}, ` (opened ${c.created_on ?? '?'}${c.go_live ? `, due ${c.go_live}` : ''})`)))) : null,
  changes.open_follow_ups.length ? el('ul', { className: 'upkeep-open-follow-ups' }, ...changes.open_follow_ups.map((f) =>
    el('li', { dataset: { followUp: String(f.id) } }, link(f.id, `#${f.id}`), ` ${f.subject}`,
      el('small', {}, ` (${f.assignee || 'unassigned'}${f.due ? `, due ${f.due}` : ''})`)))) : null);
}

/**
 * @param {{ id: number, kind: string, subject: string, due: string | null }[]} findings
 * @param {(id: number | null, text: string) => HTMLElement} link
 */
function renderFindings(findings, link) {
  return el('div', { className: 'upkeep-findings', dataset: { open: String(findings.length) } },
    el('h3', {}, `Nonconformities and corrective actions: ${findings.length} open`),
    findings.length ? el('ul', {}, ...findings.map((f) => el('li', { dataset: { finding: String(f.id), kind: f.kind } },
      link(f.id, `#${f.id}`), ` ${f.subject}`, el('small', {}, ` (${f.kind.replace('_', ' ')}${f.due ? `, due ${f.due}` : ''})`)))) : null);
}
