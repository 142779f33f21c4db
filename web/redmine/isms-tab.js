// @ts-check
// Entry point of the ISMS project tab: loads the core, reads the configuration from the project's wiki
// page through the REST API (as the logged-in user), and shows the calendar or what is wrong.
// The root's data-state tells tests and styles where it is: loading, failed, empty, invalid, ready.
import { createUpkeep } from '../core/upkeep-core.js';
import { createRedmineClient } from './redmine-api.js';
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
import { readStatus } from './redmine-status.js';

const root = /** @type {HTMLElement} */ (document.querySelector(selectors.ismsRoot.css));
const context = readPageContext(document);
const client = createRedmineClient({ baseUrl: context.baseUrl, apiKey: context.apiKey });

/** @param {string} state @param {...Node} content */
function show(state, ...content) {
  root.dataset.state = state;
  replaceChildren(root, ...content);
}

async function main() {
  const loaded = await createUpkeep({ moduleUrl: new URL('../core/upkeep-wasm.js', import.meta.url).href });
  if (!loaded.ok) return show('failed', el('p', { className: 'upkeep-error' }, loaded.reason));
  const core = loaded.core;
  await refresh(core);
}

/** @param {import('../core/upkeep-core.js').UpkeepCore} core */
async function refresh(core) {
  let page;
  try {
    page = await client.getWikiPage(context.project, context.configPage);
  } catch (error) {
    return show('failed', el('p', { className: 'upkeep-error' }, `Cannot read the ISMS configuration. ${error instanceof Error ? error.message : error}`));
  }
  const transfer = (/** @type {string | null} */ configText) =>
    renderConfigTransfer({ core, client, context, page, configText, onImported: () => refresh(core) });
  if (!page) {
    return show('empty', el('p', {}, `This project has no ISMS configuration yet (wiki page ${context.configPage}). ` +
      'Create one with `upkeep init` and import it here.'), transfer(null));
  }
  const extracted = core.configurationFromWiki(page.text);
  if ('error' in extracted) return show('invalid', el('p', { className: 'upkeep-error' }, extracted.error), transfer(null));
  const report = core.validate(extracted.config);
  if (!report.ok) {
    return show('invalid', renderProblems(
      `The ISMS configuration (wiki page ${context.configPage}, version ${page.version}) has ${report.errors.length} problem(s); fix them in the wiki page or import a corrected file.`,
      report.errors, report.warnings), transfer(extracted.config));
  }
  const today = viewDate();
  const [overdue, read] = await Promise.all([
    client.openIssuesDueBefore(context.project, 'Control task', today)
      .catch((/** @type {unknown} */ error) => (error instanceof Error ? error : new Error(String(error)))),
    readStatus({ core, client, project: context.project, today, configText: extracted.config })]);
  const statusRoot = el('div', { className: 'upkeep-status' });
  show('ready',
    report.warnings.length ? renderProblems('The configuration is valid, with warnings:', [], report.warnings) : el('span'),
    statusRoot, // the countdown to the next audit and its readiness first, then what is overdue, by owner
    overdue instanceof Error
      ? el('p', { className: 'upkeep-error upkeep-overdue', dataset: { state: 'failed' } }, `The overdue control tasks cannot be shown: ${overdue.message}`)
      : renderOverdue({ issues: overdue, today, baseUrl: context.baseUrl }),
    renderCalendar({ core, configText: extracted.config, today }),
    renderSyncNow({ core, client, project: context.project, today: localToday(), configText: extracted.config }),
    transfer(extracted.config));
  renderStatus(statusRoot, today, read);
}

/** The read session behind the panel: it stays alive for the exports, as long as the page shows them. */
let statusSession = /** @type {{ dispose: () => void } | null} */ (null);

/**
 * The status panel and the exports, timed (the panel's budget: 50 ms to compute, 500 ms to render).
 * @param {HTMLElement} into @param {string} today @param {Awaited<ReturnType<typeof readStatus>>} read
 */
function renderStatus(into, today, read) {
  statusSession?.dispose();
  statusSession = 'session' in read ? read.session : null;
  if ('error' in read) {
    into.dataset.state = 'failed';
    return into.append(el('p', { className: 'upkeep-error' }, `The status cannot be shown: ${read.error}`));
  }
  const started = performance.now();
  const status = read.session.status({ today, list_limit: 25, next_period_only: true, timeline: true });
  const computed = performance.now();
  if ('error' in status) {
    into.dataset.state = 'failed';
    return into.append(el('p', { className: 'upkeep-error' }, status.error));
  }
  const ticketUrl = `${location.origin}${context.baseUrl}/issues/`;
  into.append(renderStatusPanel({ status, baseUrl: context.baseUrl }), renderKpis({ kpis: status.kpis, baseUrl: context.baseUrl }),
    renderAuditExports({ exportFile: read.session.exportFile, today, periods: status.report.periods,
      defaultAudit: status.report.next_audit?.audit, ticketUrl, calendarFeed: context.calendarFeed }),
    renderReviewPack({ exportFile: read.session.exportFile, reviewTicket: status.review_ticket, today,
      markup: context.markup, canEditWiki: context.canEdit, baseUrl: context.baseUrl, project: context.project,
      ticketUrl,
      saveWikiPage: (title, text) => client.putWikiPage(context.project, title, { text, comments: 'Management review input pack (Upkeep)' }),
      attachToTicket: async (ticket, file) => {
        const token = await client.upload(new Blob([file.text], { type: 'text/html' }), file.filename);
        await client.updateIssue(ticket, { notes: 'The management review input pack (ISO 27001 9.3.2), made by Upkeep from the tracker.',
          uploads: [{ token, filename: file.filename, content_type: 'text/html' }] });
      } }));
  into.dataset.computeMs = (computed - started).toFixed(1);
  into.dataset.renderMs = (performance.now() - computed).toFixed(1);
  into.dataset.requests = String(read.requests);
  into.dataset.state = 'ready';
}

main().catch((error) => show('failed', el('p', { className: 'upkeep-error' }, `The ISMS tab failed: ${error}`)));
