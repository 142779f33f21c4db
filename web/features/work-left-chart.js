// @ts-check
// Feature: the work left before the next audit, as a burn-down (uPlot): of the audit period's
// occurrences, how many were still to do at the end of each day up to today, against how many would have
// been had each been done on its due date; today and the audit day marked. The gap between the lines is
// work behind schedule. The core's `work_left` (docs/figures.md); its figures beside it as a table, one
// row a month, today and the audit day.
import { el, foldingSection, scrollBox } from '../lib/dom.js';
import { addDays } from '../lib/dates.js';
import { dayStart, drawWhenShown, markTodayAndAudit } from '../lib/charts.js';

/**
 * @param {{ next: import('../core/upkeep-core.js').NextAudit, today: string, day?: (iso: string) => string }} input
 *   `day`: an ISO date as the reader's tracker writes dates (the host's)
 * @returns {HTMLElement | null}
 */
export function renderWorkLeftChart({ next, today, day = (iso) => iso }) {
  const work = next.work_left;
  if (!work) return null;
  const days = work.planned.map((_, i) => addDays(work.from, i));
  const x = days.map(dayStart);
  const monthStarts = days.filter((day) => day.endsWith('-01')).map(dayStart);
  const box = el('div', { className: 'upkeep-chart upkeep-work-left-chart', attrs: { 'aria-hidden': 'true' } });
  drawWhenShown(box, (width) => ({
    width,
    height: 220,
    legend: { show: false },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    // A tick on the first of a month, every month when there is room (80 px a label), else every few.
    axes: [{ splits: () => monthStarts.filter((_, i) => i % Math.ceil((monthStarts.length * 80) / width) === 0),
      values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toISOString().slice(0, 7)) }, {}],
    series: [{},
      { label: 'Still to do', stroke: '#c62828', width: 2, points: { show: false } },
      { label: 'Done on each due date', stroke: '#555', dash: [6, 4], width: 1.5, points: { show: false } }],
    hooks: { draw: [(u) => {
      markTodayAndAudit(u, today, next.date);
      box.dataset.drawn = String(work.left.length);
    }] },
  }), [x, work.planned.map((_, i) => work.left[i] ?? null), work.planned]);

  // The figures: the first day, each month's first day, today and the audit day.
  const rows = days.map((day, i) => ({ day, i })).filter(({ day, i }) => i === 0 || day.endsWith('-01') || day === today || i === days.length - 1);
  const figures = el('table', { className: 'list upkeep-chart-figures' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Day'), el('th', {}, 'Still to do'), el('th', {}, 'Done on each due date'))),
    el('tbody', {}, ...rows.map(({ day, i }) => el('tr', { dataset: { day, left: String(work.left[i] ?? ''), planned: String(work.planned[i]) } },
      el('td', {}, day === today ? `${day} (today)` : i === days.length - 1 ? `${day} (audit)` : day),
      el('td', {}, i < work.left.length ? String(work.left[i]) : ''), el('td', {}, String(work.planned[i]))))));
  const leftNow = work.left.at(-1) ?? work.total;
  const plannedNow = work.planned[work.left.length - 1] ?? work.total;
  return foldingSection('upkeep-work-left', 'upkeep-work-left-section',
    `Work left before the audit: ${leftNow} of ${work.total} still to do` + (leftNow > plannedNow ? `, ${leftNow - plannedNow} behind schedule` : ', on schedule'),
    el('figure', {}, box, el('figcaption', { className: 'upkeep-help' },
      `The audit period's occurrences still to do at the end of each day (solid), and what would be left had each been done on its due date (dashed); ` +
      `the dashed upright is today (${day(today)}), the solid one the audit day (${day(next.date)}).`),
    el('details', {}, el('summary', {}, 'The figures'), scrollBox('Work left before the audit: the figures', figures))));
}
