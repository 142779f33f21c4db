// @ts-check
// Feature: the overdue control tasks on the ISMS tab, first: by owner, oldest first, each a link to its
// ticket. Subjects are tracker text: shown as text, never as HTML.
import { el } from '../lib/dom.js';
import { daysBetween } from '../lib/dates.js';

/** "1 day", "3 days". @param {number} n */
const daysText = (n) => `${n} ${n === 1 ? 'day' : 'days'}`;

/**
 * @param {{ issues: { id: number, subject: string, due_date: string, assigned_to?: { name: string } }[], today: string,
 *   baseUrl: string }} input
 * @returns {HTMLElement}
 */
export function renderOverdue({ issues, today, baseUrl }) {
  /** @type {Map<string, typeof issues>} */
  const byOwner = new Map();
  for (const issue of issues) {
    const owner = issue.assigned_to?.name ?? 'Unassigned';
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), issue]);
  }
  return el('div', { className: 'upkeep-overdue', dataset: { count: String(issues.length) } },
    el('h3', {}, issues.length ? `Overdue control tasks (${issues.length})` : 'No control task is overdue.'),
    ...[...byOwner.keys()].sort().map((owner) => el('div', { className: 'upkeep-overdue-owner' },
      el('h4', {}, `${owner} (${byOwner.get(owner)?.length})`),
      el('ul', {}, ...(byOwner.get(owner) ?? []).map((issue) => el('li', { dataset: { issue: String(issue.id) } },
        el('a', { attrs: { href: `${baseUrl}/issues/${issue.id}` } }, `#${issue.id} ${issue.subject}`),
        ` (due ${issue.due_date}, overdue by ${daysText(daysBetween(issue.due_date, today))})`))))));
}
