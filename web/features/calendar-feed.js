// @ts-check
// Feature: the calendar feed's address where the tracker makes one per person when asked (Jira's app: a
// secret address, served by its web trigger): "Subscribe to the calendar" shows the person's address to
// paste into Outlook, Google Calendar or Thunderbird; "New address" makes another, and the old one stops
// working (for an address that was shared by mistake). Redmine's address is on the page already
// (audit-exports.js).
import { el } from '../lib/dom.js';

/**
 * @param {{ address: (renew: boolean) => Promise<{ address: string } | { error: string }> }} input
 * @returns {HTMLElement}
 */
export function renderCalendarFeed({ address }) {
  const shown = el('span', { className: 'upkeep-calendar-feed-address', attrs: { 'aria-live': 'polite' } });
  const ask = async (/** @type {boolean} */ renew) => {
    shown.textContent = renew ? 'Making a new address…' : 'Asking for your address…';
    const answer = await address(renew);
    if ('error' in answer) {
      shown.replaceChildren(el('span', { className: 'upkeep-error' }, answer.error));
      return;
    }
    shown.replaceChildren(
      el('input', { attrs: { type: 'text', readonly: '', size: '60', value: answer.address, 'aria-label': 'Your calendar feed address' } }), ' ',
      el('button', { attrs: { type: 'button' }, className: 'upkeep-calendar-feed-renew', onClick: () => ask(true) }, 'New address'),
      el('small', {}, ' The address is yours: keep it private. A new one stops this one.'));
  };
  return el('p', { className: 'upkeep-calendar-feed' },
    el('button', { attrs: { type: 'button' }, className: 'upkeep-calendar-feed-show', onClick: () => ask(false) }, 'Subscribe to the calendar'), ' ',
    shown);
}
