// @ts-check
// Charts on Upkeep's pages, drawn with uPlot once their box has a width (and redrawn to fit it). Each chart
// comes with its figures as a table, so what a chart shows can also be read, and is, by screen readers.
import uPlot, { uPlotStyleSheet } from '../vendor/uplot.js';
import { el } from './dom.js';

/** Adds uPlot's style sheet to the page once. */
function ensureStyleSheet() {
  if (document.querySelector('link[data-upkeep-uplot]')) return;
  document.head.append(el('link', { attrs: { rel: 'stylesheet', href: uPlotStyleSheet }, dataset: { upkeepUplot: '' } }));
}

/**
 * A chart in `box`, created when the box is first laid out with a width, resized with it.
 * @param {HTMLElement} box
 * @param {(width: number) => import('../vendor/uplot.js').Options} options
 * @param {import('../vendor/uplot.js').AlignedData} data
 */
export function drawWhenShown(box, options, data) {
  ensureStyleSheet();
  /** @type {import('../vendor/uplot.js').Chart | null} */
  let chart = null;
  const observer = new ResizeObserver(() => {
    const width = box.clientWidth;
    if (!width) return;
    if (!chart) chart = new uPlot(options(width), data, box);
    else chart.setSize({ width, height: chart.height });
  });
  observer.observe(box);
}

/** Seconds since 1970 of a day's start (UTC), as uPlot's time axis counts. @param {string} day YYYY-MM-DD */
export function dayStart(day) {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}

/** Seconds since 1970 of a "YYYY-MM" month's first day. @param {string} month */
export function monthStart(month) {
  return dayStart(`${month}-01`);
}

/**
 * Draws today (dashed) and the audit day (solid) as uprights across a time chart's plot.
 * @param {import('../vendor/uplot.js').Chart} u @param {string} today @param {string} audit YYYY-MM-DD
 */
export function markTodayAndAudit(u, today, audit) {
  const ctx = u.ctx;
  const ratio = uPlot.pxRatio;
  ctx.save();
  for (const [day, dash] of /** @type {[string, number[]][]} */ ([[today, [4 * ratio, 4 * ratio]], [audit, []]])) {
    const x = u.valToPos(dayStart(day), 'x', true);
    ctx.setLineDash(dash);
    ctx.strokeStyle = '#555';
    ctx.lineWidth = ratio;
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
  }
  ctx.restore();
}

export { uPlot };
