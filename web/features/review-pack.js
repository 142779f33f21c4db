// @ts-check
// Feature: the management review's input pack (ISO 27001:2022 9.3.2 a to g) from the ISMS tab: made by
// the core from the tickets, downloaded as Markdown to attach to the review ticket, or saved as a wiki
// page of the project (a readable page in the tracker).
import { el } from '../lib/dom.js';
import { saveFile } from './audit-exports.js';

/**
 * @param {{ exportFile: (request: import('../core/upkeep-core.js').ExportRequest) => { text: string, filename: string } | { error: string },
 *   today: string, canEdit: boolean, baseUrl: string, project: string,
 *   saveWikiPage: (title: string, text: string) => Promise<void> }} input
 * @returns {HTMLElement}
 */
export function renderReviewPack({ exportFile, today, canEdit, baseUrl, project, saveWikiPage }) {
  const message = el('span', { className: 'upkeep-form-message' });
  const title = `Management_review_input_${today}`;
  const make = () => exportFile({ kind: 'review_pack', today });
  const download = el('button', { attrs: { type: 'button' }, className: 'upkeep-export-review-pack', onClick: () => {
    const file = make();
    message.textContent = 'error' in file ? file.error : `Downloaded ${saveFile(file, 'review_pack')}.`;
  } }, 'Download (Markdown)');
  const save = /** @type {HTMLButtonElement} */ (el('button', { attrs: { type: 'button' }, className: 'upkeep-save-review-pack', onClick: async () => {
    const file = make();
    if ('error' in file) {
      message.textContent = file.error;
      return;
    }
    save.disabled = true;
    try {
      await saveWikiPage(title, file.text);
      message.replaceChildren('Saved as ', el('a', { attrs: { href: `${baseUrl}/projects/${encodeURIComponent(project)}/wiki/${title}` } }, title), '.');
    } catch (error) {
      message.textContent = `Not saved. ${error instanceof Error ? error.message : error}`;
    } finally {
      save.disabled = false;
    }
  } }, `Save as wiki page ${title}`));
  const saving = canEdit ? save : el('small', {}, ' (saving needs the right to edit wiki pages)');
  return el('div', { className: 'upkeep-review-pack' },
    el('h3', {}, 'Management review'),
    el('p', {}, 'The input pack of ISO 27001 9.3.2 (actions, changes, performance, audits, risk, improvement), from the tickets: ',
      download, ' ', saving, ' ', message));
}
