// Benchmark of the status panel in Chromium, inside the real ISMS tab (the plugin's own assets and wasm),
// for 5,000 control tasks (plus changes, follow-ups and findings). The core's read-only session is fed
// Redmine's answers as the browser receives them (generated here, in Redmine's REST format), then:
//   - mapping: handing the answers to the session (done while the pages arrive);
//   - computation: `session.status()` once the tickets are fetched (target: under 50 ms);
//   - first render: the panel's DOM and layout (target: under 500 ms).
// Usage: node bench-status-panel.mjs [--tickets N] [--runs R]; needs scripts/redmine.sh up.
import { credentials, launchBrowser, loggedIn, redmineUrl } from './harness.mjs';
import { addDays, largeIsms } from './large-isms.mjs';

const argument = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const TICKETS = argument('--tickets', 5000);
const RUNS = argument('--runs', 15);
const TODAY = '2026-11-22';

// A configuration whose current audit period has about TICKETS weekly occurrences due by today, and their
// control tasks (large-isms.mjs), as Redmine's answers (ids as a project would have them).
const { config, tasks: controlTasks } = largeIsms({ tickets: TICKETS, today: TODAY });
const F = { key: 11, state: 12, reference: 13, grade: 14, source: 15, actions: 16, evidence: 17, impact: 18 };
const T = { control: 1, nc: 2, ca: 3, followUp: 4, change: 5 };
const issue = (id, tracker, subject, closed, fields, extra = {}) => ({ id, project: { id: 7, name: 'Bench' }, tracker: { id: tracker },
  status: { id: closed ? 5 : 1 }, author: { id: 1 }, subject, description: '', due_date: null, closed_on: null,
  custom_fields: Object.entries(fields).map(([f, value]) => ({ id: F[f], value })), ...extra });
const keyed = controlTasks.map((t, i) => issue(1000 + i, T.control, t.subject, t.closed,
  { key: t.key, state: `h=1${t.evidence ? ';evidence=1' : ''}`, evidence: t.closed ? t.doneOn : '' },
  { due_date: t.due, closed_on: t.closed ? `${t.doneOn}T10:00:00Z` : null }));
const tasks = keyed.length;
for (let i = 0; i < 300; i += 1) {
  keyed.push(issue(95000 + i, T.followUp, `Follow-up ${i}`, i % 2 === 0, { key: `change:${90000 + (i % 200)}:risk-assessment`, state: 'change=1' },
    { due_date: addDays(TODAY, 20 - i) }));
}
for (let i = 0; i < 80; i += 1) {
  keyed.push(issue(98000 + i, T.ca, `Corrective action ${i}`, i % 3 === 0, { key: `ca:97000:${i}`, state: 'h=1' }, { due_date: addDays(TODAY, 60 - i) }));
}
const nonconformities = Array.from({ length: 20 }, (_, i) => issue(97000 + i, T.nc, `Nonconformity ${i}`, i % 2 === 0, { actions: '' }));
const changes = Array.from({ length: 200 }, (_, i) => issue(90000 + i, T.change, `Change ${i}`, i % 3 === 0,
  { state: i % 2 ? `assessment=1;on=${addDays(TODAY, -i)};by=itops;a=new-supplier:yes` : '', impact: i % 2 ? 'Affects the ISMS' : 'Not assessed' },
  { created_on: `${addDays(TODAY, -i)}T09:00:00Z`, due_date: addDays(TODAY, 30 - i) }));

const answers = {
  current: { user: { id: 1, login: 'ciso' } },
  project: { project: { id: 7, identifier: 'bench', trackers: Object.entries({ 'Control task': 1, Nonconformity: 2, 'Corrective action': 3,
    'ISMS follow-up': 4, Change: 5 }).map(([name, tid]) => ({ id: tid, name })),
  issue_custom_fields: Object.entries({ 'Upkeep key': 11, 'Upkeep state': 12, 'ISMS reference': 13, 'NC grade': 14, 'NC source': 15,
    'Corrective actions': 16, 'Evidence date': 17, 'ISMS impact': 18 }).map(([name, fid]) => ({ id: fid, name })) } },
  statuses: { issue_statuses: [{ id: 1, name: 'New', is_closed: false }, { id: 5, name: 'Closed', is_closed: true }] },
  keyed, nonconformities, changes };

const browser = await launchBrowser();
try {
  const { page } = await loggedIn(browser, 'ciso');
  await page.goto(`${redmineUrl}/projects/${credentials.project}/isms?upkeep_today=${TODAY}`);
  await page.waitForSelector('#upkeep-isms:not([data-state="loading"])', { timeout: 30000 });
  const result = await page.evaluate(async ({ configText, answers, today, runs }) => {
    const assets = document.querySelector('meta[name="upkeep-assets"]').content;
    const { createUpkeep } = await import(`${assets}/javascripts/core/upkeep-core.js`);
    const { renderStatusPanel } = await import(`${assets}/javascripts/features/status-panel.js`);
    const { core } = await createUpkeep({ moduleUrl: `${location.origin}${assets}/javascripts/core/upkeep-redmine.js` });
    const page = (list, path) => {
      const offset = Number(/offset=(\d+)/.exec(path)?.[1] ?? 0);
      return { issues: list.slice(offset, offset + 100), total_count: list.length, offset, limit: 100 };
    };
    const answer = (path) => {
      if (path.startsWith('/users/current')) return answers.current;
      if (path.startsWith('/projects/')) return answers.project;
      if (path.startsWith('/issue_statuses')) return answers.statuses;
      if (path.includes('tracker_id=2&')) return page(answers.nonconformities, path);
      if (path.includes('tracker_id=5&')) return page(answers.changes, path);
      if (path.includes('cf_11=*')) return page(answers.keyed, path);
      if (path.startsWith('/users/')) return { user: { id: Number(/\d+/.exec(path)[0]), login: 'someone' } };
      throw new Error(`unexpected read ${path}`);
    };
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const mapping = [];
    const compute = [];
    const render = [];
    let status;
    let reads = 0;
    for (let run = 0; run < runs; run += 1) {
      const session = core.openSession('status', { project: 'bench', today, config: configText });
      let spent = 0;
      reads = 0;
      for (let step = session.next(); 'send' in step; step = session.next()) {
        const bodies = step.send.map((request) => JSON.stringify(answer(request.path)));
        const t = performance.now();
        session.answer(bodies.map((body) => ({ status: 200, body })));
        spent += performance.now() - t;
        reads += bodies.length;
      }
      const t0 = performance.now();
      status = session.call('status', { today, list_limit: 25, next_period_only: true, timeline: true });
      const t1 = performance.now();
      const host = document.createElement('div');
      host.className = 'upkeep';
      const period = status.report.periods.find((p) => p.audit === status.report.next_audit?.audit) ?? status.report.periods.at(-1);
      host.append(renderStatusPanel({ status, period, host: { ticketUrl: (id) => `/issues/${id}`, day: (iso) => iso },
        allItems: () => null }));
      document.body.append(host);
      host.getBoundingClientRect(); // force layout: the render includes it
      const t2 = performance.now();
      host.remove();
      session.dispose();
      mapping.push(spent);
      compute.push(t1 - t0);
      render.push(t2 - t1);
    }
    if (status.error) return { error: status.error };
    const period = status.report.periods.find((p) => p.audit === status.report.next_audit?.audit);
    return { reads, mapping_ms: median(mapping), compute_ms: median(compute), render_ms: median(render),
      first_mapping_ms: mapping[0], first_compute_ms: compute[0], first_render_ms: render[0],
      occurrences: period?.timeline.reduce((n, row) => n + row.marks.length, 0), readiness: status.report.next_audit?.readiness.text };
  }, { configText: JSON.stringify(config), answers, today: TODAY, runs: RUNS });
  if (result.error) throw new Error(result.error);
  const row = (name, median, first, target) => console.log(`${name.padEnd(34)} ${median.toFixed(1).padStart(9)} ${first.toFixed(1).padStart(9)} ${String(target).padStart(7)}`);
  console.log(`status panel: ${tasks} control tasks (${result.occurrences} occurrences in the audit period), ${changes.length} changes, ` +
    `300 follow-ups, 100 findings; ${result.reads} GETs answered; Chromium, median of ${RUNS} runs`);
  console.log(`${'phase'.padEnd(34)} ${'median ms'.padStart(9)} ${'first ms'.padStart(9)} ${'target'.padStart(7)}`);
  row('mapping the answers (as they arrive)', result.mapping_ms, result.first_mapping_ms, '-');
  row('computation (session.status)', result.compute_ms, result.first_compute_ms, 50);
  row('first render (panel + layout)', result.render_ms, result.first_render_ms, 500);
  console.log(JSON.stringify({ tickets: tasks, ...result }));
} finally {
  await browser.close();
}
