// @ts-check
// Feature: the supplier a change brings in. Under a supplier follow-up of the change prompt ("Assess the
// supplier"): the supplier's ticket once linked, else a choice of the register's suppliers or a new
// supplier's name, which enters the register; either is linked to the change.
import { el } from '../lib/dom.js';

/**
 * @typedef {{ rule: string, ticket?: number, name?: string }} SupplierChoice
 * @param {{ followUp: string, linked: { id: number, name: string }[], register: { id: number, name: string }[],
 *   host: import('../core/host.js').Host, link: (choice: SupplierChoice) => Promise<string | null> }} input
 *   `link` resolves to an error message, or null when done.
 * @returns {HTMLElement}
 */
export function renderChangeSupplier({ followUp, linked, register, host, link }) {
  if (linked.length) {
    return el('p', { className: 'upkeep-change-supplier', dataset: { state: 'linked' } }, 'Supplier in the register: ',
      ...linked.flatMap((s, i) => [i ? ', ' : '', el('a', { attrs: { href: host.ticketUrl(s.id) } }, host.ticketName(s.id)), ` ${s.name}`]));
  }
  const select = /** @type {HTMLSelectElement} */ (el('select', { attrs: { name: 'supplier-ticket', 'aria-label': 'A supplier of the register' } },
    el('option', { attrs: { value: '' } }, 'A new supplier:'),
    ...register.map((s) => el('option', { attrs: { value: String(s.id) } }, `${host.ticketName(s.id)} ${s.name}`))));
  const name = /** @type {HTMLInputElement} */ (el('input', { attrs: { type: 'text', name: 'supplier-name', maxlength: '255',
    placeholder: "The new supplier's name", 'aria-label': "The new supplier's name" } }));
  const message = el('span', { className: 'upkeep-form-message' });
  const button = /** @type {HTMLButtonElement} */ (el('button', { attrs: { type: 'button' }, className: 'upkeep-link-supplier',
    onClick: async () => {
      const ticket = Number(select.value);
      const given = name.value.trim();
      if (!ticket && !given) {
        message.className = 'upkeep-form-message upkeep-error';
        message.textContent = "Choose a supplier of the register, or give the new supplier's name.";
        return;
      }
      button.disabled = true;
      message.className = 'upkeep-form-message';
      message.textContent = ticket ? 'Linking…' : 'Adding to the register…';
      try {
        const error = await link(ticket ? { rule: followUp, ticket } : { rule: followUp, name: given });
        if (error) {
          message.className = 'upkeep-form-message upkeep-error';
          message.textContent = error;
        }
      } catch (error) {
        message.className = 'upkeep-form-message upkeep-error';
        message.textContent = `Not done. ${error instanceof Error ? error.message : error}`;
      } finally {
        button.disabled = false;
      }
    } }, 'Link the supplier'));
  select.addEventListener('change', () => { name.hidden = select.value !== ''; });
  return el('p', { className: 'upkeep-change-supplier', dataset: { state: 'open' } },
    'Which supplier does this change bring in? ', select, ' ', name, ' ', button, message);
}
