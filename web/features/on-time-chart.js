// @ts-check
// Feature: the on-time rate month by month over the next audit's period, as a bar chart (uPlot) with its
// figures beside it as a table: each month's counted occurrences done on time, out of those due (the
// core's `by_month`, docs/figures.md), rounded down as every percentage Upkeep shows. A month with nothing
// due yet has no bar and says so in words.
import { el, foldingSection, scrollBox } from '../lib/dom.js';
import { drawWhenShown, monthStart, uPlot } from '../lib/charts.js';

/**
 * @param {{ period: import('../core/upkeep-core.js').Period, day?: (iso: string) => string }} input
 *   `day`: an ISO date as the reader's tracker writes dates (the host's)
 * @returns {HTMLElement}
 */
export function renderOnTimeChart({ period, day = (iso) => iso }) {
  const months = Object.keys(period.by_month).sort();
  const percent = (/** @type {import('../core/upkeep-core.js').Rate} */ r) => (r.due ? Math.floor((100 * r.on_time) / r.due) : null);
  const box = el('div', { className: 'upkeep-chart', attrs: { 'aria-hidden': 'true' } });
  const x = months.map(monthStart);
  const halfMonth = 15 * 86400;
  drawWhenShown(box, (width) => ({
    width,
    height: 220,
    legend: { show: false },
    scales: { x: { time: true, range: () => [(x[0] ?? 0) - halfMonth, (x.at(-1) ?? 0) + halfMonth] }, y: { range: [0, 100] } },
    // One tick a month, named as the figures are: 2026-05.
    axes: [{ splits: () => x, values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toISOString().slice(0, 7)) },
      { values: (_u, ticks) => ticks.map((t) => `${t}%`) }],
    series: [{}, { label: 'On time', stroke: '#2e7d32', fill: 'rgba(46, 125, 50, 0.35)',
      paths: uPlot.paths.bars?.({ size: [0.6, 48] }), points: { show: false } }],
  }), [x, months.map((m) => percent(period.by_month[m]))]);
  const figures = el('table', { className: 'list upkeep-chart-figures' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Month'), el('th', {}, 'On time'))),
    el('tbody', {}, ...months.map((m) => el('tr', { dataset: { month: m, onTime: String(period.by_month[m].on_time), due: String(period.by_month[m].due) } },
      el('td', {}, m), el('td', {}, period.by_month[m].text)))));
  return foldingSection('upkeep-on-time-chart', 'upkeep-on-time', `On time, month by month (${day(period.from)} to ${day(period.to)})`,
    el('figure', {}, box, el('figcaption', { className: 'upkeep-help' },
      'Bars: the share of the occurrences due in each month that were done on time (the date the work was done counts).'),
    el('details', {}, el('summary', {}, 'The figures'), scrollBox('On time, month by month: the figures', figures))));
}
