// @ts-check
// Feature: the maintenance calendar on the ISMS tab: the next audit, then the next 90 days by owner,
// each owner's activities whose ticket should already be open first. Computed by the wasm core.
import { el } from '../lib/dom.js';
import { addDays, daysBetween } from '../lib/dates.js';

export const CALENDAR_DAYS = 90;

/**
 * @param {{ core: import('../core/upkeep-core.js').UpkeepCore, configText: string, today: string }} input
 * @returns {HTMLElement}
 */
export function renderCalendar({ core, configText, today }) {
  const window = { from: today, to: addDays(today, CALENDAR_DAYS) };
  const calendar = core.calendar(configText, window);
  if ('error' in calendar) return el('p', { className: 'upkeep-error' }, calendar.error);
  const cycle = core.calendar(configText, { from: today, to: addDays(today, 3 * 366) });
  const nextAudit = 'entries' in cycle ? cycle.entries.find((e) => e.kind === 'audit') : undefined;

  /** @type {Map<string, import('../core/upkeep-core.js').CalendarEntry[]>} */
  const byOwner = new Map();
  for (const entry of calendar.entries) {
    if (entry.kind !== 'activity') continue;
    const owner = entry.owner ?? '';
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), entry]);
  }
  const openNow = (/** @type {import('../core/upkeep-core.js').CalendarEntry} */ e) => (e.opens ?? e.date) <= today;
  const owners = [...byOwner.keys()].sort();

  return el('div', { className: 'upkeep-calendar-view', dataset: { from: window.from, to: window.to } },
    nextAudit
      ? el('div', { className: 'upkeep-audit', dataset: { audit: nextAudit.id, date: nextAudit.date } },
          el('strong', {}, `Next audit: ${nextAudit.title}`),
          ` on ${nextAudit.date} (in ${daysBetween(today, nextAudit.date)} days, ${nextAudit.source === 'computed' ? 'latest date the cycle allows' : nextAudit.source}).`)
      : el('div', { className: 'upkeep-audit' }, 'No audit in the next three years of the certification cycle.'),
    el('h3', {}, `Due in the next ${CALENDAR_DAYS} days (${window.from} to ${window.to}), by owner`),
    owners.length === 0 ? el('p', {}, 'Nothing is due in this window.') : null,
    ...owners.map((owner) => {
      const entries = /** @type {import('../core/upkeep-core.js').CalendarEntry[]} */ (byOwner.get(owner));
      const ordered = [...entries.filter(openNow), ...entries.filter((e) => !openNow(e))];
      return el('div', { className: 'upkeep-owner', dataset: { owner } },
        el('h4', {}, `${owner} (${entries.length})`),
        el('table', { className: 'list upkeep-calendar' },
          el('thead', {}, el('tr', {}, el('th', {}, 'Due'), el('th', {}, 'Ticket opens'), el('th', {}, 'Activity'),
            el('th', {}, 'ISO 27001'))),
          el('tbody', {}, ...ordered.map((e) =>
            el('tr', { className: openNow(e) ? 'upkeep-open-now' : '', dataset: { activity: e.id, due: e.date } },
              el('td', { className: 'date' }, e.date),
              el('td', { className: 'date' }, openNow(e) ? `${e.opens} (open now)` : e.opens ?? ''),
              el('td', {}, e.title, ' ', el('small', {}, `[${e.id}]`)),
              el('td', {}, (e.references ?? []).join(', ')))))));
    }));
}
