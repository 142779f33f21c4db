// @ts-check
// Feature: on a control task, the evidence the auditor expects and a "Complete with evidence" form:
// files and links, a note, the date the work was actually done (auditors care which audit period it
// falls in, not the upload day), the last day the evidence is valid when it expires (a certificate, a
// report: Upkeep makes a renewal task before that day), then close. Closing without evidence is possible,
// and marked so. A renewal task says which evidence it renews.
import { el } from '../lib/dom.js';
import { countOf } from '../lib/words.js';

/**
 * @typedef {{ files: File[], links: string[], note: string, doneOn: string, withoutEvidence: boolean,
 *   people?: { inScope: number, completed: number }, validUntil?: string }} CompletionForm
 */

/**
 * What the form asks the host's completeTask for (web/core/host.js): the files, whether without evidence,
 * and the completion the core records.
 * @param {CompletionForm} form
 */
export function completionRequest(form) {
  return { files: form.files, withoutEvidence: form.withoutEvidence,
    complete: { done_on: form.doneOn, links: form.links, note: form.note,
      ...(form.people ? { people_in_scope: form.people.inScope, people_completed: form.people.completed } : {}),
      ...(form.validUntil ? { valid_until: form.validUntil } : {}) } };
}

/**
 * What the host's completeTask answered, as the form says it: why the task was not completed (a refusal of
 * the tracker's workflow in its own words), or null when it was.
 * @param {import('../core/upkeep-core.js').CompletionResult | { error: string }} outcome
 * @returns {string | null}
 */
export function completionError(outcome) {
  if ('error' in outcome) return `Not completed. ${outcome.error}`;
  if (outcome.failure) return outcome.failure.kind === 'refused' ? outcome.failure.message : `Not completed. ${outcome.failure.message}`;
  return null;
}

/**
 * @param {{ task: { title: string, due: string, evidence: string, references: string[], training?: boolean, renewal?: boolean },
 *   closed: boolean, status: string, doneOn: string | null, daysLate: number | null, validUntil?: string | null, today: string,
 *   complete: (form: CompletionForm) => Promise<string | null>,
 *   day?: (iso: string) => string
 * }} input  `complete` resolves to an error message, or null when the ticket was closed; `day` writes an ISO
 *   date as the reader's tracker writes dates (the host's).
 * @returns {HTMLElement}
 */
export function renderCompleteWithEvidence({ task, closed, status, doneOn: recorded, daysLate, validUntil: recordedValidUntil = null, today, complete,
  day = (iso) => iso }) {
  const expected = el('div', { className: 'upkeep-evidence-expected' },
    task.renewal ? el('p', { className: 'upkeep-renewal' },
      `This task renews evidence that is valid until ${day(task.due)}: complete it with the new evidence and the day it is valid until.`) : null,
    el('strong', {}, 'Evidence the auditor expects: '), task.evidence,
    el('br'), el('small', {}, `ISO/IEC 27001:2022 ${task.references.join(', ')} · due ${day(task.due)}`));
  if (closed) {
    // Whether it counts as on time: the work date against the due date, as the figures judge it.
    const timeliness = recorded === null || daysLate === null ? 'no work date is recorded, so the day it was closed counts'
      : daysLate === 0 ? `work done on ${day(recorded)}: on time` : `work done on ${day(recorded)}: late by ${countOf(daysLate, 'day')}`;
    return el('div', { className: 'upkeep-complete', dataset: { state: 'closed', daysLate: daysLate === null ? '' : String(daysLate) } }, expected,
      el('p', {}, `${status === 'Closed' ? 'Closed' : `Closed (${status})`}; ${timeliness}.`),
      recordedValidUntil ? el('p', { className: 'upkeep-valid-until' }, `The evidence is valid until ${day(recordedValidUntil)}.`) : null);
  }

  const files = /** @type {HTMLInputElement} */ (el('input', { attrs: { type: 'file', multiple: '', name: 'evidence-files' } }));
  const links = /** @type {HTMLTextAreaElement} */ (el('textarea', { attrs: { rows: '2', name: 'evidence-links',
    placeholder: 'Links to evidence, one per line (reports, exports, recordings)' } }));
  const note = /** @type {HTMLTextAreaElement} */ (el('textarea', { attrs: { rows: '2', name: 'evidence-note', placeholder: 'What was done' } }));
  const doneOn = /** @type {HTMLInputElement} */ (el('input', { attrs: { type: 'date', name: 'done-on', value: today, max: today } }));
  const validUntil = /** @type {HTMLInputElement} */ (el('input', { attrs: { type: 'date', name: 'valid-until' } }));
  const without = /** @type {HTMLInputElement} */ (el('input', { attrs: { type: 'checkbox', name: 'without-evidence' } }));
  const inScope = /** @type {HTMLInputElement} */ (el('input', { attrs: { type: 'number', min: '0', name: 'people-in-scope' } }));
  const completed = /** @type {HTMLInputElement} */ (el('input', { attrs: { type: 'number', min: '0', name: 'people-completed' } }));
  const message = el('p', { className: 'upkeep-form-message' });
  const button = /** @type {HTMLButtonElement} */ (el('button', { attrs: { type: 'submit' } }, 'Complete with evidence'));

  const form = /** @type {HTMLFormElement} */ (el('form', { className: 'upkeep-complete', dataset: { state: 'open' } },
    expected,
    el('p', {}, el('label', {}, 'Files: ', files)),
    el('p', {}, el('label', {}, 'Links: ', links)),
    el('p', {}, el('label', {}, 'Note: ', note)),
    el('p', {}, el('label', {}, 'Work done on: ', doneOn),
      el('small', {}, ` (this date, not today's, decides whether it counts as on time: due ${day(task.due)})`)),
    el('p', {}, el('label', {}, 'Evidence valid until: ', validUntil),
      el('small', {}, ' (optional: a certificate, a report or an approval that expires; a renewal task opens before that day)')),
    task.training ? el('p', {}, el('label', {}, 'People in scope: ', inScope), ' ', el('label', {}, 'completed: ', completed),
      el('small', {}, ' (the training completion KPI)')) : null,
    el('p', {}, el('label', {}, without, ' Close without evidence (it will be marked so)')),
    button, message));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const linkList = links.value.split('\n').map((l) => l.trim()).filter(Boolean);
    const chosen = [...(files.files ?? [])];
    const say = (/** @type {string} */ kind, /** @type {string} */ text) => { message.className = `upkeep-form-message ${kind}`; message.textContent = text; };
    if (!doneOn.value || doneOn.value > today) return say('upkeep-error', 'Give the date the work was done (today or earlier).');
    if (chosen.length === 0 && linkList.length === 0 && !without.checked) {
      return say('upkeep-error', 'Attach a file or a link, or tick "Close without evidence".');
    }
    if (validUntil.value && validUntil.value <= doneOn.value) {
      return say('upkeep-error', 'Give the last day the evidence is valid, after the day the work was done.');
    }
    const people = task.training ? { inScope: Number(inScope.value), completed: Number(completed.value) } : undefined;
    if (people && (!inScope.value || !completed.value || people.completed > people.inScope || people.inScope < 0 || people.completed < 0)) {
      return say('upkeep-error', 'Give how many people were in scope and how many completed the training (no more than in scope).');
    }
    button.disabled = true;
    say('', 'Completing…');
    const error = await complete({ files: chosen, links: linkList, note: note.value.trim(), doneOn: doneOn.value,
      withoutEvidence: chosen.length === 0 && linkList.length === 0, people, ...(validUntil.value ? { validUntil: validUntil.value } : {}) });
    button.disabled = false;
    if (error) return say('upkeep-error', error);
    form.dataset.state = 'completed';
    say('upkeep-notice', 'Completed. Reloading…');
  });
  return form;
}
