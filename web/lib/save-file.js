// @ts-check
// Hands a file made in the page (by the core) to the browser as a download.
import { el } from './dom.js';

/**
 * @param {{ text: string, filename: string }} file
 * @returns {string} its name
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

/**
 * Saves a file the core made, or says why it could not make it, in `message` (a file still being made
 * says so first).
 * @param {import('../core/upkeep-core.js').ExportResult | Promise<import('../core/upkeep-core.js').ExportResult>} making
 * @param {HTMLElement} message
 */
export async function saveOrSay(making, message) {
  if (making instanceof Promise) message.textContent = 'Making the file…';
  const file = await making;
  message.textContent = 'error' in file ? file.error : `Downloaded ${saveFile(file)}.`;
}
