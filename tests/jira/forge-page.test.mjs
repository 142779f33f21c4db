// The Forge app's ISMS project page (web/jira/isms-page.js, built by plugin-manifest/jira-cloud/build-page.mjs)
// in Debian's Chromium, served under the Content Security Policy Forge gives Custom UI pages (@forge/csp),
// with Forge's bridge answered by the test: `getContext` the project's, `invoke` the app's backend
// (plugin-manifest/jira-cloud/src) in forge-runtime.mjs against the contract double, as the page's user.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import csp from '@forge/csp';
import { buildPages } from '../../plugin-manifest/jira-cloud/build-page.mjs';
import { installForgeRuntime } from './forge-runtime.mjs';
import { indexedProperties } from './forge-app.mjs';
import { createJiraDouble, defaultLinkTypes } from './jira-double.mjs';
import { bot, changes, config, olga, startLogReviewProject, today } from './log-review-project.mjs';

process.env.UPKEEP_WASM_DIR ??= resolve(new URL('../../build/wasm/wasm', import.meta.url).pathname);

const site = 'https://example.atlassian.net';
const project = { id: '10100', key: 'ISMS' };
const lead = { accountId: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077', displayName: 'Lena Lead', email: 'lena@example.com', token: 'lena-token' };
const app = { accountId: '712020:8f4a2b1c-5d6e-4f70-8a9b-0c1d2e3f4a5b', displayName: 'Upkeep', email: 'app@connect.atlassian.com', token: 'app-token' };

let double = null;
const runtime = installForgeRuntime({ jira: () => double.url, users: [bot, olga, lead, app], app });
const { handler } = await import('../../plugin-manifest/jira-cloud/src/index.js');
const { saveConfiguration } = await import('../../plugin-manifest/jira-cloud/src/app-storage.js');

/** Forge's policy for a Custom UI page on `site`, without its report address (no network here). */
const policy = new csp.CSPInjectionService().getInjectableCSP({ existingCSPDetails: {}, microsEnv: 'prod', hostname: site })
  .filter((directive) => !directive.startsWith('report-uri')).join('; ');

let pageDir;
let server;
let pageUrl;
let browser;

before(async () => {
  pageDir = await buildPages(await mkdtemp(join(tmpdir(), 'upkeep-forge-pages-')));
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
  server = createServer(async (request, response) => {
    const name = new URL(request.url ?? '/', 'http://page').pathname.replace(/^\/+/, '') || 'index.html';
    try {
      const body = await readFile(join(pageDir, name.replace(/\.\.+/g, '')));
      response.writeHead(200, { 'Content-Type': types[extname(name)] ?? 'application/octet-stream', 'Content-Security-Policy': policy });
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  pageUrl = `http://127.0.0.1:${server.address().port}/isms-page/index.html?upkeep_today=${today}`;
  browser = await chromium.launch({ executablePath: process.env.UPKEEP_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'] });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (pageDir) await rm(pageDir, { recursive: true, force: true });
});

/**
 * What Jira's page does for the bridge's `requestJira` (fetchProduct): the request, its multipart body made
 * again from the bridge's JSON of it (each file as a data URL with its name and type), sent to Jira as the
 * user; the answer as the bridge takes it.
 */
async function fetchProduct(user, { restPath, fetchRequestInit: init, isMultipartFormData }) {
  const headers = new Headers(init.headers ?? []);
  let body = init.body ?? undefined;
  if (isMultipartFormData) {
    const parts = JSON.parse(body);
    body = new FormData();
    for (const [name, value] of Object.entries(parts)) {
      if (name.startsWith('__')) continue;
      const file = parts[`__${name}Name`] !== undefined;
      body.append(name, file ? new Blob([Buffer.from(value.split(',')[1], 'base64')], { type: parts[`__${name}Type`] }) : value,
        ...(file ? [parts[`__${name}Name`]] : []));
    }
    headers.delete('content-type');
  }
  headers.set('Authorization', `Basic ${Buffer.from(`${user.email}:${user.token}`).toString('base64')}`);
  const response = await fetch(double.url + restPath, { method: init.method ?? 'GET', headers, body });
  return { status: response.status, statusText: response.statusText, headers: Object.fromEntries(response.headers), body: await response.text(),
    isAttachment: false };
}

/** The pages on an issue: the control task's issue panel and the change's issue context, by their root. */
const issuePages = { 'control-task-panel': { root: '#upkeep-evidence', module: 'upkeep-control-task', type: 'jira:issuePanel' },
  'change-panel': { root: '#upkeep-change', module: 'upkeep-change-impact', type: 'jira:issueContext' } };

/**
 * A page (the ISMS project page, or `panel` on `issue`) opened by `user` (on the browser's clock, or on
 * `clock`: a write is as of the user's today), Forge's bridge answered by the test; the policy's violations
 * and the bridge's calls are kept.
 */
async function openPage(user, { clock = null, issue = null, panel = 'control-task-panel' } = {}) {
  const onIssue = issue ? issuePages[panel] : null;
  const context = await browser.newContext();
  if (clock) await context.clock.setFixedTime(clock);
  const calls = [];
  await context.exposeBinding('upkeepForgeBridge', async (_source, name, data) => {
    calls.push(name);
    if (name === 'getContext') {
      return { siteUrl: site, accountId: user.accountId, locale: 'en-GB', timezone: 'Europe/Berlin',
        moduleKey: onIssue?.module ?? 'upkeep-isms-page',
        extension: { type: onIssue?.type ?? 'jira:projectPage', project: { id: project.id, key: project.key, type: 'software' },
          ...(issue ? { issue: { id: issue.id, key: issue.key, type: 'Task' } } : {}) } };
    }
    if (name === 'invoke') return runtime.invoke(handler, data.functionKey, data.payload ?? {}, { accountId: user.accountId, project, issue });
    if (name === 'fetchProduct' && data.product === 'jira') return fetchProduct(user, data);
    throw new Error(`the test's bridge has no ${name}`);
  });
  await context.addInitScript(() => {
    window.__bridge = { callBridge: (name, data) => window.upkeepForgeBridge(name, data) };
    window.upkeepViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.upkeepViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(issue ? pageUrl.replace('/isms-page/', `/${panel}/`) : pageUrl);
  await page.waitForSelector(`${onIssue?.root ?? '#upkeep-isms'}:not([data-state="loading"])`, { timeout: 30000 });
  return { context, page, calls, errors };
}

/** No script error in the page, nothing Forge's policy blocked, no request or answer off the contract. */
async function assertNothingWentWrong(page, errors) {
  assert.deepEqual(errors, []);
  assert.deepEqual(await page.evaluate(() => window.upkeepViolations), []);
  assert.deepEqual(double.violations, []);
}

/** The configuration, saved in the app's storage as its first version. */
const storeConfiguration = () => saveConfiguration('ISMS', 0, { text: JSON.stringify(config), saved_by: lead.accountId, saved_at: '2027-03-01T09:00:00Z' });

test('the ISMS page shows the project\'s status under Forge\'s policy, its issues linked on the site', async () => {
  double = await startLogReviewProject();
  runtime.store.clear();
  await storeConfiguration();
  const { context, page, calls, errors } = await openPage(bot);
  try {
    assert.equal(await page.getAttribute('#upkeep-isms', 'data-state'), 'ready', await page.textContent('#upkeep-isms'));
    assert.equal(await page.textContent('#upkeep-title'), 'ISMS: Acme');
    // The countdown's figures: the four overdue Mondays (2027-02-15 to 2027-03-08).
    assert.match(await page.textContent('.upkeep-glance'), /4\s*control tasks overdue/);
    // The overdue tasks link to their issues on the site; the timeline's marks too.
    const links = await page.$$eval('.upkeep-status a[href^="https://"]', (as) => as.map((a) => a.getAttribute('href')));
    assert.ok(links.includes(`${site}/browse/ISMS-7`), links.join(' '));
    assert.ok(links.every((href) => href.startsWith(`${site}/browse/ISMS-`)), links.join(' '));
    assert.match(await page.textContent('.upkeep-fix-first'), /ISMS-7 Review the security logs \(due 2027-02-15\)/, 'named as Jira names them');
    assert.deepEqual(calls.slice(0, 2), ['getContext', 'invoke']);
    assert.ok(double.requests.every((r) => r.account === bot.accountId), 'read as the page\'s user');
    assert.deepEqual(await page.evaluate(() => window.upkeepViolations), []);
    assert.deepEqual(errors, []);
    // The maintenance calendar of the next 90 days: the Mondays from 2027-03-15.
    const due = await page.$$eval('table.upkeep-calendar tbody tr', (rows) => rows.map((r) => r.dataset.due));
    assert.equal(due[0], '2027-03-15');
    assert.equal(due.length, 13, due.join(' '));
    // The person's calendar feed address, made when asked, served by the app's web trigger.
    await page.click('button.upkeep-calendar-feed-show');
    const address = await (await page.waitForSelector('.upkeep-calendar-feed input')).getAttribute('value');
    assert.match(address, /^https:\/\/webtrigger\.test\/x1\/upkeep-calendar-feed\?feed=/);
    await page.click('button.upkeep-calendar-feed-renew');
    await page.waitForFunction((old) => document.querySelector('.upkeep-calendar-feed input')?.getAttribute('value') !== old, address);
    // The auditor's files, made by the backend from the issues as the user: the register links each
    // occurrence's issue on the site; the calendar is iCalendar.
    const downloaded = async (selector) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
      return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
    };
    const register = await downloaded('a.upkeep-export-register-csv');
    assert.match(register.name, /\.csv$/);
    assert.ok(register.text.includes(`${site}/browse/ISMS-3`), register.text.slice(0, 400));
    assert.match((await downloaded('a.upkeep-export-ics')).text, /^BEGIN:VCALENDAR/);
    assert.match((await downloaded('a.upkeep-export-review-pack-markdown')).text, /9\.3\.2/);
    assert.match(await page.textContent('.upkeep-other-formats'), /Downloaded /);
    // Why the core runs in the app's backend: this policy lets the page compile no WebAssembly.
    const compiled = await page.evaluate(() => WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))
      .then(() => 'compiled', (error) => String(error)));
    assert.match(compiled, /CompileError.*(Content Security Policy|unsafe-eval)/);
    assert.deepEqual(double.violations, []);
  } finally {
    await context.close();
    await double.stop();
  }
});

test('a project without a configuration: its administrator imports one, checked first; someone Jira does not let browse sees why', async () => {
  double = await startLogReviewProject({ admins: [lead] });
  runtime.store.clear();
  try {
    const viewer = await openPage(bot);
    assert.equal(await viewer.page.getAttribute('#upkeep-isms', 'data-state'), 'empty');
    assert.match(await viewer.page.textContent('#upkeep-isms'), /no ISMS configuration yet .*A project administrator imports it here/);
    assert.equal(await viewer.page.$('input.upkeep-import-file'), null, 'only an administrator imports');
    await viewer.context.close();

    const admin = await openPage(lead);
    const file = (name, value) => ({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(value)) });
    await admin.page.setInputFiles('input.upkeep-import-file', file('broken.json', { ...config, certification: {} }));
    await admin.page.waitForSelector('.upkeep-transfer-message .upkeep-problems, .upkeep-transfer-message .upkeep-error');
    assert.match(await admin.page.textContent('.upkeep-transfer-message'), /broken\.json was not imported: it has \d+ problem\(s\)\. Nothing was changed\./);
    assert.match(await admin.page.textContent('.upkeep-transfer-message'), /\/certification/);
    assert.equal([...runtime.store.keys()].filter((k) => k.startsWith('upkeep:configuration:')).length, 0);
    await admin.page.setInputFiles('input.upkeep-import-file', file('isms.json', config));
    await admin.page.waitForSelector('#upkeep-isms[data-state="ready"]', { timeout: 30000 });
    assert.equal(await admin.page.textContent('#upkeep-title'), 'ISMS: Acme');
    assert.deepEqual(admin.errors, []);
    await admin.context.close();

    const outsider = await openPage(olga);
    assert.equal(await outsider.page.getAttribute('#upkeep-isms', 'data-state'), 'failed');
    assert.match(await outsider.page.textContent('#upkeep-isms'), /ISMS/);
    await outsider.context.close();
  } finally {
    await double.stop();
  }
});

test('Preview sync and Sync now on the page: the plan, then the project\'s tickets made as the user', async () => {
  double = createJiraDouble({ users: [lead, app], indexed: await indexedProperties(),
    projects: [{ ...project, name: 'ISMS', browsers: [lead.accountId, app.accountId], editors: [lead.accountId, app.accountId],
      issueTypes: [{ id: '10001', name: 'Task' }] }] });
  await double.start();
  runtime.store.clear();
  await storeConfiguration();
  const { context, page, errors } = await openPage(lead, { clock: new Date(`${today}T09:00:00`) });
  try {
    await page.click('button.upkeep-preview');
    await page.waitForSelector('.upkeep-sync-output[data-state="previewed"]');
    assert.match(await page.textContent('.upkeep-sync-output'), /Plan: 10 to create/);
    assert.equal(double.issues.size, 0);
    await page.click('button.upkeep-sync');
    await page.waitForSelector('.upkeep-sync-output[data-state="synced"]', { timeout: 30000 });
    assert.match(await page.textContent('.upkeep-sync-output'), /Synced: 10 writes/);
    assert.equal(double.issues.size, 10);
    assert.ok([...double.issues.values()].every((i) => i.reporter === lead.accountId));
    assert.deepEqual(await page.evaluate(() => window.upkeepViolations), []);
    assert.deepEqual(errors, []);
    assert.deepEqual(double.violations, []);
  } finally {
    await context.close();
    await double.stop();
  }
});

test('the page narrows to a framework the configuration follows, with its coverage, without leaving Forge\'s page', async () => {
  double = await startLogReviewProject();
  runtime.store.clear();
  const followed = { ...config, frameworks: ['nis2'], activities: [
    { ...config.activities[0], references: ['A.8.15', 'nis2:21(2)(b)'] },
    { id: 'restore-test', title: 'Test a backup restore', references: ['A.8.13'], owner: 'itops', lead_time_days: 7,
      instructions: 'Restore one system.', evidence: 'The restore log.', cadence: { rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', start: '2027-01-01' } }] };
  await saveConfiguration('ISMS', 0, { text: JSON.stringify(followed), saved_by: lead.accountId, saved_at: '2027-03-01T09:00:00Z' });
  const { context, page, errors } = await openPage(bot);
  try {
    const activities = () => page.$$eval('table.upkeep-calendar tbody tr', (rows) => [...new Set(rows.map((r) => r.dataset.activity))].sort());
    assert.deepEqual(await activities(), ['log-review', 'restore-test']);
    const address = page.url();
    await page.selectOption('select[name="framework"]', 'nis2');
    await page.waitForSelector('#upkeep-coverage');
    assert.equal(await page.getAttribute('#upkeep-isms', 'data-state'), 'ready');
    assert.match(await page.textContent('#upkeep-coverage'), /NIS2 Article 21\(2\): 1 of 10 requirements addressed/);
    assert.deepEqual(await activities(), ['log-review'], 'the view shows the framework\'s activities only');
    assert.equal(await page.$eval('select[name="framework"]', (s) => s.value), 'nis2');
    assert.equal(page.url(), address, 'the page was redrawn, not navigated');
    assert.deepEqual(errors, []);
    assert.deepEqual(double.violations, []);
  } finally {
    await context.close();
    await double.stop();
  }
});

test('a project without the issue types Upkeep uses, on a site without a link type it uses: the page says what to add', async () => {
  double = createJiraDouble({ users: [lead], indexed: await indexedProperties(), linkTypes: defaultLinkTypes.filter((t) => t.name !== 'Relates'),
    projects: [{ ...project, name: 'ISMS', browsers: [lead.accountId], editors: [lead.accountId], admins: [lead.accountId],
      issueTypes: [{ id: '10004', name: 'Story' }] }] });
  await double.start();
  runtime.store.clear();
  await storeConfiguration();
  const { context, page, errors } = await openPage(lead);
  try {
    assert.equal(await page.getAttribute('#upkeep-isms', 'data-state'), 'ready');
    const said = await page.textContent('.upkeep-setup');
    assert.match(said, /The project has no issue type "Task", which Upkeep's control tasks and follow-ups are: a Jira administrator adds it/);
    assert.match(said, /no issue type "Nonconformity", so Upkeep reads no nonconformities and their corrective actions/);
    assert.match(said, /no issue type the configuration names as a change \(Change\), so the ISMS impact panel asks on none of its issues/);
    assert.match(said, /The site has no issue link type "Relates", which links a change to its follow-ups: a Jira administrator creates it/);
    await assertNothingWentWrong(page, errors);
  } finally {
    await context.close();
    await double.stop();
  }
});

test('the management review pack attached to the open review\'s issue as the user, with a note; the review\'s panel says where its decisions go', async () => {
  double = await startLogReviewProject({ admins: [lead] });
  runtime.store.clear();
  const review = { id: 'management-review', title: 'Management review', references: ['9.3'], owner: 'ceo', lead_time_days: 30,
    instructions: 'Hold the review.', evidence: 'The minutes.', cadence: { rrule: 'FREQ=YEARLY', start: '2027-03-15' } };
  await saveConfiguration('ISMS', 0, { text: JSON.stringify({ ...config, activities: [...config.activities, review] }), saved_by: lead.accountId,
    saved_at: '2027-03-01T09:00:00Z' });
  const issue = double.seed(bot.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary: 'Management review (due 2027-03-15)' },
    { upkeep: { key: 'control:management-review:2027-03-15', state: 'h=1', owner: 'ceo', title: 'Management review' } });
  const { context, page, errors } = await openPage(lead, { clock: new Date(`${today}T09:00:00`) });
  try {
    assert.equal(await page.$('button.upkeep-save-review-pack'), null, 'Jira keeps no wiki pages');
    await page.click(`button.upkeep-attach-review-pack`);
    await page.waitForFunction(() => /Attached /.test(document.querySelector('.upkeep-review-pack')?.textContent ?? ''), null, { timeout: 30000 });
    assert.match(await page.textContent('.upkeep-review-pack'), new RegExp(`Attached \\S+\\.html to ${issue.key}\\.`));
    const held = double.issues.get(issue.id);
    assert.deepEqual(held.attachments.map((a) => [a.mimeType, a.author.accountId]), [['text/html', lead.accountId]]);
    assert.match(held.attachments[0].filename, /\.html$/);
    assert.match(JSON.stringify(held.comments.at(-1).body), /management review input pack \(ISO 27001 9\.3\.2\)/);
    await assertNothingWentWrong(page, errors);
  } finally {
    await context.close();
  }
  // The review's own panel says where its decisions go on Jira: a section of the description.
  const panel = await openPage(lead, { issue, clock: new Date(`${today}T09:00:00`) });
  try {
    await panel.page.waitForSelector('#upkeep-evidence[data-state="ready"]', { timeout: 30000 });
    assert.match(await panel.page.textContent('#upkeep-evidence .upkeep-hint'),
      /under a heading "Review decisions", one per line as "owner: what to do \(due YYYY-MM-DD\)"/);
    await assertNothingWentWrong(panel.page, panel.errors);
  } finally {
    await panel.context.close();
    await double.stop();
  }
});

test('the ISMS page for people on a phone and with assistive technology: nothing scrolls sideways at 390 px, axe-core finds no serious or critical violation', async () => {
  double = await startLogReviewProject();
  runtime.store.clear();
  await storeConfiguration();
  const axe = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  try {
    for (const width of [1440, 390]) {
      const { context, page } = await openPage(bot);
      try {
        await page.setViewportSize({ width, height: 900 });
        const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth }));
        assert.ok(scrollWidth <= clientWidth, `the page is ${scrollWidth} px wide in a ${clientWidth} px window`);
        // Forge's policy allows no inline script: axe goes in through the browser's debugger, as Playwright evaluates.
        await page.evaluate(axe);
        const violations = await page.evaluate(async () => {
          // @ts-ignore -- axe, evaluated above
          const results = await window.axe.run(document, { resultTypes: ['violations'] });
          return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
        });
        assert.deepEqual(violations, [], `at ${width} px`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await double.stop();
  }
});

test('the issue panel of a control task: the evidence expected, then completed with a file, a link and the work date', async () => {
  double = await startLogReviewProject({ admins: [lead] });
  runtime.store.clear();
  await storeConfiguration();
  const task = [...double.issues.values()].find((i) => i.properties.upkeep?.key === 'control:log-review:2027-03-01');
  const { context, page, errors } = await openPage(bot, { issue: task, clock: new Date(`${today}T09:00:00`) });
  try {
    assert.equal(await page.getAttribute('#upkeep-evidence', 'data-state'), 'ready', await page.textContent('#upkeep-evidence'));
    assert.match(await page.textContent('#upkeep-evidence'), /Evidence the auditor expects: The review notes\./);
    await page.setInputFiles('#upkeep-evidence input[type="file"]', { name: 'review-notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Nothing unusual.') });
    await page.fill('#upkeep-evidence input[name="done-on"]', '2027-03-02');
    await page.click('#upkeep-evidence button[type="submit"]');
    await page.waitForFunction(() => /work done on 2027-03-02: late by 1 day/.test(document.querySelector('#upkeep-evidence')?.textContent ?? ''), null, { timeout: 30000 });
    const after = double.issues.get(task.id);
    assert.deepEqual(after.attachments.map((a) => [a.filename, a.size, a.author.accountId]), [['review-notes.txt', 16, bot.accountId]]);
    assert.equal(after.properties.upkeep.done_on, '2027-03-02');
    assert.match(after.properties.upkeep.state, /evidence=1/);
    assert.ok(after.resolved, 'closed through the workflow');
    await assertNothingWentWrong(page, errors);
  } finally {
    await context.close();
    await double.stop();
  }
});

test('the ISMS impact of a change issue: answered in the page, recorded as the user with its follow-ups linked on the site', async () => {
  double = await startLogReviewProject({ admins: [lead], changes: true });
  runtime.store.clear();
  await saveConfiguration('ISMS', 0, { text: JSON.stringify({ ...config, changes }), saved_by: lead.accountId, saved_at: '2027-03-01T09:00:00Z' });
  const change = double.seed(lead.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Change' }, summary: 'Move the database to <b>Hostco</b>' });
  change.duedate = '2027-04-01';
  const task = [...double.issues.values()].find((i) => i.properties.upkeep?.key === 'control:log-review:2027-03-01');
  const notAChange = await openPage(bot, { issue: task, panel: 'change-panel', clock: new Date(`${today}T09:00:00`) });
  try {
    assert.equal(await notAChange.page.getAttribute('#upkeep-change', 'data-state'), 'none');
  } finally {
    await notAChange.context.close();
  }
  const { context, page, errors } = await openPage(bot, { issue: change, panel: 'change-panel', clock: new Date(`${today}T09:00:00`) });
  try {
    assert.equal(await page.getAttribute('#upkeep-change', 'data-state'), 'unassessed', await page.textContent('#upkeep-change'));
    // Every question needs an answer: one left is marked, nothing is recorded.
    await page.check('#upkeep-change input[name="q-new-supplier"][value="yes"]');
    await page.click('#upkeep-change button[type="submit"]');
    assert.match(await page.textContent('#upkeep-change .upkeep-form-message'), /Answer every question \(1 question left, marked\)/);
    assert.equal(double.issues.get(change.id).comments.length, 0);
    await page.check('#upkeep-change input[name="q-data"][value="personal"]');
    await page.click('#upkeep-change button[type="submit"]');
    await page.waitForSelector('#upkeep-change[data-state="assessed"]', { timeout: 30000 });
    const notice = await page.textContent('#upkeep-change .upkeep-notice');
    assert.match(notice, /^Recorded: this change affects the ISMS\. 2 follow-ups to do: ISMS-\d+ Update the risk assessment \(ciso, due 2027-03-25\); ISMS-\d+ Update the records of processing \(dpo, due 2027-04-09\)\.$/);
    assert.match(await page.textContent('#upkeep-change summary'), /ISMS impact: affects the ISMS \(revision 1, 2027-03-10, by Upkeep Bot\); 2 follow-ups/);
    assert.match(await page.textContent('#upkeep-change .upkeep-before-go-live'), /Due before go-live .* and still open: ISMS-\d+ Update the risk assessment/);
    const links = await page.$$eval('#upkeep-change .upkeep-follow-ups a', (as) => as.map((a) => a.getAttribute('href')));
    assert.equal(links.length, 2);
    assert.ok(links.every((href) => /^https:\/\/example\.atlassian\.net\/browse\/ISMS-\d+$/.test(href)), links.join(' '));
    const held = double.issues.get(change.id);
    assert.deepEqual([held.properties['upkeep-change'].impact, held.comments.length, held.links.length], ['affects', 1, 2]);
    assert.ok(double.requests.filter((r) => r.method !== 'GET').every((r) => r.account === bot.accountId), 'as the user');
    await assertNothingWentWrong(page, errors);
    // The ISMS page lists the change's open follow-ups under it, its summary (people's text) as text.
    const isms = await openPage(bot, { clock: new Date(`${today}T09:00:00`) });
    try {
      const section = await isms.page.waitForSelector('.upkeep-changes');
      assert.deepEqual([await section.getAttribute('data-unassessed'), await section.getAttribute('data-follow-ups')], ['0', '2']);
      assert.match(await isms.page.textContent('.upkeep-open-follow-ups'), new RegExp(`Change ${change.key} Move the database to <b>Hostco</b>`));
      assert.equal(await isms.page.$$eval('.upkeep-changes b', (bs) => bs.length), 0, 'never drawn as HTML');
      await assertNothingWentWrong(isms.page, isms.errors);
    } finally {
      await isms.context.close();
    }
  } finally {
    await context.close();
    await double.stop();
  }
});
