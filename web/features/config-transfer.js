// @ts-check
// Feature: export the stored configuration to a file, and import one (validated by the core first;
// nothing is written unless it is valid, and a concurrent edit is refused by Redmine's page version).
import { el } from '../lib/dom.js';
import { renderProblems } from './config-problems.js';

/**
 * @param {{ core: import('../core/upkeep-core.js').UpkeepCore,
 *   client: ReturnType<typeof import('../redmine/redmine-api.js').createRedmineClient>,
 *   context: ReturnType<typeof import('../redmine/selectors.js').readPageContext>,
 *   page: { text: string, version: number } | null, configText: string | null, onImported: () => void }} input
 * @returns {HTMLElement}
 */
export function renderConfigTransfer({ core, client, context, page, configText, onImported }) {
  const message = el('div', { className: 'upkeep-transfer-message' });
  const say = (/** @type {string} */ kind, /** @type {Node | string} */ content) => {
    message.replaceChildren(typeof content === 'string' ? el('p', { className: kind }, content) : content);
  };

  const exportButton = configText === null ? null : el('button', {
    attrs: { type: 'button' }, className: 'upkeep-export',
    onClick: () => {
      const link = el('a', { attrs: {
        href: URL.createObjectURL(new Blob([configText], { type: 'application/json' })),
        download: `isms-${context.project}.json` } });
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
    const report = core.validate(text);
    if (!report.ok) {
      say('upkeep-error', renderProblems(`${file.name} was not imported: it has ${report.errors.length} problem(s). Nothing was changed.`, report.errors, report.warnings));
      return;
    }
    const wiki = core.configurationToWiki(text, context.markup);
    if ('error' in wiki) return say('upkeep-error', wiki.error);
    try {
      await client.putWikiPage(context.project, context.configPage, {
        text: wiki.text, comments: `Imported ${file.name} with Upkeep`, ...(page ? { version: page.version } : {}) });
    } catch (error) {
      return say('upkeep-error', `${file.name} was not imported. ${error instanceof Error ? error.message : error}`);
    }
    say('upkeep-notice', `Imported ${file.name}: ${report.activities} activities.`);
    onImported();
  });

  return el('div', { className: 'upkeep-actions' },
    exportButton,
    context.canEdit ? el('label', {}, ' Import a configuration file: ', fileInput) : null,
    message);
}
