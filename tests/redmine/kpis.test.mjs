// KPIs and the management review pack in Chromium against the real Redmine, on a seeded history: a
// training ticket completed in the browser with the people counts, an incident with its dates, a
// control task done late. The KPI table equals `upkeep status --json` over the same tickets and a few
// values are pinned by hand; the review pack downloads with every 9.3.2 input, saves as a wiki page in
// Redmine's markup and is attached to the management review ticket as HTML, ticket text shown as text;
// decisions written on the review ticket become tickets and the pack lists their status.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { credentials, field, issuesOf, loggedIn, owners, putConfig, redmineUrl, rest, scratchProject, statusJson, suite, sync, upkeep, userIds } from './harness.mjs';

const TODAY = '2026-11-22';
const resources = suite({ withBrowser: true });
const cleanups = resources.cleanups;
let project;
let incident;
let training;
let organisation;

before(async () => {
  const scratch = await scratchProject('kpis', [...owners, 'upkeep-bot']);
  project = scratch.identifier;
  cleanups.push(scratch.remove);
  const config = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15']));
  organisation = config.organisation.name;
  // The management review (last weekday of November 2026, 30 days' lead) has its ticket by TODAY.
  config.activities = config.activities.filter((a) => ['access-review', 'awareness-training', 'management-review'].includes(a.id));
  // Objectives (6.2) with targets, measured by the KPIs.
  config.metrics = { ...config.metrics, objectives: [
    { objective: 'Train everyone in scope', kpi: 'training-completion', at_least: 95 },
    { objective: 'Resolve incidents within 5 days', kpi: 'time-to-resolve', at_most: 5 },
    { objective: 'Assess every change before it closes', kpi: 'changes-assessed', at_least: 100 }] };
  await putConfig(project, config, 'kpi test');
  const synced = await sync(['--project', project, '--today', TODAY]);
  assert.equal(synced.status, 0, synced.stderr);
  training = (await issuesOf(project)).find((i) => String(field(i, 'Upkeep key')).startsWith('control:awareness-training:'));
  assert.ok(training, 'the sync made a training ticket');

  const trackers = (await rest('GET', '/trackers.json')).body.trackers;
  const fields = (await rest('GET', '/custom_fields.json')).body.custom_fields;
  const fieldId = (name) => fields.find((f) => f.name === name).id;
  const created = await rest('POST', '/issues.json', { issue: { project_id: project, tracker_id: trackers.find((t) => t.name === 'Incident').id,
    subject: 'Phishing <script>alert(1)</script> wave', custom_fields: [{ id: fieldId('Severity'), value: 'High' },
      { id: fieldId('Occurred on'), value: '2026-10-01' }, { id: fieldId('Detected on'), value: '2026-10-03' },
      { id: fieldId('Resolved on'), value: '2026-10-06' }] } }, 'secops');
  assert.equal(created.status, 201, JSON.stringify(created.body));
  incident = created.body.issue;
});

async function page(login, path) {
  const { context, page: p } = await loggedIn(resources.browser, login);
  cleanups.push(() => context.close());
  await p.goto(`${redmineUrl}${path}`);
  return p;
}

test('completing a training ticket records how many people were in scope and completed it', async () => {
  const p = await page('hr', `/issues/${training.id}?upkeep_today=${TODAY}`);
  await p.waitForSelector('#upkeep-evidence[data-state="ready"]', { timeout: 20000 });
  await p.fill('#upkeep-evidence textarea[name="evidence-links"]', 'https://lms.example/report-2026');
  await p.fill('#upkeep-evidence input[name="people-in-scope"]', '40');
  await p.fill('#upkeep-evidence input[name="people-completed"]', '41');
  await p.click('#upkeep-evidence button[type="submit"]');
  assert.match(await p.textContent('#upkeep-evidence .upkeep-form-message'), /no more than in scope/);
  await p.fill('#upkeep-evidence input[name="people-completed"]', '37');
  await Promise.all([p.waitForNavigation(), p.click('#upkeep-evidence button[type="submit"]')]);
  const issue = (await rest('GET', `/issues/${training.id}.json?include=journals`)).body.issue;
  assert.equal(issue.status.name, 'Closed');
  assert.equal(field(issue, 'People in scope'), '40');
  assert.equal(field(issue, 'People completed'), '37');
  assert.match(issue.journals.map((j) => j.notes).join('\n'), /Training completed by 37 of 40 people in scope\./);
});

test('the KPIs show with their definitions, as `upkeep status` computes them, and link their tickets', async () => {
  const p = await page('ciso', `/projects/${project}/isms?upkeep_today=${TODAY}`);
  await p.waitForSelector('#upkeep-isms .upkeep-status[data-state="ready"]', { timeout: 30000 });
  const cli = statusJson(project, TODAY);
  const expected = cli.kpis;
  const shown = await p.$$eval('.upkeep-kpi-table tr[data-kpi]', (rows) => rows.map((r) => ({ id: r.dataset.kpi, value: r.dataset.value,
    definition: r.querySelector('.upkeep-help').textContent, tickets: [...r.querySelectorAll('.upkeep-kpi-tickets a')].map((a) => a.textContent) })));
  assert.deepEqual(shown.map((k) => k.id), expected.map((k) => k.id));
  for (const [i, kpi] of expected.entries()) {
    const now = kpi.periods.at(-1);
    assert.equal(shown[i].value, now.value === null ? '' : String(now.value), kpi.id);
    assert.equal(shown[i].definition, kpi.definition);
    assert.deepEqual(shown[i].tickets, now.tickets.slice(0, 25).map((t) => `#${t}`), kpi.id);
  }
  // By hand: 37 of 40 trained; one High incident, detected in 2 days, resolved 3 days later.
  const cell = async (id) => p.textContent(`.upkeep-kpi-table tr[data-kpi="${id}"] td:nth-child(2)`);
  assert.match(await cell('training-completion'), /^92% \(37 of 40\) \d{4}-\d\d-\d\d: 37 of 40$/, 'the share, then each occurrence');
  assert.equal(await cell('incidents'), '1 (High 1)');
  assert.equal(await cell('time-to-detect'), '2.0 days');
  assert.equal(await cell('time-to-resolve'), '3.0 days');
  assert.equal(await cell('changes-assessed'), 'n/a (no change ticket was closed in this period)', 'the words of `upkeep status`');
  assert.deepEqual(await p.$$eval('.upkeep-kpi-table tr[data-kpi="incidents"] .upkeep-kpi-tickets a', (as) => as.map((a) => a.getAttribute('href'))),
    [`/issues/${incident.id}`]);

  // The objectives: each with its target and whether this period met it, as `upkeep status` says, and by hand:
  // 37 of 40 is under 95%; 3.0 days is within 5; no change closed, so not measured.
  const objectives = cli.objectives;
  const rows = await p.$$eval('.upkeep-objective-table tr[data-kpi]', (trs) => trs.map((r) => ({ kpi: r.dataset.kpi, met: r.dataset.met,
    cells: [...r.querySelectorAll('td')].map((td) => td.textContent) })));
  assert.deepEqual(rows.map((r) => r.kpi), objectives.map((o) => o.kpi));
  assert.deepEqual(rows.map((r) => r.met), objectives.map((o) => (o.periods.at(-1).met === null ? '' : String(o.periods.at(-1).met))));
  assert.deepEqual(rows.map((r) => r.cells.slice(0, 5)), [
    ['Train everyone in scope', 'Awareness training completion', 'at least 95%', '92% (37 of 40)', '✕ not met'],
    ['Resolve incidents within 5 days', 'Mean time to resolve', 'at most 5 days', '3.0 days', '✓ met'],
    ['Assess every change before it closes', 'Changes assessed before they were closed', 'at least 100%',
      'n/a (no change ticket was closed in this period)', '– not measured']]);
});

test('the management review pack downloads, saves as a wiki page and attaches to the review ticket, ticket text as text', async () => {
  // A decision of the last review, raised as an opportunity for improvement; the sync turns its action into a ticket.
  const trackers = (await rest('GET', '/trackers.json')).body.trackers;
  const fields = (await rest('GET', '/custom_fields.json')).body.custom_fields;
  const fieldId = (name) => fields.find((f) => f.name === name).id;
  const subject = 'Review the *supplier* register "x":javascript:alert(1) <script>window.__pwned=1</script> quarterly';
  const decision = (await rest('POST', '/issues.json', { issue: { project_id: project, tracker_id: trackers.find((t) => t.name === 'Nonconformity').id,
    subject, custom_fields: [{ id: fieldId('NC source'), value: 'Management review' },
      { id: fieldId('NC grade'), value: 'Opportunity for improvement' },
      { id: fieldId('Corrective actions'), value: 'purchasing: Add the quarterly review to the calendar (due 2027-01-31)' }] } }, 'ciso')).body.issue;
  const synced = await sync(['--project', project, '--today', TODAY]);
  assert.equal(synced.status, 0, synced.stderr);
  const action = (await issuesOf(project)).find((i) => String(field(i, 'Upkeep key')).startsWith(`ca:${decision.id}:`));
  assert.ok(action, 'the sync made the decision\'s action a ticket');
  const review = (await issuesOf(project)).find((i) => field(i, 'Upkeep key') === 'control:management-review:2026-11-30');
  assert.ok(review, 'the sync made the management review ticket');

  const p = await page('ciso', `/projects/${project}/isms?upkeep_today=${TODAY}`);
  await p.waitForSelector('#upkeep-isms .upkeep-status[data-state="ready"]', { timeout: 30000 });
  const downloaded = async (as) => {
    const [download] = await Promise.all([p.waitForEvent('download'), p.click(`.upkeep-other-formats a.upkeep-export-review-pack-${as}`)]);
    return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
  };
  const markdown = await downloaded('markdown');
  assert.match(markdown.name, /^management-review-input-\d{4}-\d\d-\d\d\.md$/);
  const pack = markdown.text;
  for (const section of ['## a) Status of actions from previous management reviews', '## b) and c) Changes', '## d) Information security performance',
    '### Monitoring and measurement results', '### Audit results', '## e) Feedback from interested parties', '## f) Results of risk assessment',
    '## g) Opportunities for continual improvement', '## Decisions and actions']) assert.ok(pack.includes(section), section);
  const md = (text) => text.replace(/[\\`*_{}[\]()<>#+\-.!|~&]/g, (c) => `\\${c}`);
  assert.ok(pack.includes(`| Awareness training completion | ${md('92% (37 of 40)')} |`), pack);
  assert.ok(pack.includes(`| Train everyone in scope | Awareness training completion | at least 95% | ${md('92% (37 of 40)')} | not met |`), pack);
  assert.ok(pack.includes('| Resolve incidents within 5 days | Mean time to resolve | at most 5 days | 3\\.0 days | met |'), pack);
  assert.ok(pack.includes('- No occurrence of ISMS management review has fallen due yet.\n'));
  assert.ok(pack.includes(`- #${decision.id} ${md(subject)} (open)\n  - #${action.id} ${md(action.subject)}: open, due 2027-01-31\n`), pack.slice(0, 1500));

  // The wiki page is in Redmine's own markup (Textile here): headings and links, the subject as typed.
  await p.click('.upkeep-review-pack .upkeep-save-review-pack');
  await p.waitForSelector('.upkeep-review-pack .upkeep-form-message a');
  const title = await p.textContent('.upkeep-review-pack .upkeep-form-message a');
  // The tab is viewed as of TODAY; what it writes is made as of the real date.
  assert.equal(title, `Management_review_input_${await p.evaluate(() => new Date().toLocaleDateString('sv'))}`);
  const stored = (await rest('GET', `/projects/${project}/wiki/${title}.json`)).body.wiki_page.text;
  assert.ok(stored.includes('h2. d) Information security performance'), stored.slice(0, 200));
  const rendered = await page('ciso', `/projects/${project}/wiki/${title}`);
  const headings = (level) => rendered.$$eval(`#content .wiki ${level}`, (hs) => hs.map((h) => h.textContent.replace(/¶$/, '').trim()));
  assert.deepEqual(await headings('h1'), [`Management review input: ${organisation}`]);
  assert.ok((await headings('h2')).includes('d) Information security performance'));
  assert.equal(await rendered.$$eval('#content .wiki table th', (ths) => ths.map((th) => th.textContent.trim()).join('|')),
    'KPI|this period|previous periods|objective|measured by|target|this period|result|previous periods', 'the KPIs, then the objectives');
  const decisionItem = await rendered.$eval(`#content .wiki li:has(a[href$="/issues/${decision.id}"])`, (li) => li.textContent);
  assert.ok(decisionItem.startsWith(`#${decision.id} ${subject} (open)`), decisionItem);
  assert.equal(await rendered.$('#content .wiki strong, #content script, #content a[href^="javascript"]'), null);
  assert.equal(await rendered.evaluate(() => window.__pwned), undefined);

  // The HTML page goes to the open management review ticket.
  const attach = await p.$('.upkeep-review-pack .upkeep-attach-review-pack');
  assert.equal(await attach.textContent(), `Attach to #${review.id}`);
  await attach.click();
  await p.waitForSelector('.upkeep-review-pack .upkeep-form-message a[href$="/issues/' + review.id + '"]');
  const attached = (await rest('GET', `/issues/${review.id}.json?include=attachments,journals`)).body.issue;
  assert.equal(attached.attachments.length, 1);
  assert.match(attached.attachments[0].filename, /^management-review-input-\d{4}-\d\d-\d\d\.html$/);
  assert.match(attached.journals.at(-1).notes, /management review input pack/);
  const html = await (await fetch(attached.attachments[0].content_url, { headers: { 'X-Redmine-API-Key': credentials.api_keys.ciso } })).text();
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  assert.ok(html.includes('<h2>d) Information security performance</h2>'));
  assert.ok(html.includes(`<a href="${redmineUrl}/issues/${decision.id}">#${decision.id}</a> Review the *supplier* register &#34;x&#34;:javascript:alert(1) ` +
    '&#60;script&#62;window.__pwned=1&#60;/script&#62; quarterly (open)'), html.slice(0, 2000));
  assert.ok(!html.includes('<script'));
});


test('decisions written on the review ticket become tickets, once, and the pack lists their status', async () => {
  const review = (await issuesOf(project)).find((i) => field(i, 'Upkeep key') === 'control:management-review:2026-11-30');
  const fields = (await rest('GET', '/custom_fields.json')).body.custom_fields;
  const decisionsField = fields.find((f) => f.name === 'Review decisions').id;
  // The decisions are written in Redmine's own form on the review ticket, one per line.
  const edit = await page('ciso', `/issues/${review.id}/edit`);
  await edit.fill(`#issue_custom_field_values_${decisionsField}`, [
    'itops: Budget a SIEM <img src=x onerror="window.__pwned=1"> (due 2027-02-15)',
    'hr: Brief new starters on phishing',
    'nobody told us who',
    'outsider: Not a member of the project'].join('\n'));
  await Promise.all([edit.waitForNavigation(), edit.click('#issue-form input[name="commit"]')]);
  assert.match(field((await rest('GET', `/issues/${review.id}.json`)).body.issue, 'Review decisions'), /^itops: Budget a SIEM/);

  const synced = await sync(['--project', project, '--today', TODAY]);
  assert.equal(synced.status, 0, synced.stderr);
  assert.match(synced.stdout + synced.stderr, new RegExp(`review #${review.id}, decisions line 3: start with the owner's login`));
  assert.match(synced.stdout + synced.stderr, new RegExp(`decision recorded on review #${review.id}: "outsider" is not a member of the project, so it is skipped`));
  const decisions = () => issuesOf(project).then((all) => all.filter((i) => String(field(i, 'Upkeep key')).startsWith(`decision:${review.id}:`)));
  const made = await decisions();
  const ids = await userIds();
  assert.deepEqual(made.map((i) => [i.tracker.name, i.assigned_to?.id, i.subject]), [
    ['ISMS follow-up', ids.itops, `Review decision (#${review.id}): Budget a SIEM <img src=x onerror="window.__pwned=1">`],
    ['ISMS follow-up', ids.hr, `Review decision (#${review.id}): Brief new starters on phishing`]]);
  assert.equal(made[0].due_date, '2027-02-15');
  assert.match(made[1].due_date, /^\d{4}-\d\d-\d\d$/, 'a line without a deadline gets the default one');
  const again = await sync(['--project', project, '--today', TODAY]);
  assert.equal(again.status, 0, again.stderr);
  assert.equal((await decisions()).length, 2, 'a second sync makes no second ticket');

  // The review is closed, HR closes their decision; the next pack starts with both decisions and where they
  // stand (while the review was open they were its outputs, not the pack's inputs).
  const closed = (await rest('GET', '/issue_statuses.json')).body.issue_statuses.find((s) => s.name === 'Closed').id;
  assert.equal((await rest('PUT', `/issues/${review.id}.json`, { issue: { status_id: closed } }, 'ciso')).status, 204);
  assert.equal((await rest('PUT', `/issues/${made[1].id}.json`, { issue: { status_id: closed } }, 'hr')).status, 204);
  const p = await page('ciso', `/projects/${project}/isms?upkeep_today=${TODAY}`);
  await p.waitForSelector('#upkeep-isms .upkeep-status[data-state="ready"]', { timeout: 30000 });
  const [download] = await Promise.all([p.waitForEvent('download'), p.click('.upkeep-other-formats a.upkeep-export-review-pack-markdown')]);
  const pack = readFileSync(await download.path(), 'utf8');
  const md = (text) => text.replace(/[\\`*_{}[\]()<>#+\-.!|~&]/g, (c) => `\\${c}`);
  const start = pack.indexOf('## a) Status of actions from previous management reviews');
  assert.ok(pack.indexOf(`- Decisions of the review #${review.id}:\n` +
    `  - #${made[0].id} ${md(made[0].subject)}: open, due 2027-02-15\n` +
    `  - #${made[1].id} ${md(made[1].subject)}: done `) > start, pack.slice(start, start + 1500));
  assert.ok(start < pack.indexOf('## b) and c)'));
  assert.equal(await p.evaluate(() => window.__pwned), undefined);
});

test('without the follow-up tracker, review decisions wait with a notice and nothing is written for them', async () => {
  const scratch = await scratchProject('no-follow-up', [...owners, 'upkeep-bot']);
  cleanups.push(scratch.remove);
  const config = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15']));
  config.activities = config.activities.filter((a) => a.id === 'management-review');
  await putConfig(scratch.identifier, config, 'no follow-up tracker');
  assert.equal((await sync(['--project', scratch.identifier, '--today', TODAY])).status, 0);
  const review = (await issuesOf(scratch.identifier)).find((i) => field(i, 'Upkeep key') === 'control:management-review:2026-11-30');
  const fields = (await rest('GET', '/custom_fields.json')).body.custom_fields;
  assert.equal((await rest('PUT', `/issues/${review.id}.json`, { issue: { custom_fields: [
    { id: fields.find((f) => f.name === 'Review decisions').id, value: 'itops: Budget a SIEM' }] } }, 'ciso')).status, 204);
  const trackers = (await rest('GET', '/trackers.json')).body.trackers;
  assert.equal((await rest('PUT', `/projects/${scratch.identifier}.json`, { project: {
    tracker_ids: trackers.filter((t) => t.name !== 'ISMS follow-up').map((t) => t.id) } })).status, 204);
  const waiting = await sync(['--project', scratch.identifier, '--today', TODAY]);
  assert.equal(waiting.status, 0, waiting.stderr);
  assert.match(waiting.stdout + waiting.stderr, /review decisions wait: the project has no "ISMS follow-up" tracker \(run `rake upkeep:setup`\)/);
  assert.equal((await issuesOf(scratch.identifier)).filter((i) => String(field(i, 'Upkeep key')).startsWith('decision:')).length, 0);
});
