// @ts-check
// Entry point on control-task pages: the core's completion session reads the task (its activity in the
// ISMS configuration, through its Upkeep key) and shows the evidence panel; completing uploads the files,
// records the work date and closes the ticket, then reads it back (all decided in the core).
import { redmineCores } from './redmine-cores.js';
import { createRedmineHost } from './redmine-host.js';
import { readPageContext } from './selectors.js';
import { el, replaceChildren } from '../lib/dom.js';
import { localToday } from '../lib/dates.js';
import { completionError, completionRequest, renderCompleteWithEvidence } from '../features/complete-with-evidence.js';

const root = /** @type {HTMLElement} */ (document.querySelector('#upkeep-evidence'));
const context = readPageContext(document);
const issue = Number(root.dataset.issueId);

/** @param {string} state @param {...Node} content */
function show(state, ...content) {
  root.dataset.state = state;
  replaceChildren(root, ...content);
}
const failed = (/** @type {string} */ text) => show('failed', el('p', { className: 'upkeep-error' }, text));

async function main() {
  const cores = redmineCores();
  const loaded = await cores.tickets();
  if (!loaded.ok) return failed(loaded.reason);
  const host = createRedmineHost({ cores, context });
  const read = await host.completeTask({ issue, today: localToday() });
  if ('error' in read) return failed(`Upkeep: ${read.error}`);
  if (read.failure || !read.view) return failed(`Upkeep: ${read.failure?.message ?? 'the task could not be read'}`);
  const view = read.view;
  if (!view.task) return show('none', el('p', {}, view.why));
  /** @param {import('../features/complete-with-evidence.js').CompletionForm} form */
  const complete = async (form) => {
    const outcome = await host.completeTask({ issue, today: localToday(), ...completionRequest(form) });
    const error = completionError(outcome);
    if (error) return error;
    location.reload();
    return null;
  };
  show('ready', renderCompleteWithEvidence({ task: view.task, closed: view.closed, status: view.status, doneOn: view.done_on,
    daysLate: view.days_late, validUntil: view.valid_until, today: localToday(), complete, day: host.day })); // the work date is written: never the view's date
}

main().catch((error) => failed(`Upkeep failed: ${error instanceof Error ? error.message : error}`));
