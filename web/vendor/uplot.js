// @ts-check
// uPlot (https://github.com/leeoniya/uPlot), the charting library of the ISMS tab: small, canvas, no eval,
// so it runs under a strict Content Security Policy. npm installs it here (scripts/install-deps.sh, pinned
// by package-lock.json); the plugin carries only its built module and style sheet (scripts/redmine.sh).
// @ts-ignore -- the built module has no declaration file beside it: the package's own (uplot) types it
import built from './node_modules/uplot/dist/uPlot.esm.js';

/**
 * @typedef {import('uplot')} Chart
 * @typedef {import('uplot').Options} Options
 * @typedef {import('uplot').AlignedData} AlignedData
 */

/** @type {typeof import('uplot')} */
const uPlot = built;
export default uPlot;

/** The style sheet uPlot's legend and cursor need, beside the module. */
export const uPlotStyleSheet = new URL('./node_modules/uplot/dist/uPlot.min.css', import.meta.url).href;
