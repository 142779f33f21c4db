// @ts-check
// Feature: the first lines of the ISMS tab, what a compliance lead reads every morning: the countdown to
// the next audit, readiness as "x of y", and a strip of counts, each a link to the section below that
// lists them: overdue control tasks, occurrences due before the audit, changes not assessed, open
// nonconformities and corrective actions, owners behind, and expired evidence when any evidence expires.
// Every figure comes from the core's status.
import { el } from '../lib/dom.js';
import { countOf, wordFor } from '../lib/words.js';

/**
 * @param {{ status: import('../core/upkeep-core.js').StatusResult, period: import('../core/upkeep-core.js').Period | undefined,
 *   day?: (iso: string) => string }} input
 *   `period`: the next audit's; `day`: an ISO date as the reader's tracker writes dates (the host's)
 * @returns {HTMLElement}
 */
export function renderAtAGlance({ status, period, day = (iso) => iso }) {
  const next = status.report.next_audit;
  if (!next) return el('div', { className: 'upkeep-glance' }, el('h3', {}, 'No audit is ahead in this certification cycle.'));
  const r = next.readiness;
  const dueBeforeAudit = (period?.timeline ?? []).flatMap((row) => row.marks)
    .filter(([due, state]) => state === 'upcoming' && due <= next.date).length;
  const ownersBehind = new Set(status.overdue.map((o) => o.owner || 'Unassigned')).size;
  /** @type {[figure: string, value: number, words: string, section: string][]} */
  const figures = [
    ['overdue', status.overdue.length, `${wordFor(status.overdue.length, 'control task')} overdue`, 'upkeep-overdue'],
    ['due-before-audit', dueBeforeAudit, `${wordFor(dueBeforeAudit, 'occurrence')} due before the audit`, 'upkeep-timeline'],
    ['unassessed', status.changes.unassessed.length, `${wordFor(status.changes.unassessed.length, 'change')} not assessed`, 'upkeep-changes'],
    ['findings', status.findings.length, `open ${wordFor(status.findings.length, 'nonconformity or corrective action', 'nonconformities and corrective actions')}`, 'upkeep-findings'],
    ['owners-behind', ownersBehind, `${wordFor(ownersBehind, 'owner')} behind`, 'upkeep-overdue'],
  ];
  const expiring = status.report.expiring_evidence;
  const expired = expiring.filter((e) => e.expired).length;
  if (expiring.length) {
    figures.push(['expired-evidence', expired, `${wordFor(expired, 'piece of evidence', 'pieces of evidence')} expired`, 'upkeep-expiring-evidence']);
  }
  return el('div', { className: 'upkeep-glance upkeep-readiness', dataset: { audit: next.audit, date: next.date,
    daysLeft: String(next.days_left), percent: r.percent === null ? '' : String(r.percent), done: String(r.done), counted: String(r.counted) } },
  el('h3', {}, `${next.title} on ${day(next.date)}: in ${countOf(next.days_left, 'day')}. Readiness ${r.text}`),
  el('ul', { className: 'upkeep-figures' }, ...figures.map(([figure, value, words, section]) =>
    el('li', { dataset: { figure, value: String(value) }, className: value ? 'upkeep-figure-behind' : 'upkeep-figure-clear' },
      el('a', { attrs: { href: `#${section}` } }, el('strong', {}, value === 0 ? '✓ 0' : String(value)), ` ${words}`)))),
  el('p', { className: 'upkeep-help' }, 'Readiness: the occurrences due so far in this audit period that are done, out of those plus ' +
    'one for each item to fix first that is not one of them (control tasks of earlier periods still open, overdue follow-ups, ' +
    'decisions, corrective actions and verifications, unassessed changes, open nonconformities, corrective actions and ' +
    'verifications due on or after the audit day). Rounded down.'));
}
