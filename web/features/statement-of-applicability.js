// @ts-check
// Feature: the Statement of Applicability on the ISMS tab, when the configuration has one (its /soa
// section): its version and approval, how many controls apply and how far they are implemented, and its
// drift, each line with the ticket to open (an applicable control whose activities fall behind, a plan past
// its date, an exclusion not reviewed since a change revisited the scope); the core decides and words
// them. The SoA for the auditor (CSV, and an HTML page with each control's last evidence) goes under
// "Also available in".
import { el, foldingSection, scrollBox } from '../lib/dom.js';

/**
 * @typedef {{ kind: 'activity_behind' | 'planned_past_date' | 'exclusion_unreviewed', control: string, title: string,
 *   what: string, activity: string | null, overdue: number, missed: number, ticket: number | null, date: string | null }} SoaDrift
 * @typedef {{ version: string, approved_by: string, approved_on: string | null, controls: number, applicable: number,
 *   implemented: number, partly: number, planned: number, not_implemented: number, excluded: number, drift: SoaDrift[] }} SoaSummary
 */

/** What each kind of drift is, in words, so that the table does not rest on its order or a colour. */
const kinds = { activity_behind: 'Activity behind', planned_past_date: 'Plan past its date', exclusion_unreviewed: 'Exclusion to review' };

/**
 * @param {{ soa: SoaSummary | undefined, exportFile: import('../core/upkeep-core.js').ExportFile,
 *   today: string, shown?: string, host: import('../core/host.js').Host }} input
 *   `shown` is the audit of the period the tab shows: the exports' evidence comes from it.
 * @returns {{ downloads: import('./other-formats.js').Download[], panel: HTMLElement | null }}
 */
export function renderStatementOfApplicability({ soa, exportFile, today, shown, host }) {
  if (!soa) return { downloads: [], panel: null };
  const make = (/** @type {'soa_csv' | 'soa_html'} */ kind) =>
    exportFile({ kind, today, ...(shown ? { audit: shown } : {}), ticket_url: host.ticketUrlPrefix });
  /** @type {import('./other-formats.js').Download[]} */
  const downloads = [
    { label: 'Statement of Applicability (CSV)', className: 'csv upkeep-export-soa-csv', make: () => make('soa_csv') },
    { label: 'Statement of Applicability (HTML)', className: 'html upkeep-export-soa-html', make: () => make('soa_html') }];
  const approval = soa.approved_by || soa.approved_on
    ? `approved${soa.approved_by ? ` by ${host.personName(soa.approved_by)}` : ''}${soa.approved_on ? ` on ${host.day(soa.approved_on)}` : ''}`
    : 'not approved yet';
  const summary = el('p', { className: 'upkeep-soa-summary' },
    `Version ${soa.version}, ${approval}. ${soa.applicable} of ${soa.controls} Annex A controls apply: ${soa.implemented} implemented, `
      + `${soa.partly} partly, ${soa.planned} planned, ${soa.not_implemented} not implemented; ${soa.excluded} excluded.`);
  const rows = soa.drift.map((d) => el('tr', { dataset: { kind: d.kind, control: d.control } },
    el('td', {}, d.control),
    el('td', {}, kinds[d.kind] ?? d.kind),
    el('td', {}, d.what),
    el('td', {}, d.ticket ? el('a', { attrs: { href: host.ticketUrl(d.ticket) } }, host.ticketName(d.ticket)) : '-')));
  const drift = soa.drift.length
    ? scrollBox('Statement of Applicability drift', el('table', { className: 'list upkeep-soa-drift' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Control'), el('th', {}, 'Drift'), el('th', {}, 'What'), el('th', {}, 'Ticket'))),
      el('tbody', {}, ...rows)))
    : el('p', { className: 'upkeep-soa-no-drift' }, '✓ No drift: the activities of every applicable control are on schedule, no plan is past its date, and every exclusion was reviewed after the last change to the scope.');
  const panel = foldingSection('upkeep-soa', 'upkeep-soa',
    `Statement of Applicability (${soa.drift.length ? `${soa.drift.length} drifting` : 'no drift'})`,
    summary, drift,
    el('p', {}, 'The SoA is the configuration\'s "soa" section: change it through Export and Import; its versions are the configuration page\'s history. The SoA for the auditor, with each control\'s last evidence, is below under "Also available in".'));
  panel.dataset.drift = String(soa.drift.length);
  return { downloads, panel };
}
