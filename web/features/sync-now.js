// @ts-check
// Feature: "Preview sync" and "Sync now" on the ISMS tab: the same plan as `upkeep sync`, computed by
// the wasm core and applied with the logged-in user's rights (their account must be one of the
// configuration's sync accounts for the tickets to count as Upkeep's).
import { el } from '../lib/dom.js';
import { renderProblems } from './config-problems.js';
import { runSync } from '../redmine/redmine-sync.js';

/**
 * @param {{ core: import('../core/upkeep-core.js').UpkeepCore,
 *   client: ReturnType<typeof import('../redmine/redmine-api.js').createRedmineClient>,
 *   project: string, today: string, configText: string }} input
 * @returns {HTMLElement}
 */
export function renderSyncNow({ core, client, project, today, configText }) {
  const output = el('div', { className: 'upkeep-sync-output' });
  const say = (/** @type {string} */ state, /** @type {(Node | string)[]} */ ...content) => {
    output.dataset.state = state;
    output.replaceChildren(...content);
  };
  const buttons = /** @type {HTMLButtonElement[]} */ ([]);

  const run = async (/** @type {boolean} */ apply) => {
    buttons.forEach((b) => { b.disabled = true; });
    say('running', el('p', {}, apply ? 'Syncing…' : 'Reading the tickets…'));
    const result = await runSync({ core, client, project, today, configText, apply,
      onProgress: (done, total, action) => say('running', el('p', {}, `${done + 1} of ${total}: ${action.kind} ${action.key}`)) })
      .catch((error) => ({ written: 0, requests: 0, error: error instanceof Error ? error.message : String(error) }));
    buttons.forEach((b) => { b.disabled = false; });
    if ('problems' in result && result.problems) {
      return say('failed', renderProblems('Nothing was written: the project is not ready for Upkeep.', result.problems));
    }
    const plan = 'plan' in result ? result.plan : undefined;
    const counts = plan ? `${plan.counts.create} to create, ${plan.counts.update} to update, ${plan.counts.comment} to comment on, ` +
      `${plan.counts.close} to close, ${plan.unchanged} unchanged` : '';
    if (result.error) return say('failed', el('p', { className: 'upkeep-error' }, result.error), plan ? el('p', {}, `Plan: ${counts}.`) : '');
    if (!plan) return say('failed', el('p', { className: 'upkeep-error' }, 'No plan.'));
    const list = el('ul', { className: 'upkeep-plan' }, ...plan.actions.map((a) =>
      el('li', { dataset: { key: a.key, kind: a.kind } }, `${a.kind} ${a.key}`, el('small', {}, ` (${a.reason})`))));
    const notices = plan.notices.map((n) => el('p', { className: 'upkeep-warning' }, `Skipped: ${n}`));
    if (!apply) return say('previewed', el('p', {}, `Plan: ${counts}; ${result.requests} HTTP requests to read.`), ...notices, list);
    say('synced', el('p', { className: 'upkeep-notice' },
      `Synced: ${result.written} writes (${counts}); ${result.requests} HTTP requests.`), ...notices, list);
  };

  buttons.push(/** @type {HTMLButtonElement} */ (el('button', { attrs: { type: 'button' }, className: 'upkeep-preview', onClick: () => run(false) }, 'Preview sync')));
  buttons.push(/** @type {HTMLButtonElement} */ (el('button', { attrs: { type: 'button' }, className: 'upkeep-sync', onClick: () => run(true) }, 'Sync now')));
  return el('div', { className: 'upkeep-sync' }, el('h3', {}, 'Tickets'), ...buttons, output);
}
