// @ts-check
// Feature: the overdue control tasks on the ISMS tab, from the core's status: every occurrence overdue, or
// missed in an earlier period and still open, by owner, oldest first, each a link to its ticket.
import { drawFirst, el, foldingSection } from '../lib/dom.js';

/** Each owner's tasks drawn at once, oldest first; "Show all" draws the others. */
const PER_OWNER = 25;
import { countOf } from '../lib/words.js';

/**
 * @param {{ overdue: import('../core/upkeep-core.js').OverdueItem[], host: import('../core/host.js').Host }} input
 * @returns {HTMLElement}
 */
export function renderOverdue({ overdue, host }) {
  /** @type {Map<string, typeof overdue>} */
  const byOwner = new Map();
  for (const item of overdue) byOwner.set(item.owner || 'Unassigned', [...(byOwner.get(item.owner || 'Unassigned') ?? []), item]);
  const section = foldingSection('upkeep-overdue', 'upkeep-overdue',
    overdue.length ? `Overdue control tasks (${overdue.length})` : 'No control task is overdue.',
    ...[...byOwner.keys()].sort().map((owner) => {
      const list = el('ul');
      const showAll = drawFirst(list, byOwner.get(owner) ?? [], (item) => el('li', { dataset: { issue: item.ticket_id ? String(item.ticket_id) : '' } },
        item.ticket_id ? el('a', { attrs: { href: host.ticketUrl(item.ticket_id) } }, `${host.ticketName(item.ticket_id)} ${item.title}`)
          : el('span', {}, `${item.title} (no ticket)`),
        ` (due ${host.day(item.due)}, overdue by ${countOf(item.days_late, 'day')})`), PER_OWNER);
      return el('div', { className: 'upkeep-overdue-owner' }, el('h4', {}, `${owner} (${byOwner.get(owner)?.length})`), list, showAll);
    }));
  section.dataset.count = String(overdue.length);
  return section;
}
