// @ts-check
// Feature: the frameworks beside ISO 27001 that the configuration follows (its "frameworks": SOC 2, NIS2,
// DORA, ISO 22301), on the ISMS tab: a choice of the view's framework, which narrows every figure, list,
// chart and download of the tab to the activities that reference it (as `upkeep status --framework`;
// the address keeps it, `?framework=nis2`, so a view can be shared), and, for the framework chosen, its
// coverage: each requirement with the activities that address it, and those that nothing addresses.
import { el, foldingSection, scrollBox } from '../lib/dom.js';

/**
 * @typedef {{ key: string, name: string }} FollowedFramework
 * @typedef {{ framework: string, name: string, addressed: number, total: number,
 *   requirements: { id: string, title: string, activities: string[] }[] }} FrameworkCoverage
 */

/** The framework the address asks the view for ('' for all activities). @param {Location} [location] */
export function viewFramework(location = globalThis.location) {
  return new URLSearchParams(location?.search ?? '').get('framework') ?? '';
}

/** Shows the view for `framework` by the page's address (?framework=KEY), which reloads it. @param {string} framework */
function showByAddress(framework) {
  const url = new URL(location.href);
  if (framework) url.searchParams.set('framework', framework);
  else url.searchParams.delete('framework');
  location.assign(url.href);
}

/** The configuration's activities' titles by id (none when it does not parse). @param {string} configText */
export function activityTitles(configText) {
  try {
    return new Map(JSON.parse(configText).activities.map((/** @type {{ id: string, title: string }} */ a) => [a.id, a.title]));
  } catch {
    return new Map();
  }
}

/**
 * @param {{ frameworks: FollowedFramework[] | undefined, shown: string, coverage: FrameworkCoverage | undefined,
 *   activityTitle: (id: string) => string, onShow?: (framework: string) => void }} input
 *   `onShow`: shows the view for a framework ('' for every activity); by the page's address by default
 * @returns {{ control: HTMLElement | null, panel: HTMLElement | null }} nothing when the configuration follows no
 *   other framework
 */
export function renderFrameworks({ frameworks, shown, coverage, activityTitle, onShow = showByAddress }) {
  if (!frameworks?.length) return { control: null, panel: null };
  const select = /** @type {HTMLSelectElement} */ (el('select', { attrs: { name: 'framework' } },
    el('option', { attrs: { value: '' } }, 'ISO/IEC 27001: every activity'),
    ...frameworks.map((f) => el('option', { attrs: { value: f.key } }, f.name))));
  select.value = shown;
  select.addEventListener('change', () => onShow(select.value));
  const control = el('p', { className: 'upkeep-framework-choice' }, el('label', {}, 'View for: ', select));
  if (!coverage) return { control, panel: null };
  const rows = coverage.requirements.map((r) => el('tr', { dataset: { requirement: r.id, addressed: String(r.activities.length > 0) } },
    el('td', {}, r.id),
    el('td', {}, r.title),
    // Addressed or not in words and a mark, so that it does not rest on colour.
    el('td', {}, r.activities.length ? `✓ ${r.activities.map(activityTitle).join('; ')}` : '✕ nothing addresses it')));
  const panel = foldingSection('upkeep-coverage', 'upkeep-coverage',
    `${coverage.name}: ${coverage.addressed} of ${coverage.total} requirements addressed`,
    el('p', {}, `Each requirement with the activities whose references name it ("${coverage.framework}:<id>"); the rest of the tab shows those activities alone.`),
    scrollBox(`${coverage.name} coverage`, el('table', { className: 'list upkeep-coverage-table' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Requirement'), el('th', {}, 'Title'), el('th', {}, 'Addressed by'))),
      el('tbody', {}, ...rows))));
  panel.dataset.addressed = String(coverage.addressed);
  return { control, panel };
}
