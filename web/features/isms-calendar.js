// @ts-check
// Feature: the maintenance calendar on the ISMS tab: one table of the next 90 days, by due date, with
// each occurrence's owner, the day its ticket opens (those that should be open already marked so in
// words), and its ISO 27001 references. Computed by the wasm core from the configuration and what the
// tracker adds to it (the supplier reviews of its register).
import { drawFirst, el, foldingSection, scrollBox } from '../lib/dom.js';
import { addDays } from '../lib/dates.js';

export const CALENDAR_DAYS = 90;
/** The rows drawn at once; "Show all" draws the others. */
const CALENDAR_ROWS = 100;

/**
 * @param {{ calendar: import('../core/host.js').StatusRead['calendar'], today: string,
 *   personName?: (owner: string) => string, day?: (iso: string) => string }} input
 *   `calendar`: the core's calendar of what the host read (the configuration and the tracker's own activities);
 *   `personName`: an owner as people know them (the host's names); `day`: an ISO date as the reader's tracker writes dates (the host's)
 * @returns {HTMLElement}
 */
export function renderCalendar({ calendar: calendarOf, today, personName = (owner) => owner, day = (iso) => iso }) {
  const window = { from: today, to: addDays(today, CALENDAR_DAYS) };
  const calendar = calendarOf(window);
  if ('error' in calendar) return el('p', { className: 'upkeep-error' }, calendar.error);
  const entries = calendar.entries.filter((e) => e.kind === 'activity');
  const openNow = (/** @type {import('../core/upkeep-core.js').CalendarEntry} */ e) => (e.opens ?? e.date) <= today;
  const rows = el('tbody');
  const showAll = drawFirst(rows, entries, (e) =>
    el('tr', { className: openNow(e) ? 'upkeep-open-now' : '', dataset: { activity: e.id, due: e.date } },
      el('td', { className: 'date' }, day(e.date)),
      el('td', {}, e.title),
      el('td', { className: 'upkeep-owner', dataset: { owner: e.owner ?? '' } }, e.owner ? personName(e.owner) : ''),
      el('td', { className: 'date' }, openNow(e) ? `${day(e.opens ?? e.date)} (open now)` : e.opens ? day(e.opens) : ''),
      el('td', {}, (e.references ?? []).join(', '))), CALENDAR_ROWS);
  const section = foldingSection('upkeep-calendar', 'upkeep-calendar-view', `Due in the next ${CALENDAR_DAYS} days (${day(window.from)} to ${day(window.to)})`,
    entries.length === 0 ? el('p', {}, 'Nothing is due in this window.') : scrollBox('The next 90 days',
      el('table', { className: 'list upkeep-calendar' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Due'), el('th', {}, 'Activity'), el('th', {}, 'Owner'),
          el('th', {}, 'Ticket opens'), el('th', {}, 'ISO 27001'))),
        rows)),
    showAll);
  Object.assign(section.dataset, { from: window.from, to: window.to });
  return section;
}
