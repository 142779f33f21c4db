// @ts-check
// Feature: the ISMS's KPIs on the ISMS tab (ISO 27001 9.1): each with its definition written next to it
// (auditors ask how a number was computed), its value this audit period with the trend over the
// earlier periods, and the tickets behind it one click away. Computed and worded by the core.
import { el } from '../lib/dom.js';

/**
 * @typedef {{ audit: string, from: string, to: string, value: number | null, numerator: number, denominator: number,
 *   why: string, detail: string, text: string, missing: { ticket_id: number | null, due: string, why: string }[],
 *   tickets: number[], tickets_total: number }} KpiValue
 * @typedef {{ id: string, title: string, unit: 'share' | 'days' | 'count', definition: string, periods: KpiValue[] }} Kpi
 */

/**
 * @param {{ kpis: Kpi[], host: import('../core/host.js').Host }} input
 * @returns {HTMLElement}
 */
export function renderKpis({ kpis, host }) {
  const rows = kpis.filter((k) => k.periods.length).map((kpi) => {
    const current = kpi.periods[kpi.periods.length - 1];
    const trend = kpi.periods.slice(0, -1).map((p) => `${p.audit}: ${p.text}`).join('; ');
    const tickets = current.tickets;
    return el('tr', { dataset: { kpi: kpi.id, value: current.value === null ? '' : String(current.value) } },
      el('td', {}, el('strong', {}, kpi.title), el('br'), el('small', { className: 'upkeep-help' }, kpi.definition)),
      el('td', { className: current.value === null ? 'upkeep-kpi-none' : 'upkeep-kpi-value' }, current.text,
        current.detail && kpi.unit === 'share' ? el('small', {}, ` ${current.detail}`) : null),
      el('td', {}, trend || '-'),
      el('td', { className: 'upkeep-kpi-tickets' }, ...tickets.flatMap((id) =>
        [el('a', { attrs: { href: host.ticketUrl(id) } }, host.ticketName(id)), ' ']),
      current.tickets_total > tickets.length ? `… ${current.tickets_total - tickets.length} more` : ''));
  });
  return el('div', { className: 'upkeep-kpis' },
    el('h3', {}, 'KPIs'),
    el('table', { className: 'list upkeep-kpi-table' },
      el('thead', {}, el('tr', {}, el('th', {}, 'KPI and how it is computed'), el('th', {}, 'This audit period'),
        el('th', {}, 'Earlier periods'), el('th', {}, 'Tickets behind it'))),
      el('tbody', {}, ...rows)));
}
