// @ts-check
// Feature: the files an auditor asks for, downloaded from the ISMS tab: the evidence register of an
// audit period (CSV and JSON, each row linking to the ticket that holds the evidence) and the
// maintenance calendar as an iCalendar file, or its feed address to subscribe to (the file `upkeep sync`
// keeps attached to the configuration page; the address carries this member's Atom key, as Redmine's
// own feed links do). Made by the core from the same tickets as the panel.
import { el } from '../lib/dom.js';

/**
 * @param {{ exportFile: (request: import('../core/upkeep-core.js').ExportRequest) => { text: string, filename: string } | { error: string },
 *   today: string, periods: { audit: string, from: string, to: string }[], defaultAudit?: string, ticketUrl: string,
 *   calendarFeed: string }} input
 *   `exportFile` is the core's, over the tickets the panel shows.
 * @returns {HTMLElement}
 */
export function renderAuditExports({ exportFile, today, periods, defaultAudit, ticketUrl, calendarFeed }) {
  const message = el('span', { className: 'upkeep-form-message' });
  const audit = /** @type {HTMLSelectElement} */ (el('select', { attrs: { name: 'register-audit' } },
    ...periods.map((p) => {
      const option = /** @type {HTMLOptionElement} */ (el('option', { attrs: { value: p.audit } }, `${p.audit} (${p.from} to ${p.to})`));
      option.selected = p.audit === defaultAudit;
      return option;
    })));
  const download = (/** @type {import('../core/upkeep-core.js').ExportRequest['kind']} */ kind) => {
    const file = exportFile({ kind, today, audit: audit.value, ticket_url: ticketUrl });
    message.textContent = 'error' in file ? file.error : `Downloaded ${saveFile(file)}.`;
  };
  const button = (/** @type {string} */ text, /** @type {import('../core/upkeep-core.js').ExportRequest['kind']} */ kind) =>
    el('button', { attrs: { type: 'button' }, className: `upkeep-export-${kind.replace('_', '-')}`, onClick: () => download(kind) }, text);
  return el('div', { className: 'upkeep-exports' },
    el('h3', {}, 'For the auditor'),
    periods.length ? el('p', {}, el('label', {}, 'Evidence register of ', audit), ' ',
      button('CSV', 'register_csv'), ' ', button('JSON', 'register_json')) : el('p', {}, 'No audit period has started yet.'),
    el('p', {}, 'Maintenance calendar for Outlook, Google Calendar or Thunderbird: ', button('iCalendar (.ics)', 'ics')),
    calendarFeed ? el('p', { className: 'upkeep-calendar-feed' }, el('label', {}, 'or subscribe to it (kept current by each sync; the address is yours, keep it private): ',
      el('input', { attrs: { type: 'text', readonly: '', size: '60', value: calendarFeed } }))) : null,
    message);
}

/**
 * Hands a file made by the core to the browser as a download; returns its name.
 * @param {{ text: string, filename: string }} file
 */
export function saveFile(file) {
  const types = { ics: 'text/calendar', csv: 'text/csv', json: 'application/json', md: 'text/markdown', html: 'text/html' };
  const type = types[/** @type {keyof typeof types} */ (file.filename.split('.').pop())] ?? 'text/plain';
  const url = URL.createObjectURL(new Blob([file.text], { type: `${type};charset=utf-8` }));
  const anchor = el('a', { attrs: { href: url, download: file.filename } });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return file.filename;
}
