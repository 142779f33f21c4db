// @ts-check
// Feature: the information-security objectives (ISO 27001 6.2) on the ISMS tab, each measured by one of
// the KPIs against the target the configuration gives it (/metrics/objectives): this audit period's value,
// whether the target is met, and how earlier periods did. Evaluated and worded by the core.
import { el, scrollBox } from '../lib/dom.js';

/**
 * @typedef {{ audit: string, value: number | null, text: string, met: boolean | null, result: string }} ObjectivePeriod
 * @typedef {{ objective: string, kpi: string, kpi_title: string, direction: 'at_least' | 'at_most', target: number,
 *   target_text: string, periods: ObjectivePeriod[] }} Objective
 */

/** The result in words and a mark, so that it does not rest on colour. @param {boolean | null} met */
const resultMark = (met) => (met === null ? '–' : met ? '✓' : '✕');

/**
 * @param {{ objectives: Objective[] }} input
 * @returns {HTMLElement | null} nothing when the configuration sets no objectives
 */
export function renderObjectives({ objectives }) {
  const rows = objectives.filter((o) => o.periods.length).map((objective) => {
    const current = objective.periods[objective.periods.length - 1];
    const earlier = objective.periods.slice(0, -1).map((p) => `${p.audit}: ${p.result}`).join('; ');
    return el('tr', { dataset: { kpi: objective.kpi, met: current.met === null ? '' : String(current.met) } },
      el('td', {}, objective.objective),
      el('td', {}, objective.kpi_title),
      el('td', {}, objective.target_text),
      el('td', {}, current.text),
      el('td', { className: `upkeep-objective-${current.met === null ? 'unmeasured' : current.met ? 'met' : 'missed'}` },
        `${resultMark(current.met)} ${current.result}`),
      el('td', {}, earlier || '-'));
  });
  if (!rows.length) return null;
  return el('div', { className: 'upkeep-objectives' },
    el('h3', {}, 'Objectives'),
    scrollBox('Objectives', el('table', { className: 'list upkeep-objective-table' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Objective'), el('th', {}, 'Measured by'), el('th', {}, 'Target'),
        el('th', {}, 'This audit period'), el('th', {}, 'Result'), el('th', {}, 'Earlier periods'))),
      el('tbody', {}, ...rows))));
}
