// @ts-check
// Feature: the tab's downloads where Redmine puts its own, in "Also available in:" under the content
// (the evidence register of the period shown, the calendar, the Statement of Applicability, the
// management review pack). Each file is
// made by the core when its link is followed.
import { el } from '../lib/dom.js';
import { saveOrSay } from '../lib/save-file.js';

/**
 * @typedef {{ label: string, className: string, make: () => ReturnType<import('../core/upkeep-core.js').ExportFile> }} Download
 * @param {Download[]} downloads
 * @returns {HTMLElement}
 */
export function renderOtherFormats(downloads) {
  const message = el('span', { className: 'upkeep-form-message', attrs: { 'aria-live': 'polite' } });
  const links = downloads.map(({ label, className, make }) =>
    el('span', {}, el('a', { className, attrs: { href: '#', rel: 'nofollow' }, onClick: (/** @type {Event} */ event) => {
      event.preventDefault();
      saveOrSay(make(), message);
    } }, label)));
  return el('p', { className: 'other-formats upkeep-other-formats' }, 'Also available in:', ...links, ' ', message);
}
