// @ts-check
// Entry point on tickets of Upkeep-enabled projects other than Upkeep's own: when the ISMS configuration
// names the ticket's tracker as a change tracker, shows the change prompt (and a banner while the change
// is unassessed); on any other tracker it stays hidden. The core's change session reads and writes.
import { redmineCores } from './redmine-cores.js';
import { createRedmineHost } from './redmine-host.js';
import { readPageContext, selectors } from './selectors.js';
import { el, replaceChildren } from '../lib/dom.js';
import { localToday } from '../lib/dates.js';
import { changeOutcomeError, recordedNotice, renderChangePrompt, renderUnassessedBanner } from '../features/change-prompt.js';

const root = /** @type {HTMLElement} */ (document.querySelector(selectors.changePanel.css));
const context = readPageContext(document);
const change = Number(root.dataset.issueId);

/** @param {string} state @param {...Node} content */
function show(state, ...content) {
  root.dataset.state = state;
  replaceChildren(root, ...content);
}

/** @param {import('../core/upkeep-core.js').Failure} failure */
const failed = (failure) => show('failed', el('p', { className: 'upkeep-error' }, `Upkeep: ${failure.message}`),
  ...(failure.problems.length ? [el('ul', {}, ...failure.problems.map((p) => el('li', {}, p.pointer ? `${p.pointer}: ${p.message}` : p.message)))] : []));

// What a recording said, kept across the reload that shows the ticket as it now is (its ISMS impact
// field, related issues and history are Redmine's to draw).
const said = `upkeep-recorded-${change}`;

/** @param {import('../core/host.js').Host} host */
async function refresh(host) {
  const result = await host.changePrompt({ change, today: localToday() });
  if ('error' in result) return show('failed', el('p', { className: 'upkeep-error' }, `Upkeep: ${result.error}`));
  if (result.kind === 'not_a_change') return show('none');
  if (result.failure || !result.view) return failed(result.failure ?? { kind: '', message: 'no view', problems: [] });
  render(host, result.view, takeWhatWasSaid());
}

/** What the recording before the reload said, once. @returns {{ open: boolean, notice?: string, warning: boolean }} */
function takeWhatWasSaid() {
  const kept = sessionStorage.getItem(said);
  sessionStorage.removeItem(said);
  try {
    const { notice, warning } = JSON.parse(kept ?? 'null') ?? {};
    return typeof notice === 'string' ? { open: true, notice, warning: warning === true } : { open: false, warning: false };
  } catch {
    return { open: false, warning: false };
  }
}

/** Reloads the page to show what was recorded, and says it once there. @param {string} notice @param {boolean} [warning] */
function reloadSaying(notice, warning = false) {
  sessionStorage.setItem(said, JSON.stringify({ notice, warning }));
  location.reload();
}

/**
 * Shows a view of the change, with what the last recording said.
 * @param {import('../core/host.js').Host} host @param {import('../core/upkeep-core.js').ChangeView} view
 * @param {{ open?: boolean, notice?: string, warning?: boolean }} [options]
 */
function render(host, view, { open = false, notice, warning = false } = {}) {
  // Answers are recorded over the revision this view shows, or not at all (the core's change session).
  const run = (/** @type {Record<string, string> | undefined} */ answers,
    /** @type {import('../features/change-supplier.js').SupplierChoice | undefined} */ supplier = undefined) =>
    host.changePrompt({ change, today: localToday(), answers, apply: true, basedOn: answers ? view.record?.revision ?? 0 : undefined, supplier });
  const after = async (/** @type {Awaited<ReturnType<typeof run>>} */ outcome) => {
    const error = changeOutcomeError(outcome);
    if (error || 'error' in outcome || !outcome.view) return error;
    if (outcome.conflict) reloadSaying(outcome.conflict, true);
    else if (outcome.unchanged) {
      render(host, outcome.view, { open: true, notice: `Nothing new to record: these are the answers of revision ${outcome.view.record?.revision}.` });
    } else reloadSaying(recordedNotice(outcome.view, host));
    return null;
  };
  document.querySelector('.upkeep-change-banner')?.remove();
  const prompt = renderChangePrompt({ view, host, open,
    submit: async (answers) => after(await run(answers)),
    update: async () => after(await run(undefined)),
    linkSupplier: async (choice) => {
      const outcome = await run(undefined, choice);
      if ('error' in outcome) return outcome.error;
      if (outcome.failure) return outcome.failure.message;
      const linked = outcome.view?.assessment?.follow_ups.find((f) => f.id === choice.rule)?.suppliers ?? [];
      reloadSaying(`The supplier is in the register and linked to this change: ${linked.map((s) => `#${s.id} ${s.name}`).join(', ')}.`);
      return null;
    } });
  show(view.record ? 'assessed' : 'unassessed', prompt, notice ? el('p', { className: warning ? 'upkeep-warning upkeep-conflict' : 'upkeep-notice' }, notice) : el('span'));
  if (!view.record) {
    const details = /** @type {HTMLDetailsElement | null} */ (root.querySelector('details'));
    document.querySelector(selectors.issueBox.css)?.before(renderUnassessedBanner(root.id, () => { if (details) details.open = true; }));
  }
}

async function main() {
  const cores = redmineCores();
  const loaded = await cores.tickets();
  if (!loaded.ok) return show('failed', el('p', { className: 'upkeep-error' }, loaded.reason));
  await refresh(createRedmineHost({ cores, context }));
}

main().catch((error) => show('failed', el('p', { className: 'upkeep-error' }, `Upkeep failed: ${error instanceof Error ? error.message : error}`)));
