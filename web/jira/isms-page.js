// @ts-check
// Entry point of the ISMS project page in Jira Cloud (a Custom UI page of Upkeep's Forge app, bundled
// with Forge's bridge by plugin-manifest/jira-cloud/build-page.mjs): asks the app's backend for the
// project's status, read as the user who opened the page, and shows the status panel with the features
// the Redmine tab shows, or what is wrong. The root's data-state tells tests and styles where it is:
// loading, failed, empty, invalid, ready.
import { invoke, requestJira, view } from '@forge/bridge';
import { createJiraHost, readProjectPage } from './jira-host.js';
import { el, replaceChildren } from '../lib/dom.js';
import { addDays, localToday, viewDate } from '../lib/dates.js';
import { renderProblems } from '../features/config-problems.js';
import { renderSyncNow } from '../features/sync-now.js';
import { renderConfigTransfer } from '../features/config-transfer.js';
import { renderAtAGlance } from '../features/at-a-glance.js';
import { renderPanelSections } from '../features/panel-sections.js';
import { renderAuditExports } from '../features/audit-exports.js';
import { renderStatementOfApplicability } from '../features/statement-of-applicability.js';
import { renderReviewPack } from '../features/review-pack.js';
import { renderOtherFormats } from '../features/other-formats.js';
import { CALENDAR_DAYS, renderCalendar } from '../features/isms-calendar.js';
import { activityTitles, renderFrameworks } from '../features/frameworks.js';
import { renderCalendarFeed } from '../features/calendar-feed.js';

/** @param {string} state @param {...Node} content */
function show(state, ...content) {
  const root = /** @type {HTMLElement} */ (document.getElementById('upkeep-isms'));
  root.dataset.state = state;
  replaceChildren(root, ...content);
}

/** The heading names the ISMS: "ISMS: Acme Ltd". @param {string} configText */
function nameTheIsms(configText) {
  try {
    const name = String(JSON.parse(configText)?.organisation?.name ?? '');
    const heading = document.getElementById('upkeep-title');
    if (name && heading) heading.textContent = `ISMS: ${name}`;
  } catch { /* the configuration's problems are shown instead */ }
}

/** What the project and the site lack for Upkeep, for their administrators. @param {import('./jira-host.js').Setup} setup */
const renderSetup = (setup) => el('div', { className: 'upkeep-setup', attrs: { role: 'alert' } },
  el('p', { className: 'upkeep-warning' }, 'Upkeep cannot do all its work in this project yet:'),
  el('ul', {}, ...setup.missing.map((m) => el('li', {}, m))));

async function main() {
  const context = /** @type {import('./jira-host.js').ForgeContext} */ (/** @type {unknown} */ (await view.getContext()));
  await refresh(context, '');
}

/**
 * Reads and draws the page; `framework`: the view's ('' for every activity), which narrows every figure,
 * list and file (Forge's page keeps no address of its own to hold it).
 * @param {import('./jira-host.js').ForgeContext} context @param {string} framework
 */
async function refresh(context, framework) {
  const today = viewDate();
  show('loading', el('p', { className: 'upkeep-loading', attrs: { role: 'status' } }, 'Reading the ISMS configuration and issues…'));
  const calendarWindow = { from: today, to: addDays(today, CALENDAR_DAYS), ...(framework ? { framework } : {}) };
  const read = await readProjectPage(invoke, { today, calendar: calendarWindow, ...(framework ? { framework } : {}) });
  const again = () => el('button', { attrs: { type: 'button' }, className: 'upkeep-retry', onClick: () => refresh(context, framework) }, 'Try again');
  if ('error' in read) {
    return show('failed', el('p', { className: 'upkeep-error', attrs: { role: 'alert' } }, `Cannot read the ISMS configuration and issues. ${read.error}`), again());
  }
  // Sync now and the import for those Jira lets do them (the backend checks again before it writes).
  const host = createJiraHost({ invoke, requestJira, context, may: read.may, ...('people' in read ? { people: read.people } : {}) });
  // What the project lacks for Upkeep, above whatever the page shows.
  const setup = read.setup.missing.length ? renderSetup(read.setup) : null;
  const transfer = (/** @type {string | null} */ configText, /** @type {number | null} */ version) => {
    const { actions, panel } = renderConfigTransfer({ validate: host.validate, host, configText, version, onImported: () => refresh(context, framework) });
    return { actions: el('div', { className: 'upkeep-action-links' }, ...actions), panel };
  };
  if ('failure' in read) {
    const { failure, configuration } = read;
    if (configuration?.missing) {
      const { actions, panel } = transfer(null, null);
      return show('empty', ...(setup ? [setup] : []), el('p', {}, `This project has no ISMS configuration yet (${configuration.source}). ` +
        (host.canEditWiki ? 'Create one with `upkeep init` and import it here.' : 'A project administrator imports it here.')), actions, panel);
    }
    if (failure.kind === 'bad_input' && configuration?.text) {
      const errors = failure.problems.filter((p) => !p.warning);
      const { actions, panel } = transfer(configuration.text, configuration.version);
      return show('invalid', renderProblems(`The ISMS configuration (version ${configuration.version}) has ${errors.length} problem(s); ` +
        'import a corrected file.', errors, failure.problems.filter((p) => p.warning)), actions, panel);
    }
    return show('failed', el('p', { className: 'upkeep-error', attrs: { role: 'alert' } }, failure.message), again());
  }
  const status = read.status;
  const next = status.report.next_audit;
  const period = next ? status.report.periods.find((p) => p.audit === next.audit) : status.report.periods.at(-1);
  const sync = host.canSync ? renderSyncNow({ host, today: localToday(), configText: read.configuration.text }) : null;
  const transferred = renderConfigTransfer({ validate: host.validate, host, configText: read.configuration.text,
    version: read.configuration.version, onImported: () => refresh(context, framework) });
  /** @type {import('../core/upkeep-core.js').ExportFile} */
  const exportFile = (request) => host.exportFile({ ...request, ...(framework ? { framework } : {}) });
  const titles = status.coverage ? activityTitles(read.configuration.text) : new Map();
  const frameworks = renderFrameworks({ frameworks: status.frameworks, shown: framework, coverage: status.coverage,
    activityTitle: (id) => titles.get(id) ?? id, onShow: (shown) => refresh(context, shown) });
  const exports = renderAuditExports({ exportFile, today, periods: status.report.periods, shown: period?.audit,
    ticketUrl: host.ticketUrlPrefix, calendarFeed: host.calendarFeed });
  const soa = renderStatementOfApplicability({ soa: status.soa, exportFile, today, shown: period?.audit, host });
  // The pack's downloads, and attached (as the user) to the open management review's issue.
  const pack = renderReviewPack({ exportFile, reviewTicket: status.review_ticket, today, writeDay: localToday(), host });
  show('ready',
    el('div', { className: 'upkeep-action-links' }, ...(sync?.actions ?? []), ...transferred.actions),
    ...(setup ? [setup] : []),
    el('div', { className: 'upkeep-status', dataset: { state: 'ready', requests: String(read.requests) } },
      frameworks.control,
      renderAtAGlance({ status, period, day: host.day }),
      frameworks.panel,
      sync?.panel ?? null, transferred.panel,
      read.configuration.warnings.length ? renderProblems('The configuration is valid, with warnings:', [], read.configuration.warnings) : null,
      ...renderPanelSections({ status, period, today, host, allItems: () => read.allItems }),
      soa.panel,
      exports.panel,
      pack.panel),
    renderCalendarFeed({ address: host.calendarFeedAddress }),
    // The calendar the backend computed for the window the page asked for.
    renderCalendar({ calendar: (asked) => (asked.from === read.calendar.window.from && asked.to === read.calendar.window.to ? read.calendar
      : { error: 'The calendar of another window is not read yet.' }), today, personName: host.personName, day: host.day }),
    renderOtherFormats([...exports.downloads, ...soa.downloads, ...pack.downloads]));
  nameTheIsms(read.configuration.text);
}

main().catch((error) => show('failed', el('p', { className: 'upkeep-error' }, `The ISMS page failed: ${error}`)));
