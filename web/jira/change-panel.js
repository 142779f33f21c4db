// @ts-check
// Entry point of the "ISMS impact" issue context in Jira Cloud (a Custom UI page of Upkeep's Forge app,
// bundled with Forge's bridge by plugin-manifest/jira-cloud/build-page.mjs): on an issue whose type the ISMS
// configuration names as a change, "does this change affect the ISMS?" with the assessment recorded and its
// follow-ups; on any other issue a line saying so. The app's backend runs the core's change session as the
// user (the record, the follow-ups), and guards against two people answering at once. The root's
// data-state: loading, failed, none (not a change), unassessed, assessed.
import { invoke, view } from '@forge/bridge';
import { createJiraHost } from './jira-host.js';
import { el, replaceChildren } from '../lib/dom.js';
import { localToday } from '../lib/dates.js';
import { changeOutcomeError, recordedNotice, renderChangePrompt } from '../features/change-prompt.js';

const root = /** @type {HTMLElement} */ (document.getElementById('upkeep-change'));

/** @param {string} state @param {...Node} content */
function show(state, ...content) {
  root.dataset.state = state;
  replaceChildren(root, ...content);
}
const failed = (/** @type {string} */ text) => show('failed', el('p', { className: 'upkeep-error', attrs: { role: 'alert' } }, text));

/**
 * Shows a view of the change, with what the last step said.
 * @param {import('../core/host.js').Host} host @param {number} change
 * @param {import('../core/upkeep-core.js').ChangeView} shown
 * @param {{ open?: boolean, notice?: string, warning?: boolean }} [said]
 */
function render(host, change, shown, { open = false, notice, warning = false } = {}) {
  const run = (/** @type {Record<string, string> | undefined} */ answers) =>
    host.changePrompt({ change, today: localToday(), answers, apply: true, basedOn: answers ? shown.record?.revision ?? 0 : undefined });
  const after = async (/** @type {Awaited<ReturnType<typeof run>>} */ outcome) => {
    const error = changeOutcomeError(outcome);
    if (error || 'error' in outcome || !outcome.view) return error;
    const notice = outcome.conflict ?? (outcome.unchanged
      ? `Nothing new to record: these are the answers of revision ${outcome.view.record?.revision}.` : recordedNotice(outcome.view, host));
    render(host, change, outcome.view, { open: true, notice, warning: !!outcome.conflict });
    return null;
  };
  const prompt = renderChangePrompt({ view: shown, host, open: open || !shown.record,
    submit: async (answers) => after(await run(answers)),
    update: async () => after(await run(undefined)),
    linkSupplier: async (choice) => {
      const outcome = await host.changePrompt({ change, today: localToday(), apply: true, supplier: choice });
      return 'error' in outcome ? outcome.error : null;
    } });
  show(shown.record ? 'assessed' : 'unassessed', prompt,
    notice ? el('p', { className: warning ? 'upkeep-warning upkeep-conflict' : 'upkeep-notice', attrs: { role: 'status' } }, notice) : el('span'));
}

async function main() {
  const context = /** @type {import('./jira-host.js').PanelContext} */ (/** @type {unknown} */ (await view.getContext()));
  const key = context.extension.issue?.key ?? '';
  const change = Number(key.slice(key.lastIndexOf('-') + 1));
  // Writing is Jira's permissions' to allow, checked as the user when it happens.
  const host = createJiraHost({ invoke, context, may: { sync: false, configure: false } });
  show('loading', el('p', { className: 'upkeep-loading', attrs: { role: 'status' } }, 'Reading the change…'));
  const read = await host.changePrompt({ change, today: localToday() });
  if ('error' in read) return failed(`Upkeep: ${read.error}`);
  if (read.kind === 'not_a_change') return show('none', el('p', {}, 'Upkeep asks about the ISMS impact of changes only: the ISMS configuration does not name this issue type as a change.'));
  if (read.failure || !read.view) return failed(`Upkeep: ${read.failure?.message ?? 'the change could not be read'}`);
  render(host, change, read.view);
}

main().catch((error) => failed(`Upkeep failed: ${error instanceof Error ? error.message : error}`));
