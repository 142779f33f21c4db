// @ts-check
// Entry point of the ISMS project tab: loads the core, reads the project through the core's status
// session (the configuration from the project's wiki page, then the tickets, as the logged-in user), and
// shows the status panel, or what is wrong. The root's data-state tells tests and styles where it is:
// loading, failed, empty, invalid, ready.
import { redmineCores } from './redmine-cores.js';
import { createRedmineHost } from './redmine-host.js';
import { readPageContext, selectors } from './selectors.js';
import { el, replaceChildren } from '../lib/dom.js';
import { localToday, viewDate } from '../lib/dates.js';
import { renderProblems } from '../features/config-problems.js';
import { renderCalendar } from '../features/isms-calendar.js';
import { renderConfigTransfer } from '../features/config-transfer.js';
import { renderSyncNow } from '../features/sync-now.js';
import { renderAtAGlance } from '../features/at-a-glance.js';
import { renderPanelSections } from '../features/panel-sections.js';
import { renderAuditExports } from '../features/audit-exports.js';
import { renderReviewPack } from '../features/review-pack.js';
import { renderOtherFormats } from '../features/other-formats.js';
import { renderStatementOfApplicability } from '../features/statement-of-applicability.js';
import { activityTitles, renderFrameworks, viewFramework } from '../features/frameworks.js';

// The page loads this module async, so that the core loads and the reads begin while Redmine's page is
// still being parsed: its meta tags (readPageContext) come before this script; the tab's root, after.
const context = readPageContext(document);
const parsed = document.readyState === 'loading'
  ? new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }))
  : Promise.resolve();

/** @param {string} state @param {...Node} content */
function show(state, ...content) {
  const root = /** @type {HTMLElement} */ (document.querySelector(selectors.ismsRoot.css));
  root.dataset.state = state;
  replaceChildren(root, ...content);
}

async function main() {
  const cores = redmineCores();
  const loaded = await cores.panel();
  if (!loaded.ok) return parsed.then(() => show('failed', el('p', { className: 'upkeep-error' }, loaded.reason)));
  await refresh(loaded.core, createRedmineHost({ cores, context }));
  // Preview and Sync now run in the tickets' module: loaded once the panel is drawn, before a click needs it.
  if (context.canSync) (globalThis.requestIdleCallback ?? setTimeout)(() => { cores.tickets(); });
}

/** The status session behind the panel: it stays open for the exports, as long as the page shows them. */
let statusRead = /** @type {{ dispose: () => void } | null} */ (null);

/** @param {import('../core/upkeep-core.js').UpkeepCore} core @param {import('../core/host.js').Host} host */
async function refresh(core, host) {
  statusRead?.dispose();
  statusRead = null;
  const today = viewDate();
  const framework = viewFramework(); // '' for every activity
  const started = performance.now();
  const step = el('p', { className: 'upkeep-loading', attrs: { role: 'status' } }, 'Reading the ISMS configuration and tickets…');
  let reads = 0;
  const reading = host.readStatus(today, { onStep: (what) => { reads += 1; step.textContent = `${what}… (step ${reads})`; } });
  await parsed;
  show('loading', step);
  const read = await reading;
  const again = () => el('button', { attrs: { type: 'button' }, className: 'upkeep-retry', onClick: () => refresh(core, host) }, 'Try again');
  const transferParts = (/** @type {string | null} */ configText, /** @type {number | null} */ version) =>
    renderConfigTransfer({ validate: async (text) => core.validate(text), host, configText, version, onImported: () => refresh(core, host) });
  const transfer = (/** @type {string | null} */ configText, /** @type {number | null} */ version) => {
    const { actions, panel } = transferParts(configText, version);
    return el('div', { className: 'upkeep-transfer' }, ...actions, panel);
  };
  if ('error' in read) {
    return show('failed', el('p', { className: 'upkeep-error', attrs: { role: 'alert' } }, `Cannot read the ISMS configuration and tickets. ${read.error}`), again());
  }
  if ('failure' in read) {
    const { failure, configuration } = read;
    if (configuration?.missing) {
      return show('empty', el('p', {}, `This project has no ISMS configuration yet (${configuration.source}). ` +
        'Create one with `upkeep init` and import it here.'), transfer(null, null));
    }
    if (failure.kind === 'bad_input' && configuration?.text) {
      const errors = failure.problems.filter((p) => !p.warning);
      return show('invalid', renderProblems(
        `The ISMS configuration (${configuration.source}${configuration.version ? `, version ${configuration.version}` : ''}) has ${errors.length} problem(s); ` +
        'fix them in the wiki page or import a corrected file.', errors, failure.problems.filter((p) => p.warning)),
      transfer(configuration.text, configuration.version));
    }
    return show('failed', el('p', { className: 'upkeep-error', attrs: { role: 'alert' } }, failure.message),
      ...(failure.problems.length ? [el('ul', {}, ...failure.problems.map((p) => el('li', {}, p.message)))] : []), again());
  }
  statusRead = read;
  const configText = read.configuration.text;
  const computeStarted = performance.now();
  const status = read.status({ today, list_limit: 25, next_period_only: true, timeline: true, people: host.people,
    dates: host.dates, ...(framework ? { framework } : {}) });
  const computed = performance.now();
  if ('error' in status) return show('failed', el('p', { className: 'upkeep-error' }, status.error));
  const allItems = () => {
    const all = read.status({ today, list_limit: 1000000, next_period_only: true, timeline: false, people: host.people,
      dates: host.dates, ...(framework ? { framework } : {}) });
    return 'error' in all ? null : all.report.next_audit ?? null;
  };
  // Preview and Sync now for those who may make tickets; an auditor reads.
  const sync = host.canSync ? renderSyncNow({ host, today: localToday(), configText }) : null;
  // The period the tab shows: the next audit's, else the last.
  const next = status.report.next_audit;
  const period = next ? status.report.periods.find((p) => p.audit === next.audit) : status.report.periods.at(-1);
  const transferred = transferParts(configText, read.configuration.version);
  // Every file and the calendar for the view's framework too.
  /** @type {typeof read.exportFile} */
  const exportFile = (request) => read.exportFile({ ...request, ...(framework ? { framework } : {}) });
  /** @type {typeof read.calendar} */
  const calendar = (window) => read.calendar({ ...window, ...(framework ? { framework } : {}) });
  const titles = status.coverage ? activityTitles(configText) : new Map();
  const frameworks = renderFrameworks({ frameworks: status.frameworks, shown: framework, coverage: status.coverage,
    activityTitle: (id) => titles.get(id) ?? id });
  const exports = renderAuditExports({ exportFile, today, periods: status.report.periods,
    shown: period?.audit, ticketUrl: host.ticketUrlPrefix, calendarFeed: host.calendarFeed });
  const soa = renderStatementOfApplicability({ soa: status.soa, exportFile, today, shown: period?.audit, host });
  const pack = renderReviewPack({ exportFile, reviewTicket: status.review_ticket, today, writeDay: localToday(), host });
  // The countdown, readiness and the counts first, with what the actions said; the work left before the
  // audit; then what to fix, the period's timeline, changes and findings, what is overdue by owner; then
  // the KPIs, the auditor's and the management review's sections; the calendar; the downloads last, where
  // Redmine puts its own.
  const statusRoot = el('div', { className: 'upkeep-status' },
    frameworks.control,
    renderAtAGlance({ status, period, day: host.day }),
    frameworks.panel,
    sync?.panel ?? null, transferred.panel,
    read.configuration.warnings.length ? renderProblems('The configuration is valid, with warnings:', [], read.configuration.warnings) : null,
    ...renderPanelSections({ status, period, today, host, allItems }),
    soa.panel,
    exports.panel,
    pack.panel);
  show('ready',
    el('div', { className: 'contextual upkeep-action-links' }, ...(sync?.actions ?? []), ...transferred.actions),
    statusRoot,
    renderCalendar({ calendar, today, personName: host.personName, day: host.day }),
    renderOtherFormats([...exports.downloads, ...soa.downloads, ...pack.downloads]));
  nameTheIsms(configText);
  statusRoot.dataset.computeMs = (computed - computeStarted).toFixed(1);
  statusRoot.dataset.renderMs = (performance.now() - computed).toFixed(1);
  statusRoot.dataset.readMs = (computeStarted - started).toFixed(1);
  statusRoot.dataset.requests = String(read.requests);
  statusRoot.dataset.state = 'ready';
}

/** The page's heading and title name the ISMS: "ISMS: Acme Ltd". @param {string} configText */
function nameTheIsms(configText) {
  let name = '';
  try {
    name = String(JSON.parse(configText)?.organisation?.name ?? '');
  } catch {
    return;
  }
  const heading = document.querySelector(selectors.ismsHeading.css);
  if (!name || !heading) return;
  heading.textContent = `ISMS: ${name}`;
  document.title = document.title.replace(/^ISMS\b/, `ISMS: ${name}`);
}

main().catch((error) => parsed.then(() => show('failed', el('p', { className: 'upkeep-error' }, `The ISMS tab failed: ${error}`))));
