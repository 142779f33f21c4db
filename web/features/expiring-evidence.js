// @ts-check
// Feature: evidence that expires, on the ISMS tab: for each activity whose last completion recorded a day
// its evidence is valid until (a certificate, a report, an approval), that day and whether it has passed,
// each with the ticket that holds the evidence. Expired evidence also counts against readiness (its
// renewal is overdue); the core decides and words both.
import { el, foldingSection, scrollBox } from '../lib/dom.js';

/**
 * @typedef {{ activity: string, title: string, owner: string, ticket_id: number | null, valid_until: string,
 *   days_left: number, expired: boolean, text: string }} ExpiringEvidence
 */

/**
 * @param {{ evidence: ExpiringEvidence[], host: import('../core/host.js').Host }} input
 * @returns {HTMLElement | null} nothing when no completion recorded such a day
 */
export function renderExpiringEvidence({ evidence, host }) {
  if (!evidence.length) return null;
  const expired = evidence.filter((e) => e.expired).length;
  const rows = evidence.map((e) => el('tr', { dataset: { activity: e.activity, expired: String(e.expired) } },
    el('td', {}, e.title),
    // The state in words and a mark, so that it does not rest on colour.
    el('td', { className: e.expired ? 'upkeep-evidence-expired' : 'upkeep-evidence-valid' }, `${e.expired ? '✕' : '✓'} ${e.text}`),
    el('td', {}, e.owner),
    el('td', {}, e.ticket_id ? el('a', { attrs: { href: host.ticketUrl(e.ticket_id) } }, host.ticketName(e.ticket_id)) : '-')));
  const section = foldingSection('upkeep-expiring-evidence', 'upkeep-expiring-evidence',
    `Evidence that expires (${evidence.length}${expired ? `, ${expired} expired` : ''})`,
    scrollBox('Evidence that expires', el('table', { className: 'list upkeep-expiring-table' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Activity'), el('th', {}, 'Evidence'), el('th', {}, 'Owner'), el('th', {}, 'Held on'))),
      el('tbody', {}, ...rows))));
  section.dataset.expired = String(expired);
  return section;
}
