// @ts-check
// Entry point on tickets of Upkeep-enabled projects other than Upkeep's own: when the ISMS configuration
// names the ticket's tracker as a change tracker, shows the change prompt (and a banner while the change
// is unassessed); on any other tracker it stays hidden.
import { createUpkeep } from '../core/upkeep-core.js';
import { createRedmineClient } from './redmine-api.js';
import { readPageContext, selectors } from './selectors.js';
import { el, replaceChildren } from '../lib/dom.js';
import { localToday } from '../lib/dates.js';
import { renderChangePrompt, renderUnassessedBanner } from '../features/change-prompt.js';
import { runChangeAssessment } from './change-assessment.js';

const root = /** @type {HTMLElement} */ (document.querySelector(selectors.changePanel.css));
const context = readPageContext(document);
const client = createRedmineClient({ baseUrl: context.baseUrl, apiKey: context.apiKey });
const change = Number(root.dataset.issueId);

/** @param {string} state @param {...Node} content */
function show(state, ...content) {
  root.dataset.state = state;
  replaceChildren(root, ...content);
}

/** @param {import('../core/upkeep-core.js').UpkeepCore} core */
async function refresh(core) {
  const result = await runChangeAssessment({ core, client, project: context.project, change, today: localToday() });
  if (result.kind === 'not_a_change') return show('none');
  if (result.error) return show('failed', el('p', { className: 'upkeep-error' }, `Upkeep: ${result.error}`));
  if (!result.view) {
    return show('failed', el('p', { className: 'upkeep-error' }, 'Upkeep cannot show the ISMS questions here:'),
      el('ul', {}, ...(result.problems ?? []).map((p) => el('li', {}, p.pointer ? `${p.pointer}: ${p.message}` : p.message))));
  }
  render(core, result.view);
}

/**
 * Shows a view of the change; after a recording, the view its last read gave (no second read).
 * @param {import('../core/upkeep-core.js').UpkeepCore} core @param {import('../core/upkeep-core.js').ChangeView} view
 * @param {{ open?: boolean, notice?: string, warning?: boolean }} [options]
 */
function render(core, view, { open = false, notice, warning = false } = {}) {
  // Answers are recorded over the revision this view shows, or not at all (see runChangeAssessment).
  const run = (/** @type {Record<string, string> | undefined} */ answers) =>
    runChangeAssessment({ core, client, project: context.project, change, today: localToday(), answers, apply: true,
      basedOn: answers ? view.record?.revision ?? 0 : undefined });
  const after = async (/** @type {Awaited<ReturnType<typeof run>>} */ outcome) => {
    if (outcome.error) return outcome.error;
    if (outcome.problems?.length) return outcome.problems.map((p) => p.message).join(' ');
    if (!outcome.view) return 'Upkeep did not get the change back after recording: reload the page.';
    if (outcome.conflict) render(core, outcome.view, { open: true, notice: outcome.conflict, warning: true });
    else render(core, outcome.view, { open: true, notice: `Recorded: ${outcome.written} change(s) to the tickets.` });
    return null;
  };
  document.querySelector('.upkeep-change-banner')?.remove();
  const prompt = renderChangePrompt({ view, baseUrl: context.baseUrl, open,
    submit: async (answers) => after(await run(answers)),
    update: async () => after(await run(undefined)) });
  show(view.record ? 'assessed' : 'unassessed', prompt, notice ? el('p', { className: warning ? 'upkeep-warning upkeep-conflict' : 'upkeep-notice' }, notice) : el('span'));
  if (!view.record) {
    const details = /** @type {HTMLDetailsElement | null} */ (root.querySelector('details'));
    document.querySelector(selectors.issueBox.css)?.before(renderUnassessedBanner(root.id, () => { if (details) details.open = true; }));
  }
}

async function main() {
  const loaded = await createUpkeep({ moduleUrl: new URL('../core/upkeep-wasm.js', import.meta.url).href });
  if (!loaded.ok) return show('failed', el('p', { className: 'upkeep-error' }, loaded.reason));
  await refresh(loaded.core);
}

main().catch((error) => show('failed', el('p', { className: 'upkeep-error' }, `Upkeep failed: ${error instanceof Error ? error.message : error}`)));
