// @ts-check
// Feature: export the stored configuration to a file, and import one (validated by the core first, where
// the host runs it: the page's module in Redmine, the app's backend in Jira; nothing is written unless it
// is valid, and a concurrent edit is refused by the stored version).
import { el } from '../lib/dom.js';
import { renderProblems } from './config-problems.js';

/**
 * @param {{ validate: (configText: string) => Promise<import('../core/upkeep-core.js').ValidationReport | { error: string }>,
 *   host: import('../core/host.js').Host, configText: string | null, version: number | null, onImported: () => void }} input
 *   `version`: the stored configuration's version, sent back so that an edit made meanwhile is refused
 * @returns {{ actions: HTMLElement[], panel: HTMLElement }} export and import (the page's action links), and
 *   where their outcome shows
 */
export function renderConfigTransfer({ validate, host, configText, version, onImported }) {
  const message = el('div', { className: 'upkeep-transfer-message' });
  const say = (/** @type {string} */ kind, /** @type {Node | string} */ content) => {
    message.replaceChildren(typeof content === 'string' ? el('p', { className: kind }, content) : content);
  };

  const exportButton = configText === null ? null : el('button', {
    attrs: { type: 'button' }, className: 'upkeep-export',
    onClick: () => {
      const link = el('a', { attrs: {
        href: URL.createObjectURL(new Blob([configText], { type: 'application/json' })),
        download: `isms-${host.project}.json` } });
      link.click();
      URL.revokeObjectURL(link.getAttribute('href') ?? '');
    },
  }, 'Export configuration');

  const fileInput = /** @type {HTMLInputElement} */ (el('input', { attrs: { type: 'file', accept: '.json,application/json' },
    className: 'upkeep-import-file' }));
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    const text = await file.text();
    const report = await validate(text);
    if ('error' in report) return say('upkeep-error', `${file.name} was not imported. ${report.error}`);
    if (!report.ok) {
      say('upkeep-error', renderProblems(`${file.name} was not imported: it has ${report.errors.length} problem(s). Nothing was changed.`, report.errors, report.warnings));
      return;
    }
    const saved = await host.saveConfiguration({ configText: text, version, comment: `Imported ${file.name} with Upkeep` });
    const failure = 'error' in saved ? saved.error : saved.failure?.message;
    if (failure) return say('upkeep-error', `${file.name} was not imported. ${failure}`);
    say('upkeep-notice', `Imported ${file.name}: ${report.activities} activities.`);
    onImported();
  });

  const importLabel = host.canEditWiki ? el('label', { className: 'upkeep-import' }, 'Import configuration… ', fileInput) : null;
  message.setAttribute('aria-live', 'polite');
  return { actions: /** @type {HTMLElement[]} */ ([exportButton, importLabel].filter(Boolean)), panel: message };
}
