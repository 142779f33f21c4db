// @ts-check
// Entry point of the ISMS project tab: loads the core, reads the project through the core's status
// session (the configuration from the project's wiki page, then the tickets, as the logged-in user), and
// shows the status panel, or what is wrong. The root's data-state tells tests and styles where it is:
// loading, failed, empty, invalid, ready.
import { createUpkeep } from '../core/upkeep-core.js';
import { createRedmineHost } from './redmine-host.js';
import { readPageContext, selectors } from './selectors.js';
import { el, replaceChildren } from '../lib/dom.js';
import { localToday, viewDate } from '../lib/dates.js';
import { renderProblems } from '../features/config-problems.js';
import { renderCalendar } from '../features/isms-calendar.js';
import { renderConfigTransfer } from '../features/config-transfer.js';
import { renderSyncNow } from '../features/sync-now.js';
import { renderOverdue } from '../features/overdue-tickets.js';
import { renderStatusPanel } from '../features/status-panel.js';
import { renderAuditExports } from '../features/audit-exports.js';
import { renderKpis } from '../features/kpi-panel.js';
import { renderReviewPack } from '../features/review-pack.js';

const root = /** @type {HTMLElement} */ (document.querySelector(selectors.ismsRoot.css));
const context = readPageContext(document);

/** @param {string} state @param {...Node} content */
function show(state, ...content) {
  root.dataset.state = state;
  replaceChildren(root, ...content);
}

async function main() {
  const loaded = await createUpkeep({ moduleUrl: new URL('../core/upkeep-redmine.js', import.meta.url).href });
  if (!loaded.ok) return show('failed', el('p', { className: 'upkeep-error' }, loaded.reason));
  await refresh(loaded.core, createRedmineHost({ core: loaded.core, context }));
}

/** The status session behind the panel: it stays open for the exports, as long as the page shows them. */
let statusRead = /** @type {{ dispose: () => void } | null} */ (null);

/** @param {import('../core/upkeep-core.js').UpkeepCore} core @param {import('../core/host.js').Host} host */
async function refresh(core, host) {
  statusRead?.dispose();
  statusRead = null;
  const today = viewDate();
  const started = performance.now();
  const read = await host.readStatus(today);
  const transfer = (/** @type {string | null} */ configText, /** @type {number | null} */ version) =>
    renderConfigTransfer({ core, host, configText, version, onImported: () => refresh(core, host) });
  if ('error' in read) {
    return show('failed', el('p', { className: 'upkeep-error' }, `Cannot read the ISMS configuration and tickets. ${read.error}`));
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
    return show('failed', el('p', { className: 'upkeep-error' }, failure.message),
      ...(failure.problems.length ? [el('ul', {}, ...failure.problems.map((p) => el('li', {}, p.message)))] : []));
  }
  statusRead = read;
  const configText = read.configuration.text;
  const computeStarted = performance.now();
  const status = read.status({ today, list_limit: 25, next_period_only: true, timeline: true });
  const computed = performance.now();
  if ('error' in status) return show('failed', el('p', { className: 'upkeep-error' }, status.error));
  const statusRoot = el('div', { className: 'upkeep-status' },
    renderStatusPanel({ status, host }), renderKpis({ kpis: status.kpis, host }),
    renderAuditExports({ exportFile: read.exportFile, today, periods: status.report.periods,
      defaultAudit: status.report.next_audit?.audit, ticketUrl: host.ticketUrlPrefix, calendarFeed: host.calendarFeed }),
    renderReviewPack({ exportFile: read.exportFile, reviewTicket: status.review_ticket, today, writeDay: localToday(), host }));
  show('ready',
    read.configuration.warnings.length ? renderProblems('The configuration is valid, with warnings:', [], read.configuration.warnings) : el('span'),
    statusRoot, // the countdown to the next audit and its readiness first, then what is overdue, by owner
    renderOverdue({ overdue: status.overdue, host }),
    renderCalendar({ core, configText, today }),
    renderSyncNow({ host, today: localToday(), configText }),
    transfer(configText, read.configuration.version));
  statusRoot.dataset.computeMs = (computed - computeStarted).toFixed(1);
  statusRoot.dataset.renderMs = (performance.now() - computed).toFixed(1);
  statusRoot.dataset.readMs = (computeStarted - started).toFixed(1);
  statusRoot.dataset.requests = String(read.requests);
  statusRoot.dataset.state = 'ready';
}

main().catch((error) => show('failed', el('p', { className: 'upkeep-error' }, `The ISMS tab failed: ${error}`)));
