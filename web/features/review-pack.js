// @ts-check
// Feature: the management review's input pack (ISO 27001:2022 9.3.2 a to g) from the ISMS tab, made by
// the core from the tickets: saved as a wiki page of the project in Redmine's own markup (a readable
// page in the tracker), attached as an HTML page to the open management review ticket, or downloaded
// (HTML, Markdown: "Also available in").
import { el } from '../lib/dom.js';

/**
 * A download is a view, made as of the view's date (`today`); what is saved or attached in Redmine is made as
 * of the real date (`writeDay`), so a link dated otherwise cannot make anyone write as of another day.
 * @param {{ exportFile: import('../core/upkeep-core.js').ExportFile,
 *   reviewTicket: number | null, today: string, writeDay: string, host: import('../core/host.js').Host }} input
 * @returns {{ downloads: import('./other-formats.js').Download[], panel: HTMLElement }}
 */
export function renderReviewPack({ exportFile, reviewTicket, today, writeDay, host }) {
  const message = el('span', { className: 'upkeep-form-message', attrs: { 'aria-live': 'polite' } });
  const title = `Management_review_input_${writeDay}`;
  const make = (/** @type {'markdown' | 'textile' | 'html'} */ as, /** @type {string} */ day) =>
    exportFile({ kind: 'review_pack', today: day, markup: as, ...(as === 'html' ? { ticket_url: host.ticketUrlPrefix } : {}) });
  /** @type {import('./other-formats.js').Download[]} */
  const downloads = [
    { label: 'Management review pack (HTML)', className: 'html upkeep-export-review-pack-html', make: () => make('html', today) },
    { label: 'Management review pack (Markdown)', className: 'txt upkeep-export-review-pack-markdown', make: () => make('markdown', today) }];

  /**
   * A button that writes to Redmine: disabled while it runs, its outcome in the message.
   * @param {string} className @param {string} label @param {string} failed @param {() => Promise<Node | string>} action
   */
  const writer = (className, label, failed, action) => {
    const button = /** @type {HTMLButtonElement} */ (el('button', { attrs: { type: 'button' }, className, onClick: async () => {
      button.disabled = true;
      try {
        message.replaceChildren(await action());
      } catch (error) {
        message.textContent = `${failed} ${error instanceof Error ? error.message : error}`;
      } finally {
        button.disabled = false;
      }
    } }, label));
    return button;
  };
  const save = writer('upkeep-save-review-pack', `Save as wiki page ${title}`, 'Not saved.', async () => {
    const file = await make(host.markup, writeDay);
    if ('error' in file) return file.error;
    const saved = await host.savePage({ title, text: file.text, comment: 'Management review input pack (Upkeep)' });
    const failure = 'error' in saved ? saved.error : saved.failure?.message;
    if (failure) return `Not saved. ${failure}`;
    return el('span', {}, 'Saved as ', el('a', { attrs: { href: host.pageUrl(title) } }, title), '.');
  });

  // The open management review occurrence, if there is one, gets the pack as an attachment.
  const attach = reviewTicket === null ? el('small', {}, ' (no open management review ticket to attach it to)')
    : writer('upkeep-attach-review-pack', `Attach to ${host.ticketName(reviewTicket)}`, 'Not attached.', async () => {
      const file = await make('html', writeDay);
      if ('error' in file) return file.error;
      const attached = await host.attachToTicket({ issue: reviewTicket, filename: file.filename, contentType: 'text/html', text: file.text,
        note: 'The management review input pack (ISO 27001 9.3.2), made by Upkeep from the tracker.' });
      const failure = 'error' in attached ? attached.error : attached.failure?.message;
      if (failure) return `Not attached. ${failure}`;
      return el('span', {}, `Attached ${file.filename} to `, el('a', { attrs: { href: host.ticketUrl(reviewTicket) } }, host.ticketName(reviewTicket)), '.');
    });

  return { downloads, panel: el('div', { className: 'upkeep-review-pack' },
    el('h3', {}, 'Management review'),
    el('p', {}, 'The input pack of ISO 27001 9.3.2 (actions, changes, performance, audits, risk, improvement), from the tickets: ',
      !host.keepsPages ? '' : host.canEditWiki ? save : el('small', {}, '(saving it as a wiki page needs the right to edit wiki pages)'),
      ' ', attach, ' ', message)) };
}
