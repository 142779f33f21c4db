// @ts-check
// Feature: shows what is wrong with a configuration, each problem at its JSON pointer, as text.
import { el } from '../lib/dom.js';

/**
 * @param {string} heading
 * @param {import('../core/upkeep-core.js').Problem[]} errors
 * @param {import('../core/upkeep-core.js').Problem[]} [warnings]
 * @returns {HTMLElement}
 */
export function renderProblems(heading, errors, warnings = []) {
  const item = (/** @type {import('../core/upkeep-core.js').Problem} */ p, /** @type {string} */ kind) =>
    el('li', { className: kind, dataset: { pointer: p.pointer } }, el('code', {}, p.pointer || '(document)'), ': ', p.message);
  return el('div', { className: 'upkeep-problems-box' },
    el('p', { className: errors.length ? 'upkeep-error' : 'upkeep-warning' }, heading),
    el('ul', { className: 'upkeep-problems' },
      ...errors.map((p) => item(p, 'upkeep-error')),
      ...warnings.map((p) => item(p, 'upkeep-warning'))));
}
