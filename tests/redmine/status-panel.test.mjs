// The status panel on the ISMS tab in Chromium against the real Redmine, on a seeded history: control
// tasks done on time, late (by the work date) and missed, an unassessed change, an open nonconformity.
// The panel's figures must be those of `upkeep status` over the same tickets (and a few pinned by hand);
// the auditor's exports download and parse; the calendar feed the sync keeps is served to subscribers.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import ICAL from 'ical.js';
import { credentials, field, issuesOf, loggedIn, nameOf, owners, putConfig, redmineLog, redmineUrl, rest, scratchProject, suite, sync,
  upkeep, upkeepBin, uploadToken, statusJson } from './harness.mjs';

const TODAY = '2026-11-22';
const resources = suite({ withBrowser: true });
const cleanups = resources.cleanups;
let project;
let tickets;
let change;
let nonconformity;
const configFile = join(mkdtempSync(join(tmpdir(), 'upkeep-status-')), 'isms.json');

const fieldId = async (name) => (await rest('GET', '/custom_fields.json')).body.custom_fields.find((f) => f.name === name).id;

before(async () => {
  const scratch = await scratchProject('status', [...owners, 'upkeep-bot']);
  project = scratch.identifier;
  cleanups.push(scratch.remove);
  const config = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15']));
  config.activities = config.activities.filter((a) => ['access-review', 'vulnerability-management', 'backup-restore-test'].includes(a.id));
  await putConfig(project, config, 'status panel test');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const synced = await sync(['--project', project, '--today', TODAY]);
  assert.equal(synced.status, 0, synced.stderr);
  tickets = (await issuesOf(project)).filter((i) => i.tracker.name === 'Control task').sort((a, b) => a.due_date.localeCompare(b.due_date));

  // Seed the history: the first access review done on time, the first vulnerability scan late (by its
  // work date), the rest as the sync left them (missed or upcoming).
  const [evidenceDate, state] = [await fieldId('Evidence date'), await fieldId('Upkeep state')];
  const statuses = (await rest('GET', '/issue_statuses.json')).body.issue_statuses;
  const closed = statuses.find((s) => s.name === 'Closed').id;
  const complete = async (issue, doneOn) => {
    const answer = await rest('PUT', `/issues/${issue.id}.json`, { issue: { status_id: closed, notes: `Done on ${doneOn}`,
      custom_fields: [{ id: evidenceDate, value: doneOn }, { id: state, value: `${field(issue, 'Upkeep state')};evidence=1` }] } }, 'itops');
    assert.equal(answer.status, 204, JSON.stringify(answer.body));
  };
  const first = (activity) => tickets.find((t) => field(t, 'Upkeep key').startsWith(`control:${activity}:`));
  await complete(first('access-review'), first('access-review').due_date);
  await complete(first('vulnerability-management'), '2026-11-01');

  const trackers = (await rest('GET', '/trackers.json')).body.trackers;
  const tracker = (name) => trackers.find((t) => t.name === name).id;
  change = (await rest('POST', '/issues.json', { issue: { project_id: project, tracker_id: tracker('Change'),
    subject: '<img src=x onerror="window.__pwned=1"> new payroll vendor' } }, 'itops')).body.issue;
  nonconformity = (await rest('POST', '/issues.json', { issue: { project_id: project, tracker_id: tracker('Nonconformity'),
    subject: 'Backups of the HR system were not tested', due_date: '2027-01-31' } }, 'ciso')).body.issue;
});

/** Protects or unprotects the configuration page as an administrator does, with Redmine's own link. */
async function setProtected(wanted) {
  const { context, page } = await loggedIn(resources.browser, 'admin');
  try {
    await page.goto(`${redmineUrl}/projects/${project}/wiki/ISMS_configuration`);
    // The link sits in the page's actions menu ("..."): clicked as that menu's item would be.
    await Promise.all([page.waitForNavigation(), page.dispatchEvent(wanted ? 'a.icon-lock' : 'a.icon-unlock', 'click')]);
  } finally {
    await context.close();
  }
  const trust = await rest('GET', `/projects/${project}/upkeep_configuration_trust.json?version=1`, undefined, 'itops');
  assert.equal(trust.body.configuration_trust.protected, wanted);
}

async function openPanel() {
  const { context, page } = await loggedIn(resources.browser, 'ciso');
  cleanups.push(() => context.close());
  await page.goto(`${redmineUrl}/projects/${project}/isms?upkeep_today=${TODAY}`);
  await page.waitForSelector('#upkeep-isms .upkeep-status[data-state]', { timeout: 30000, state: 'attached' });
  assert.equal(await page.getAttribute('#upkeep-isms .upkeep-status', 'data-state'), 'ready', await page.textContent('#upkeep-isms .upkeep-status'));
  return page;
}

const cliStatus = () => statusJson(project, TODAY);

test('the panel shows the countdown, readiness as x of y, what to fix first and what to watch, as `upkeep status` computes them', async () => {
  const page = await openPanel();
  const expected = cliStatus().next_audit;
  const readiness = await page.$eval('.upkeep-readiness', (e) => ({ ...e.dataset }));
  assert.deepEqual(readiness, { audit: expected.audit, date: expected.date, daysLeft: String(expected.days_left),
    percent: String(expected.readiness.percent), done: String(expected.readiness.done), counted: String(expected.readiness.counted) });
  assert.equal(expected.audit, 'surveillance_1');
  assert.equal(expected.days_left, 113); // 2026-11-22 to the latest surveillance date 2027-03-15
  assert.equal(expected.readiness.percent, Math.floor((100 * expected.readiness.done) / expected.readiness.counted));
  assert.match(await page.textContent('.upkeep-readiness h3'), new RegExp(`Readiness ${expected.readiness.text.replace(/[()]/g, '\\$&')}$`));
  // In the same words as the command's, but for the owners: the page names them as Redmine does.
  const names = Object.fromEntries(await Promise.all(owners.map(async (login) => [login, await nameOf(login)])));
  const named = (what) => owners.reduce((text, login) => text.replaceAll(`(${login})`, `(${names[login]})`), what);
  const items = await page.$$eval('.upkeep-fix-first li', (lis) => lis.map((li) => li.textContent));
  assert.deepEqual(items, expected.fix_first.slice(0, 25).map((i) => (i.ticket_id ? `#${i.ticket_id} ${named(i.what)}` : named(i.what))));
  assert.ok(expected.fix_first.some((i) => i.what.includes('(itops)')) && items.some((t) => t.includes(`(${names.itops})`)), 'owners are named');
  const watched = await page.$$eval('.upkeep-to-watch li', (lis) => lis.map((li) => li.dataset.kind));
  assert.deepEqual(watched, expected.to_watch.slice(0, 25).map((i) => i.kind));
  // Pinned by hand: the unassessed change and the open nonconformity lower it, with links to them.
  assert.ok(items.some((t) => t.includes(`Change #${change.id} is not assessed for its ISMS impact`)), items.join('\n'));
  assert.ok(items.some((t) => t.includes(`Nonconformity #${nonconformity.id} is open, due 2027-01-31: Backups of the HR system were not tested`)));
  const links = await page.$$eval('.upkeep-fix-first a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.includes(`/issues/${change.id}`) && links.includes(`/issues/${nonconformity.id}`), links.join());
  // "Show all" lists every item in the page, as the command's JSON does.
  const full = spawnSync(upkeepBin, ['status', '--url', redmineUrl, '--project', project, '--today', TODAY, '--json'],
    { encoding: 'utf8', env: { ...process.env, UPKEEP_API_KEY: credentials.api_keys.ciso } });
  const all = JSON.parse(full.stdout).next_audit.fix_first;
  assert.equal(all.length, expected.fix_first_total);
  if (expected.fix_first_total > 25) {
    await page.click('.upkeep-fix-first-section button.upkeep-show-all');
    assert.deepEqual(await page.$$eval('.upkeep-fix-first li', (lis) => lis.map((li) => li.dataset.rank)), all.map((i) => String(i.rank)));
  } else {
    assert.equal(await page.$('.upkeep-fix-first-section button.upkeep-show-all'), null);
  }

  // At a glance, above the rest: the counts, each as the section below it shows (one change and one
  // nonconformity pinned by hand), in plain words; the heading names the ISMS.
  const figures = Object.fromEntries(await page.$$eval('.upkeep-figures li', (lis) => lis.map((li) => [li.dataset.figure, Number(li.dataset.value)])));
  const period = JSON.parse(full.stdout).periods.find((p) => p.audit === expected.audit);
  const dueBefore = period.occurrences.filter((o) => o.state === 'upcoming' && o.due <= expected.date).length;
  assert.deepEqual(figures, { overdue: Number(await page.getAttribute('#upkeep-overdue', 'data-count')), 'due-before-audit': dueBefore,
    unassessed: 1, findings: 1, 'owners-behind': await page.$$eval('.upkeep-overdue-owner', (owners) => owners.length) });
  assert.ok(figures.overdue > 0 && dueBefore > 0, JSON.stringify(figures));
  const strip = await page.textContent('.upkeep-figures');
  assert.match(strip, /1 change not assessed/);
  assert.match(strip, /1 open nonconformity or corrective action/);
  assert.doesNotMatch(strip, /\(s\)|\b1 (changes|owners|control tasks|occurrences)\b/);
  const order = await page.$$eval('#upkeep-isms .upkeep-status > *', (els) => els.map((e) => e.id || e.className));
  assert.equal(order[0], 'upkeep-glance upkeep-readiness', order.join());

  // The period's occurrences on a month axis: every mark of the timeline drawn, the shapes of the table's.
  await page.waitForSelector('#upkeep-timeline .upkeep-occurrence-chart canvas');
  await page.waitForFunction(() => document.querySelector('#upkeep-timeline .upkeep-occurrence-chart')?.dataset.drawn);
  const drawn = await page.$eval('#upkeep-timeline .upkeep-occurrence-chart', (c) => [Number(c.dataset.drawn), Number(c.dataset.marks)]);
  assert.deepEqual(drawn, [await page.$$eval('#upkeep-timeline .upkeep-mark', (marks) => marks.length), drawn[1]]);
  assert.ok(drawn[0] > 0 && drawn[0] === drawn[1], JSON.stringify(drawn));

  // The on-time rate month by month: a chart drawn (uPlot's canvas, as wide as its box), its figures those of
  // the command's JSON, in the same words.
  await page.waitForSelector('#upkeep-on-time-chart .upkeep-chart canvas');
  const canvas = await page.$eval('#upkeep-on-time-chart .upkeep-chart canvas', (c) => ({ width: c.clientWidth, height: c.clientHeight }));
  assert.ok(canvas.width > 300 && canvas.height > 100, JSON.stringify(canvas));
  const months = await page.$$eval('#upkeep-on-time-chart tr[data-month]', (rows) =>
    rows.map((r) => [r.dataset.month, Number(r.dataset.onTime), Number(r.dataset.due), r.cells[1].textContent]));
  assert.deepEqual(months, Object.entries(period.by_month).sort(([a], [b]) => a.localeCompare(b))
    .map(([month, r]) => [month, r.on_time, r.due, r.text]));
  assert.ok(months.some(([, onTime]) => onTime > 0) && months.some(([, onTime, due]) => due > onTime), JSON.stringify(months));

  // The work left before the audit: a burn-down drawn to today, its figures the command's, which agree with
  // the period's occurrences counted here: at the end of today, those not done are still to do; had each been
  // done on its due date, those due after today would be.
  await page.waitForFunction(() => document.querySelector('#upkeep-work-left .upkeep-chart')?.dataset.drawn);
  const work = expected.work_left;
  assert.equal(work.total, period.occurrences.length);
  assert.equal(work.left.at(-1), period.occurrences.filter((o) => ['overdue', 'upcoming', 'missed'].includes(o.state)).length);
  assert.equal(work.planned[work.left.length - 1], period.occurrences.filter((o) => o.due > TODAY).length);
  assert.equal(Number(await page.$eval('#upkeep-work-left .upkeep-chart', (c) => c.dataset.drawn)), work.left.length);
  const workRows = await page.$$eval('#upkeep-work-left tr[data-day]', (rows) => rows.map((r) => [r.dataset.day, r.dataset.left, Number(r.dataset.planned)]));
  const index = (day) => Math.round((Date.parse(day) - Date.parse(work.from)) / 86400000);
  for (const [day, left, planned] of workRows) {
    assert.equal(planned, work.planned[index(day)], day);
    assert.equal(left, String(work.left[index(day)] ?? ''), day);
  }
  assert.ok(workRows.some(([day]) => day === TODAY) && workRows.at(-1)[0] === expected.date, JSON.stringify(workRows));
  assert.match(await page.textContent('#upkeep-work-left summary'), new RegExp(`^Work left before the audit: ${work.left.at(-1)} of ${work.total} still to do`));
  const organisation = JSON.parse(readFileSync(configFile, 'utf8')).organisation.name;
  assert.equal(await page.textContent('#content h2.upkeep-title'), `ISMS: ${organisation}`);
  assert.match(await page.title(), new RegExp(`^ISMS: ${organisation}`));
});

test('the panel, the CLI text, the JSON, the register and the review pack say the same figures in the same words', async () => {
  const page = await openPanel();
  const json = cliStatus();
  const run = (args) => {
    const r = spawnSync(upkeepBin, ['status', '--url', redmineUrl, '--project', project, '--today', TODAY, ...args],
      { encoding: 'utf8', env: { ...process.env, UPKEEP_API_KEY: credentials.api_keys.ciso } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const text = run([]);
  const pack = run(['--review-pack', '--format', 'html']);
  const readiness = json.next_audit.readiness.text;
  assert.ok(text.includes(`Readiness: ${readiness}.`), text);
  assert.ok(pack.includes(`: ${readiness}.`), 'the pack states readiness in the same words');
  // The items to fix first, in the same order and words (the text lists 20).
  const listed = [...text.matchAll(/^ {2}(\d+)\. (.*)$/gm)].map((m) => m[2]);
  assert.deepEqual(listed, json.next_audit.fix_first.slice(0, 20).map((i) => i.what));
  // The period's rate.
  const period = json.periods.find((p) => p.audit === 'surveillance_1');
  assert.ok(text.includes(`: on time ${period.overall.text}\n`));
  assert.match(await page.textContent('.upkeep-timeline h3'), new RegExp(`on time ${period.overall.text.replace(/[()]/g, '\\$&')}$`));
  // The states' words: the marks, the register's result column, the labels the JSON gives.
  const titles = await page.$$eval('.upkeep-timeline .upkeep-mark', (marks) => marks.map((m) => `${m.dataset.state}|${m.getAttribute('title')}`));
  for (const t of titles) {
    const [state, title] = t.split('|');
    assert.ok(title.includes(`: ${json.state_labels[state]}`), t);
  }
  const register = JSON.parse(run(['--register', 'json']));
  assert.deepEqual(register.occurrences.map((o) => o.result), period.occurrences.map((o) => json.state_labels[o.state]));
  // KPIs: the panel's cell, the CLI line and the pack's table cell hold the core's text.
  for (const kpi of json.kpis) {
    const current = kpi.periods.at(-1);
    const cell = await page.textContent(`.upkeep-kpi-table tr[data-kpi="${kpi.id}"] td:nth-child(2)`);
    assert.ok(cell.startsWith(current.text), `${kpi.id}: ${cell} / ${current.text}`);
    assert.ok(text.includes(`  ${kpi.title}: ${current.text}\n`), kpi.id);
  }
});

test('the timeline marks every occurrence of the audit period: on time, late, overdue, upcoming', async () => {
  const page = await openPanel();
  const period = cliStatus().periods.find((p) => p.audit === 'surveillance_1');
  const marks = await page.$$eval('.upkeep-timeline tr[data-timeline]', (rows) => rows.flatMap((row) =>
    [...row.querySelectorAll('.upkeep-mark')].map((m) => `${row.dataset.timeline} ${m.dataset.due} ${m.dataset.state}`)));
  assert.deepEqual(marks.sort(), period.occurrences.map((o) => `${o.activity} ${o.due} ${o.state}`).sort());
  const states = new Set(marks.map((m) => m.split(' ')[2]));
  for (const state of ['on_time', 'late', 'overdue', 'upcoming']) assert.ok(states.has(state), `a ${state} mark is shown`);
  // By hand: the first access review (due 2026-04-30) was done that day; the first scan, due 2026-04-30, on 2026-11-01.
  assert.ok(marks.includes('access-review 2026-04-30 on_time'), marks.join('\n'));
  assert.ok(marks.includes('vulnerability-management 2026-04-30 late'), marks.join('\n'));
  const href = await page.$eval('.upkeep-timeline tr[data-timeline="access-review"] a.upkeep-mark', (a) => a.getAttribute('href'));
  assert.match(href, /^\/issues\/\d+$/);
});

test('changes and nonconformities are listed, ticket text as text', async () => {
  const page = await openPanel();
  assert.equal(await page.getAttribute('.upkeep-changes', 'data-unassessed'), '1');
  assert.match(await page.textContent('.upkeep-unassessed'), /<img src=x onerror="window.__pwned=1"> new payroll vendor/);
  assert.equal(await page.$('.upkeep-status img'), null);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(await page.$$eval('.upkeep-findings li', (lis) => lis.map((li) => li.dataset.finding)), [String(nonconformity.id)]);
  const timing = await page.$eval('#upkeep-isms .upkeep-status', (e) => ({ ...e.dataset }));
  assert.ok(Number(timing.computeMs) >= 0 && Number(timing.renderMs) >= 0, JSON.stringify(timing));
});

test('the evidence register (CSV, JSON) and the calendar (ICS) download and parse', async () => {
  const page = await openPanel();
  const period = cliStatus().periods.find((p) => p.audit === 'surveillance_1');
  const fetchDownload = async (selector) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
  };
  // Where Redmine puts its own downloads: last, under "Also available in"; the auditor's section offers
  // only the other periods' registers and the feed, nothing twice.
  assert.equal(await page.$eval('#upkeep-isms', (root) => root.lastElementChild?.className), 'other-formats upkeep-other-formats');
  assert.deepEqual(await page.$$eval('.upkeep-other-formats a', (links) => links.map((a) => a.textContent)),
    ['Evidence register (CSV)', 'Evidence register (JSON)', 'Calendar (iCalendar)', 'Statement of Applicability (CSV)',
      'Statement of Applicability (HTML)', 'Management review pack (HTML)', 'Management review pack (Markdown)']);
  assert.match(await page.textContent('.upkeep-other-formats'), /^Also available in:/);
  assert.deepEqual(await page.$$eval('.upkeep-exports select[name="register-audit"] option', (options) => options.map((o) => o.value)),
    cliStatus().periods.map((p) => p.audit).filter((audit) => audit !== 'surveillance_1'));
  const csv = await fetchDownload('.upkeep-other-formats a.upkeep-export-register-csv');
  assert.equal(csv.name, `evidence-register-surveillance_1-${period.from}-to-${period.to}.csv`);
  const rows = csv.text.trim().split('\r\n').map((line) => line.split(','));
  assert.deepEqual(rows[0], ['activity', 'title', 'references', 'owner', 'due', 'done_on', 'closed_on', 'evidence', 'evidence_links',
    'valid_until', 'renewal', 'result', 'ticket']);
  assert.equal(rows.length - 1, period.occurrences.length);
  const onTime = rows.find((r) => r[0] === 'access-review' && r[4] === '2026-04-30');
  assert.deepEqual(onTime.slice(9, 12), ['', 'no', 'on time']);
  assert.match(onTime[12], new RegExp(`^${redmineUrl}/issues/\\d+$`));

  const json = JSON.parse((await fetchDownload('.upkeep-other-formats a.upkeep-export-register-json')).text);
  assert.equal(json.audit, 'surveillance_1');
  const labels = cliStatus().state_labels;
  assert.deepEqual(json.occurrences.map((o) => `${o.activity} ${o.due} ${o.result}`),
    period.occurrences.map((o) => `${o.activity} ${o.due} ${labels[o.state]}`));

  const ics = await fetchDownload('.upkeep-other-formats a.upkeep-export-ics');
  assert.equal(ics.name, 'isms-calendar.ics');
  assert.deepEqual(eventsOf(ics.text).map((e) => e.summary).sort(), expectedSummaries);
});

/** The VEVENTs of an iCalendar text, parsed by ical.js (an independent parser). */
function eventsOf(text) {
  return new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

// Three activities and the three audits of the cycle.
const expectedSummaries = ['Backup restore test', 'Recertification audit (due by)', 'Surveillance audit 1 (due by)',
  'Surveillance audit 2 (due by)', 'User access rights review', 'Vulnerability scan and remediation review'].sort();

test('sync keeps the calendar feed on the configuration page; members subscribe with their Atom key', async () => {
  // The sync in before() published it: the newest copy is served, byte for byte what `upkeep calendar` makes.
  const page = await openPanel();
  const feedUrl = await page.getAttribute('.upkeep-calendar-feed input', 'value');
  assert.match(feedUrl, new RegExp(`^${redmineUrl}/projects/${project}/isms/calendar\\.ics\\?key=\\w+$`));
  const config = readFileSync(configFile, 'utf8');
  const expected = spawnSync(upkeepBin, ['calendar', configFile, '--format', 'ics', '--today', TODAY], { encoding: 'utf8' }).stdout;
  assert.ok(config.length > 0 && expected.startsWith('BEGIN:VCALENDAR'));
  const feed = await fetch(feedUrl);
  assert.equal(feed.status, 200);
  assert.match(feed.headers.get('content-type'), /^text\/calendar/);
  assert.equal(await feed.text(), expected);

  // Nothing changed: the next sync attaches nothing. Without a key, or with a wrong one, no calendar.
  const rerun = await sync(['--project', project, '--today', TODAY, '--json']);
  assert.equal(rerun.json.calendar_feed, 'unchanged');
  const attachments = async () => (await rest('GET', `/projects/${project}/wiki/ISMS_configuration.json?include=attachments`))
    .body.wiki_page.attachments.filter((a) => a.filename === 'isms-calendar.ics');
  assert.equal((await attachments()).length, 1);
  // Calendar programs check with HEAD; Redmine's log shows the key filtered, as it shows passwords.
  const logged = statSync(redmineLog).size;
  assert.equal((await fetch(feedUrl, { method: 'HEAD' })).status, 200);
  const log = readFileSync(redmineLog).subarray(logged).toString('utf8');
  assert.match(log, /calendar\.ics\?key=\[FILTERED\]/);
  assert.ok(!log.includes(new URL(feedUrl).searchParams.get('key')), 'the feed\'s key is not in the log');
  assert.equal((await fetch(feedUrl.replace(/key=\w+/, 'key=wrong'))).status, 401);
  assert.equal((await fetch(feedUrl.replace(/\?key=\w+/, ''))).status, 401);
  // The key opens this feed only: the tab itself with it is a login redirect.
  const key = new URL(feedUrl).searchParams.get('key');
  assert.equal((await fetch(`${redmineUrl}/projects/${project}/isms?key=${key}`, { redirect: 'manual' })).status, 302);
  // A file a person attaches under the feed's name is not served, and the sync leaves it alone.
  const token = await uploadToken('isms-calendar.ics', 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', 'ciso'); // 201, or it throws
  const { wiki_page: current } = (await rest('GET', `/projects/${project}/wiki/ISMS_configuration.json`)).body;
  assert.equal((await rest('PUT', `/projects/${project}/wiki/ISMS_configuration.json`, { wiki_page: { text: current.text,
    uploads: [{ token, filename: 'isms-calendar.ics', description: 'my own calendar' }] } }, 'ciso')).status, 204);
  assert.equal(await (await fetch(feedUrl)).text(), expected);
  assert.equal((await sync(['--project', project, '--today', TODAY, '--json'])).json.calendar_feed, 'unchanged');
  // A member who is not a sync account copies the feed's name and description onto a file of their own,
  // the newest. The page is protected, so a Developer cannot attach it; once an administrator lifts the
  // protection, subscribers still get Upkeep's copy, and the sync neither takes it for its own nor removes it.
  const [genuine] = (await attachments()).filter((a) => a.description.startsWith('Upkeep calendar feed '));
  const lookAlike = async () => {
    const spoof = await uploadToken('isms-calendar.ics',
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Renew your password at https://phish.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
      'itops'); // 201, or it throws
    return (await rest('PUT', `/projects/${project}/wiki/ISMS_configuration.json`, { wiki_page: { text: current.text,
      uploads: [{ token: spoof, filename: 'isms-calendar.ics', description: genuine.description }] } }, 'itops')).status;
  };
  assert.equal(await lookAlike(), 403, 'the configuration page is protected from its creation');
  await setProtected(false);
  assert.equal(await lookAlike(), 204);
  assert.equal((await attachments()).filter((a) => a.description === genuine.description).length, 2);
  assert.equal(await (await fetch(feedUrl)).text(), expected);
  assert.equal((await sync(['--project', project, '--today', TODAY, '--json'])).json.calendar_feed, 'unchanged');
  assert.equal((await attachments()).length, 3, 'Upkeep\'s copy, the person\'s file and the look-alike');

  // A changed configuration: the sync attaches the new calendar and removes the old copy.
  const smaller = JSON.parse(config);
  smaller.activities = smaller.activities.filter((a) => a.id !== 'backup-restore-test');
  await putConfig(project, smaller, 'the backup restore test moves to the ops calendar');
  const changed = await sync(['--project', project, '--today', TODAY, '--json']);
  assert.equal(changed.status, 0, changed.stderr);
  assert.equal(changed.json.calendar_feed, 'published');
  assert.equal((await attachments()).length, 3, 'Upkeep\'s new copy, the person\'s file and the look-alike');
  assert.ok((await attachments()).some((a) => a.description === genuine.description && a.author.name !== genuine.author.name));
  const now = await (await fetch(feedUrl)).text();
  assert.deepEqual(eventsOf(now).map((e) => e.summary).sort(), expectedSummaries.filter((s) => s !== 'Backup restore test'));
  await putConfig(project, config, 'back as it was');
});

test('a Developer who edits the configuration cannot widen Upkeep\'s trust', async () => {
  // The page is unprotected (the test before lifted it), so itops, a Developer, may save it: they add
  // themselves to the sync accounts, which would make their look-alike feed copy and tickets Upkeep's.
  const page = await openPanel();
  const feedUrl = await page.getAttribute('.upkeep-calendar-feed input', 'value');
  const served = await (await fetch(feedUrl)).text();
  assert.ok(!served.includes('phish.example'));
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  const widened = { ...config, sync: { accounts: [...config.sync.accounts, 'itops'] } };
  const current = (await rest('GET', `/projects/${project}/wiki/ISMS_configuration.json`)).body.wiki_page;
  assert.equal((await rest('PUT', `/projects/${project}/wiki/ISMS_configuration.json`, { wiki_page: {
    text: `<pre><code class="json">\n${JSON.stringify(widened, null, 2)}\n</code></pre>\n`, comments: 'me too' } }, 'itops')).status, 204);

  // The feed still serves Upkeep's copy; the sync refuses, writing nothing; the tab says why.
  assert.equal(await (await fetch(feedUrl)).text(), served);
  const before = (await issuesOf(project)).length;
  const refused = await sync(['--project', project, '--today', TODAY]);
  assert.equal(refused.status, 4, refused.stderr);
  assert.match(refused.stderr, new RegExp(`version ${current.version + 1}\\) was saved by Ivan Ops \\(IT operations\\), who may not protect wiki pages in project ${project}`));
  assert.equal((await issuesOf(project)).length, before);
  await page.reload();
  await page.waitForSelector('#upkeep-isms:not([data-state="loading"])', { timeout: 30000 });
  assert.equal(await page.getAttribute('#upkeep-isms', 'data-state'), 'failed');
  assert.match(await page.textContent('#upkeep-isms .upkeep-error'), /was saved by Ivan Ops \(IT operations\), who may not protect wiki pages/);

  // The ISMS manager reviews it and saves it as it was: trusted again.
  await putConfig(project, config, 'reviewed: the sync accounts stay as they were');
  await setProtected(true);
  const synced = await sync(['--project', project, '--today', TODAY]);
  assert.equal(synced.status, 0, synced.stderr);
});
