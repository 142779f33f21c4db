// @ts-check
// Feature: "Does this change affect the ISMS?" on a change ticket: compact until opened, it shows the
// current assessment (decision, rationale, follow-ups with links) and the questions, answered as last
// recorded. Submitting records the answers; the core decides the impact and the follow-ups.
import { el } from '../lib/dom.js';
import { countOf } from '../lib/words.js';
import { renderChangeSupplier } from './change-supplier.js';

/**
 * @param {{ view: import('../core/upkeep-core.js').ChangeView, host: import('../core/host.js').Host, open?: boolean,
 *   submit: (answers: Record<string, string>) => Promise<string | null>,
 *   update: () => Promise<string | null>,
 *   linkSupplier: (choice: import('./change-supplier.js').SupplierChoice) => Promise<string | null> }} input
 *   `submit`, `update` and `linkSupplier` resolve to an error message, or null when done.
 * @returns {HTMLElement}
 */
export function renderChangePrompt({ view, host, open = false, submit, update, linkSupplier }) {
  const record = view.record;
  const assessment = view.assessment;
  const impact = !record ? 'unassessed' : assessment?.affects ? 'affects' : 'none';
  const summaryText = !record
    ? 'ISMS impact: not assessed. Does this change affect the ISMS?'
    : `ISMS impact: ${assessment?.affects ? 'affects the ISMS' : 'no impact'} (revision ${record.revision}, ${record.on}, by ${host.personName(record.by)})` +
      (assessment?.follow_ups.length ? `; ${countOf(assessment.follow_ups.length, 'follow-up')}` : '');

  const message = el('p', { className: 'upkeep-form-message' });
  const say = (/** @type {string} */ kind, /** @type {string} */ text) => { message.className = `upkeep-form-message ${kind}`; message.textContent = text; };

  const fieldsets = view.questions.map((q) => {
    const options = q.choices.length ? q.choices.map((c) => ({ id: c.id, label: c.label }))
      : [{ id: 'yes', label: 'Yes' }, { id: 'no', label: 'No' }];
    return el('fieldset', { className: 'upkeep-question', dataset: { question: q.id } },
      el('legend', {}, q.text),
      q.help ? el('p', { className: 'upkeep-help' }, q.help) : null,
      ...options.map((o) => {
        const input = /** @type {HTMLInputElement} */ (el('input', { attrs: { type: 'radio', name: `q-${q.id}`, value: o.id } }));
        input.checked = record?.answers[q.id] === o.id;
        return el('label', { className: 'upkeep-answer' }, input, ` ${o.label}`);
      }));
  });
  const button = /** @type {HTMLButtonElement} */ (el('button', { attrs: { type: 'submit' } }, record ? 'Record the new assessment' : 'Record the assessment'));
  const chosen = (/** @type {string} */ id) =>
    /** @type {HTMLInputElement | null} */ (form.querySelector(`input[name="q-${CSS.escape(id)}"]:checked`));
  // For a routine change: every question not answered yet gets its answer that does not affect the ISMS.
  const noToRest = el('button', { attrs: { type: 'button' }, className: 'upkeep-no-to-rest', onClick: () => {
    for (const q of view.questions) {
      if (chosen(q.id)) continue;
      const no = q.choices.length ? q.choices.find((c) => !c.affects)?.id : 'no';
      const input = /** @type {HTMLInputElement | null} */ (no ? form.querySelector(`input[name="q-${CSS.escape(q.id)}"][value="${CSS.escape(no)}"]`) : null);
      if (input) input.checked = true;
    }
    markUnanswered();
  } }, 'No to all unanswered questions');
  const markUnanswered = () => {
    for (const fieldset of fieldsets) fieldset.classList.toggle('upkeep-unanswered', !chosen(fieldset.dataset.question ?? ''));
  };
  const form = /** @type {HTMLFormElement} */ (el('form', { className: 'upkeep-change-form' }, ...fieldsets, noToRest, ' ', button, message));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    /** @type {Record<string, string>} */
    const answers = {};
    for (const q of view.questions) {
      const answer = chosen(q.id);
      if (answer) answers[q.id] = answer.value;
    }
    const missing = view.questions.length - Object.keys(answers).length;
    markUnanswered();
    if (missing) return say('upkeep-error', `Answer every question (${countOf(missing, 'question')} left, marked): "no" is an answer too.`);
    button.disabled = true;
    say('', 'Recording…');
    try {
      const error = await submit(answers);
      if (error) say('upkeep-error', error);
    } catch (error) {
      say('upkeep-error', `Not recorded. ${error instanceof Error ? error.message : error}`);
    } finally {
      button.disabled = false;
    }
  });

  const details = /** @type {HTMLDetailsElement} */ (el('details', { className: 'upkeep-change-details' },
    el('summary', {}, summaryText),
    assessment ? renderAssessment(view, host, linkSupplier) : null,
    ...view.problems.map((p) => el('p', { className: p.warning ? 'upkeep-warning' : 'upkeep-error' }, p.message)),
    record && view.requests.length ? renderPending(view.requests.length, update) : null,
    form));
  details.open = open;
  return el('div', { className: 'upkeep-change-prompt', dataset: { impact } }, details);
}

/**
 * @param {import('../core/upkeep-core.js').ChangeView} view @param {import('../core/host.js').Host} host
 * @param {(choice: import('./change-supplier.js').SupplierChoice) => Promise<string | null>} linkSupplier
 */
function renderAssessment(view, host, linkSupplier) {
  const assessment = /** @type {NonNullable<typeof view.assessment>} */ (view.assessment);
  const items = assessment.follow_ups.map((f) => el('li', { dataset: { followUp: f.id } },
    f.ticket ? el('a', { attrs: { href: host.ticketUrl(f.ticket) } }, host.ticketName(f.ticket)) : el('span', {}, '(not created yet)'),
    ` ${f.title} (${host.personName(f.owner)}, due ${host.day(f.due)})`, f.closed ? ' — closed' : '',
    f.supplier ? renderChangeSupplier({ followUp: f.id, linked: f.suppliers, register: view.register, host, link: linkSupplier }) : null));
  const withdrawn = view.follow_ups.filter((t) => t.withdrawn).map((t) =>
    el('li', { className: 'upkeep-withdrawn' }, el('a', { attrs: { href: host.ticketUrl(t.id) } }, host.ticketName(t.id)), ' withdrawn: no longer called for'));
  return el('div', { className: 'upkeep-assessment' },
    el('p', {}, assessment.rationale),
    items.length || withdrawn.length ? el('ul', { className: 'upkeep-follow-ups' }, ...items, ...withdrawn) : null,
    renderBeforeGoLive(view, host));
}

/**
 * The follow-ups still open that are due before the change goes live: the tracker keeps the change open
 * until they are closed, or (when the configuration says so) this warning is all that stands in the way.
 * @param {import('../core/upkeep-core.js').ChangeView} view
 * @param {import('../core/host.js').Host} host
 */
function renderBeforeGoLive(view, host) {
  const open = (view.assessment?.follow_ups ?? []).filter((f) => f.before_go_live && !f.closed);
  if (!open.length || !view.go_live) return null;
  const blocking = open.every((f) => f.blocks_change);
  return el('p', { className: 'upkeep-warning upkeep-before-go-live' },
    `Due before go-live (${host.day(view.go_live)}) and still open: ${open.map((f) => `${f.ticket ? `${host.ticketName(f.ticket)} ` : ''}${f.title}`).join('; ')}. ` +
    (blocking ? 'The change cannot be closed until they are.' : 'Close the change only when they are done.'));
}

/** @param {number} count @param {() => Promise<string | null>} update */
function renderPending(count, update) {
  const message = el('span', { className: 'upkeep-form-message' });
  const button = /** @type {HTMLButtonElement} */ (el('button', { attrs: { type: 'button' }, className: 'upkeep-update-follow-ups',
    onClick: async () => {
      button.disabled = true;
      try {
        const error = await update();
        if (error) message.textContent = error;
      } catch (error) {
        message.textContent = `Not done. ${error instanceof Error ? error.message : error}`;
      } finally {
        button.disabled = false;
      }
    } }, 'Bring the follow-ups up to date'));
  return el('p', { className: 'upkeep-warning' }, `${count === 1 ? '1 follow-up change is' : `${count} follow-up changes are`} not made yet. `, button, message);
}

/**
 * The banner above an unassessed change ticket. @param {string} anchor the prompt's id
 * @param {() => void} onOpen
 */
export function renderUnassessedBanner(anchor, onOpen) {
  const link = el('a', { attrs: { href: `#${anchor}` }, onClick: onOpen }, 'Answer the ISMS questions');
  return el('div', { className: 'flash warning upkeep-change-banner' },
    'This change has not been assessed for its impact on the ISMS (ISO/IEC 27001 6.3). ', link, '.');
}

/**
 * What a recording did, in plain words: whether the change affects the ISMS, and its open follow-ups with
 * their tickets, owners and due dates.
 * @param {import('../core/upkeep-core.js').ChangeView} view @param {import('../core/host.js').Host} host
 * @returns {string}
 */
export function recordedNotice(view, host) {
  const assessment = view.assessment;
  if (!assessment?.affects) return 'Recorded: this change does not affect the ISMS.';
  const open = assessment.follow_ups.filter((f) => f.ticket !== null && !f.closed);
  const listed = open.map((f) => `${host.ticketName(/** @type {number} */ (f.ticket))} ${f.title} (${host.personName(f.owner)}, due ${host.day(f.due)})`).join('; ');
  return `Recorded: this change affects the ISMS. ${open.length ? `${countOf(open.length, 'follow-up')} to do: ${listed}.` : 'No follow-up is open.'}`;
}

/**
 * What kept a recording (or bringing the follow-ups up to date) from going through, in words for the
 * prompt; null when it went through, its `view` the change as it now is.
 * @param {import('../core/upkeep-core.js').ChangeResult | import('../core/host.js').RunError} outcome
 * @returns {string | null}
 */
export function changeOutcomeError(outcome) {
  if ('error' in outcome) return outcome.error;
  if (outcome.failure) {
    return `${outcome.failure.message}${outcome.written ? ` (${outcome.written} writes were made; submit again to finish, nothing is duplicated.)` : ''}`;
  }
  if (outcome.kind === 'bad_answers') return outcome.view?.problems.map((p) => p.message).join(' ') ?? 'The answers were not recorded.';
  if (!outcome.view) return 'Upkeep did not get the change back after recording: reload the page.';
  return null;
}

