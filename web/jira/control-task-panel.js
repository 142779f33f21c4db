// @ts-check
// Entry point of the issue panel on control tasks in Jira Cloud (a Custom UI page of Upkeep's Forge app,
// bundled with Forge's bridge by plugin-manifest/jira-cloud/build-page.mjs): the app's backend reads the
// task (its activity in the ISMS configuration, through Upkeep's issue property) as the user and the panel
// shows the evidence expected; completing attaches the files as the user, then the backend records the
// work date and closes the task through its workflow (all decided in the core). The root's data-state:
// loading, failed, none (not one of Upkeep's control tasks), ready.
import { invoke, requestJira, view } from '@forge/bridge';
import { createJiraHost } from './jira-host.js';
import { el, replaceChildren } from '../lib/dom.js';
import { localToday } from '../lib/dates.js';
import { completionError, completionRequest, renderCompleteWithEvidence } from '../features/complete-with-evidence.js';

const root = /** @type {HTMLElement} */ (document.getElementById('upkeep-evidence'));

/** @param {string} state @param {...Node} content */
function show(state, ...content) {
  root.dataset.state = state;
  replaceChildren(root, ...content);
}
const failed = (/** @type {string} */ text) => show('failed', el('p', { className: 'upkeep-error', attrs: { role: 'alert' } }, text));

async function main() {
  const context = /** @type {import('./jira-host.js').PanelContext} */ (/** @type {unknown} */ (await view.getContext()));
  const key = context.extension.issue?.key ?? '';
  const issue = Number(key.slice(key.lastIndexOf('-') + 1));
  // Writing is the workflow's and Jira's permissions' to allow, checked as the user when it happens.
  const host = createJiraHost({ invoke, requestJira, context, may: { sync: false, configure: false } });
  show('loading', el('p', { className: 'upkeep-loading', attrs: { role: 'status' } }, 'Reading the task…'));
  const read = await host.completeTask({ issue, today: localToday() });
  if ('error' in read) return failed(`Upkeep: ${read.error}`);
  if (read.failure || !read.view) return failed(`Upkeep: ${read.failure?.message ?? 'the task could not be read'}`);
  const found = read.view;
  if (!found.task) return show('none', el('p', {}, found.why));
  /** @param {import('../features/complete-with-evidence.js').CompletionForm} form */
  const complete = async (form) => {
    const outcome = await host.completeTask({ issue, today: localToday(), ...completionRequest(form) });
    const error = completionError(outcome);
    if (error) return error;
    await main();
    return null;
  };
  // What people write in the issue itself (a management review's decisions), as the host says, in words.
  const hint = found.hint ? [el('p', { className: 'upkeep-hint' }, found.hint)] : [];
  show('ready', ...hint, renderCompleteWithEvidence({ task: found.task, closed: found.closed, status: found.status, doneOn: found.done_on,
    daysLate: found.days_late, validUntil: found.valid_until, today: localToday(), complete, day: host.day })); // the work date is written: never the view's date
}

main().catch((error) => failed(`Upkeep failed: ${error instanceof Error ? error.message : error}`));
