// @ts-check
// Feature: "Preview sync" and "Sync now" on the ISMS tab: the same plan as `upkeep sync`, computed by
// the core's sync session and written with the logged-in user's rights (their account must be one of
// the configuration's sync accounts for the tickets to count as Upkeep's).
import { el } from '../lib/dom.js';
import { renderProblems } from './config-problems.js';

/**
 * @param {{ host: import('../core/host.js').Host, today: string, configText: string }} input
 * @returns {{ actions: HTMLElement[], panel: HTMLElement }} the buttons (the page's action links) and where
 *   the plan and the outcome show
 */
export function renderSyncNow({ host, today, configText }) {
  const output = el('div', { className: 'upkeep-sync-output' });
  const say = (/** @type {string} */ state, /** @type {(Node | string)[]} */ ...content) => {
    output.dataset.state = state;
    output.replaceChildren(...content);
  };
  const buttons = /** @type {HTMLButtonElement[]} */ ([]);

  const run = async (/** @type {boolean} */ apply) => {
    buttons.forEach((b) => { b.disabled = true; });
    say('running', el('p', {}, apply ? 'Syncing…' : 'Reading the tickets…'));
    const outcome = await host.sync({ today, configText, apply,
      onProgress: (label, at) => { if (at.total) say('running', el('p', {}, `${(at.done ?? 0) + 1} of ${at.total}: ${label}`)); } })
      .catch((error) => ({ error: error instanceof Error ? error.message : String(error) }));
    buttons.forEach((b) => { b.disabled = false; });
    if ('error' in outcome) return say('failed', el('p', { className: 'upkeep-error' }, outcome.error));
    const { plan, failure, written, lease } = outcome;
    if (!plan) {
      return failure?.problems.length
        ? say('failed', renderProblems(`Nothing was written: ${failure.message}.`, failure.problems.filter((p) => !p.warning)))
        : say('failed', el('p', { className: 'upkeep-error' }, failure?.message ?? 'No plan.'));
    }
    const counts = `${plan.counts.create} to create, ${plan.counts.update} to update, ${plan.counts.comment} to comment on, ` +
      `${plan.counts.close} to close, ${plan.unchanged} unchanged`;
    const list = el('ul', { className: 'upkeep-plan' }, ...plan.actions.map((a) =>
      el('li', { dataset: { key: a.key, kind: a.kind } }, `${a.kind} ${a.key}`, el('small', {}, ` (${a.reason})`))));
    const notices = plan.notices.map((n) => el('p', { className: 'upkeep-warning' }, `Skipped: ${n}`));
    if (lease && lease !== 'released') notices.push(el('p', { className: 'upkeep-warning' }, `The sync lease was ${lease}.`));
    if (failure) {
      const stopped = outcome.writing ? `Stopped after ${written} of ${plan.actions.length} writes: ${failure.message} ` +
        'Every write is a whole ticket change: press Sync now again to finish, without duplicates.' : failure.message;
      return say('failed', el('p', { className: 'upkeep-error' }, stopped), el('p', {}, `Plan: ${counts}.`));
    }
    if (!apply) return say('previewed', el('p', {}, `Plan: ${counts}.`), ...notices, list);
    say('synced', el('p', { className: 'upkeep-notice' }, `Synced: ${written} writes (${counts}).`), ...notices, list);
  };

  buttons.push(/** @type {HTMLButtonElement} */ (el('button', { attrs: { type: 'button' }, className: 'upkeep-preview', onClick: () => run(false) }, 'Preview sync')));
  buttons.push(/** @type {HTMLButtonElement} */ (el('button', { attrs: { type: 'button' }, className: 'upkeep-sync', onClick: () => run(true) }, 'Sync now')));
  return { actions: buttons, panel: el('div', { className: 'upkeep-sync', attrs: { 'aria-live': 'polite' } }, output) };
}
