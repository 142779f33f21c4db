// @ts-check
// Feature: the files an auditor asks for, made by the core from the same tickets as the panel: the
// evidence register of an audit period (CSV and JSON, each row linking to the ticket that holds the
// evidence) and the maintenance calendar as an iCalendar file, or its feed address to subscribe to (the
// file `upkeep sync` keeps attached to the configuration page; the address carries this member's Atom
// key, as Redmine's own feed links do). The register of the period the tab shows and the calendar are
// downloads ("Also available in"); the section offers the registers of the other periods and the feed.
import { el, foldingSection } from '../lib/dom.js';
import { saveOrSay } from '../lib/save-file.js';

/**
 * @param {{ exportFile: import('../core/upkeep-core.js').ExportFile,
 *   today: string, periods: { audit: string, from: string, to: string }[], shown?: string, ticketUrl: string,
 *   calendarFeed: string }} input
 *   `exportFile` is the core's, over the tickets the panel shows; `shown` the audit of the period the tab shows.
 * @returns {{ downloads: import('./other-formats.js').Download[], panel: HTMLElement }}
 */
export function renderAuditExports({ exportFile, today, periods, shown, ticketUrl, calendarFeed }) {
  const make = (/** @type {import('../core/upkeep-core.js').ExportRequest['kind']} */ kind, /** @type {string} */ audit) =>
    exportFile({ kind, today, audit, ticket_url: ticketUrl });
  /** @type {import('./other-formats.js').Download[]} */
  const downloads = [];
  if (shown) {
    downloads.push({ label: 'Evidence register (CSV)', className: 'csv upkeep-export-register-csv', make: () => make('register_csv', shown) },
      { label: 'Evidence register (JSON)', className: 'json upkeep-export-register-json', make: () => make('register_json', shown) });
  }
  downloads.push({ label: 'Calendar (iCalendar)', className: 'ics upkeep-export-ics', make: () => make('ics', shown ?? '') });

  const others = periods.filter((p) => p.audit !== shown);
  const message = el('span', { className: 'upkeep-form-message', attrs: { 'aria-live': 'polite' } });
  const audit = /** @type {HTMLSelectElement} */ (el('select', { attrs: { name: 'register-audit' } },
    ...others.map((p) => el('option', { attrs: { value: p.audit } }, `${p.audit} (${p.from} to ${p.to})`))));
  const button = (/** @type {string} */ text, /** @type {'register_csv' | 'register_json'} */ kind) =>
    el('button', { attrs: { type: 'button' }, className: `upkeep-export-other-${kind.replace('_', '-')}`,
      onClick: () => saveOrSay(make(kind, audit.value), message) }, text);
  const panel = foldingSection('upkeep-for-the-auditor', 'upkeep-exports', 'For the auditor',
    others.length ? el('p', {}, el('label', {}, 'Evidence register of another audit period: ', audit), ' ',
      button('CSV', 'register_csv'), ' ', button('JSON', 'register_json'), ' ', message) : null,
    el('p', {}, shown ? 'The evidence register of this period and the maintenance calendar (for Outlook, Google Calendar or Thunderbird) are below, under "Also available in".'
      : 'No audit period has started yet. The maintenance calendar (for Outlook, Google Calendar or Thunderbird) is below, under "Also available in".'),
    calendarFeed ? el('p', { className: 'upkeep-calendar-feed' }, el('label', {}, 'Subscribe to the calendar (kept current by each sync; the address is yours, keep it private): ',
      el('input', { attrs: { type: 'text', readonly: '', size: '60', value: calendarFeed } }))) : null);
  return { downloads, panel };
}
