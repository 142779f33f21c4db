// @ts-check
// Feature: the audit period's occurrences on a real month axis, one row per activity (uPlot, drawn on its
// canvas): each occurrence at its due date, its state told by shape as well as colour (the timeline
// table's marks: ● on time, ▲ late, ◇ done without a work date, ■ overdue, ✕ missed, ○ upcoming), with
// today and the audit day marked, so that bunching before the audit and gaps show at a glance. The table
// below it carries the same marks as text.
import { el, scrollBox } from '../lib/dom.js';
import { dayStart, drawWhenShown, markTodayAndAudit, monthStart, uPlot } from '../lib/charts.js';

const ROW_PX = 20;
const COLOURS = { on_time: '#2e7d32', late: '#c77700', done_undated: '#6b5400', overdue: '#c62828', missed: '#6d1b1b', upcoming: '#888' };

/**
 * Draws one mark, centred on (x, y), `r` pixels from its centre to its edge.
 * @param {CanvasRenderingContext2D} ctx @param {string} state @param {number} x @param {number} y @param {number} r
 */
function drawMark(ctx, state, x, y, r) {
  const colour = COLOURS[/** @type {keyof typeof COLOURS} */ (state)] ?? '#000';
  ctx.fillStyle = colour;
  ctx.strokeStyle = colour;
  ctx.lineWidth = Math.max(1, r / 3);
  ctx.beginPath();
  if (state === 'on_time') ctx.arc(x, y, r, 0, 2 * Math.PI);
  else if (state === 'late') { ctx.moveTo(x, y - r); ctx.lineTo(x + r, y + r); ctx.lineTo(x - r, y + r); ctx.closePath(); }
  else if (state === 'done_undated') { ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath(); }
  else if (state === 'overdue') ctx.rect(x - r, y - r, 2 * r, 2 * r);
  else if (state === 'missed') { ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r); ctx.moveTo(x + r, y - r); ctx.lineTo(x - r, y + r); }
  else ctx.arc(x, y, r, 0, 2 * Math.PI);
  if (state === 'on_time' || state === 'late' || state === 'overdue') ctx.fill();
  else ctx.stroke();
}

/**
 * @param {{ period: import('../core/upkeep-core.js').Period, today: string, day?: (iso: string) => string }} input
 *   `day`: an ISO date as the reader's tracker writes dates (the host's)
 * @returns {HTMLElement}
 */
export function renderOccurrenceChart({ period, today, day = (iso) => iso }) {
  const rows = period.timeline ?? [];
  const box = el('div', { className: 'upkeep-chart upkeep-occurrence-chart', attrs: { 'aria-hidden': 'true' },
    dataset: { marks: String(rows.reduce((n, row) => n + row.marks.length, 0)) } });
  /** @type {number[]} */
  const months = [];
  for (let m = period.from.slice(0, 7); m <= period.to.slice(0, 7);) {
    months.push(monthStart(m));
    const [y, mo] = m.split('-').map(Number);
    m = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  }
  const short = (/** @type {string} */ title) => (title.length > 26 ? `${title.slice(0, 25)}…` : title);
  const [from, to] = [dayStart(period.from), dayStart(period.to)];
  drawWhenShown(box, (width) => ({
    width,
    height: 50 + rows.length * ROW_PX,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: true, range: () => [from - 5 * 86400, to + 5 * 86400] }, y: { range: () => [-0.5, rows.length - 0.5] } },
    axes: [
      { splits: () => months.filter((m) => m >= from - 5 * 86400), values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toISOString().slice(0, 7)) },
      { size: 220, splits: () => rows.map((_, i) => i), values: (_u, ticks) => ticks.map((i) => short(rows[rows.length - 1 - i]?.title || rows[rows.length - 1 - i]?.activity || '')) },
    ],
    series: [{}, { paths: () => null, points: { show: false } }],
    hooks: { draw: [(u) => {
      markTodayAndAudit(u, today, period.to);
      const ctx = u.ctx;
      const ratio = uPlot.pxRatio;
      ctx.save();
      let drawn = 0;
      rows.forEach((row, i) => {
        const y = u.valToPos(rows.length - 1 - i, 'y', true);
        for (const [due, state] of row.marks) {
          drawMark(ctx, state, u.valToPos(dayStart(due), 'x', true), y, 5 * ratio);
          drawn += 1;
        }
      });
      ctx.restore();
      box.dataset.drawn = String(drawn);
    }] },
  }), [[from, to], [null, null]]);
  // At least 640 px wide: on a phone the chart scrolls in its own box, not the page.
  return el('figure', { className: 'upkeep-occurrence-figure' }, scrollBox('The occurrences on a month axis', box),
    el('figcaption', { className: 'upkeep-help' }, `Each occurrence at its due date; the dashed line is today (${day(today)}), the solid one the audit day (${day(period.to)}).`));
}
