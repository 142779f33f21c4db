// Stored-XSS payloads in every text Upkeep shows, in Chromium against the real Redmine: the configuration
// (organisation, activity title, instructions, evidence expected), ticket subjects and descriptions (a
// change, a nonconformity raised by hand, its corrective-action line), and what people record on a control
// task (evidence links, among them a javascript: one, and the note). The ISMS tab, the control task, the
// change ticket and the review pack they download load with them: no script runs, no dialog opens, no
// element of Upkeep's carries an event handler or a javascript: link, and the text shows as typed.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { issuesOf, loggedIn, owners, putConfig, redmineUrl, rest, scratchProject, suite, sync, upkeep } from './harness.mjs';

const TODAY = '2026-11-22';
const resources = suite({ withBrowser: true });
const cleanups = resources.cleanups;

// Each sets window.__pwned (or opens a dialog) if it ever runs.
const payload = [
  '<script>window.__pwned="script"</script>',
  '<img src=x onerror="window.__pwned=\'img\'">',
  '<svg onload="window.__pwned=\'svg\'"></svg>',
  '"><b onmouseover="alert(1)">',
  '</textarea></pre><iframe srcdoc="<script>parent.__pwned=\'iframe\'</script>">',
].join(' ');
const short = '<img src=x onerror="window.__pwned=\'img\'">'; // titles are limited to 200 characters
const link = "javascript:window.__pwned='link'";
let project;
let task;
let change;

before(async () => {
  project = (await scratchProject('xss', [...owners, 'upkeep-bot'])).identifier;
  cleanups.push(() => rest('DELETE', `/projects/${project}.json`));
  const config = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15', '--organisation', `Acme ${payload}`]));
  config.activities = config.activities.filter((a) => ['access-review', 'management-review'].includes(a.id));
  for (const a of config.activities) Object.assign(a, { title: `${a.title} ${short}`, instructions: payload, evidence: payload });
  await putConfig(project, JSON.stringify(config, null, 2), 'xss test');
  const synced = await sync(['--project', project, '--today', TODAY]);
  assert.equal(synced.status, 0, synced.stderr);

  const trackers = (await rest('GET', '/trackers.json')).body.trackers;
  const tracker = (name) => trackers.find((t) => t.name === name).id;
  const fields = Object.fromEntries((await rest('GET', `/projects/${project}.json?include=issue_custom_fields`)).body.project
    .issue_custom_fields.map((f) => [f.name, f.id]));
  change = (await rest('POST', '/issues.json', { issue: { project_id: project, tracker_id: tracker('Change'),
    subject: `Change ${payload}`, description: payload } }, 'itops')).body.issue;
  const nc = await rest('POST', '/issues.json', { issue: { project_id: project, tracker_id: tracker('Nonconformity'),
    subject: `Finding ${payload}`, description: payload,
    custom_fields: [{ id: fields['Corrective actions'], value: `itops: Fix ${payload} (due 2027-01-31)` }] } }, 'ciso');
  assert.equal(nc.status, 201, JSON.stringify(nc.body));
  assert.equal((await sync(['--project', project, '--today', TODAY])).status, 0, 'the corrective action becomes a ticket');

  // Work recorded on a control task as people would type it.
  task = (await issuesOf(project)).filter((i) => i.tracker.name === 'Control task').sort((a, b) => a.due_date.localeCompare(b.due_date))[0];
  const recorded = await rest('PUT', `/issues/${task.id}.json`, { issue: { notes: payload, custom_fields: [
    { id: fields['Evidence links'], value: `${link}\nhttps://drive.example/${payload}` },
    { id: fields['Evidence date'], value: '2026-06-01' }] } }, 'itops');
  assert.equal(recorded.status, 204);
});

/** Opens a page as ciso, counting dialogs; resolves once `ready` is in it. */
async function open(url, ready) {
  const { context, page } = await loggedIn(resources.browser, 'ciso');
  cleanups.push(() => context.close());
  const dialogs = [];
  page.on('dialog', (dialog) => { dialogs.push(dialog.message()); dialog.dismiss(); });
  await page.goto(url);
  await page.waitForSelector(ready, { timeout: 30000, state: 'attached' });
  return { page, dialogs };
}

/** Nothing ran, and Upkeep's part of the page (`root`) carries no handler, script, frame or javascript: link. */
async function assertInert(page, dialogs, root) {
  if (await page.isVisible(root)) await page.hover(root); // a mouseover handler, were there one
  await page.waitForTimeout(300); // an image's error event, were there one
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(dialogs, []);
  const found = await page.$eval(root, (el) => [...el.querySelectorAll('*')].flatMap((node) => [
    ...(['SCRIPT', 'IFRAME', 'SVG', 'svg'].includes(node.tagName) ? [node.tagName] : []),
    ...[...node.attributes].filter((a) => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)).map((a) => `${node.tagName} ${a.name}`)]));
  assert.deepEqual(found, []);
}

test('the ISMS tab shows every payload as text and runs none', async () => {
  const { page, dialogs } = await open(`${redmineUrl}/projects/${project}/isms?upkeep_today=${TODAY}`, '#upkeep-isms[data-state="ready"]');
  await page.waitForSelector('#upkeep-isms .upkeep-status[data-state="ready"]', { timeout: 30000 });
  await assertInert(page, dialogs, '#upkeep-isms');
  const text = await page.textContent('#upkeep-isms');
  assert.ok(text.includes(`User access rights review ${short}`), 'the activity title as typed');
  assert.ok(text.includes(`Change ${payload}`), 'the change subject as typed');
  assert.ok(text.includes('<img src=x onerror="window.__pwned=\'img\'">'), 'markup shows as text');

  // The review pack the tab downloads, opened as a page: inert too.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#upkeep-isms a.upkeep-export-review-pack-html')]);
  const html = await (await download.createReadStream()).toArray().then((parts) => Buffer.concat(parts).toString('utf8'));
  assert.ok(html.includes('&#60;img src=x onerror=&#34;window.__pwned='), 'the pack escapes what it carries');
  assert.ok(!html.includes('<img') && !html.includes('<script>window'), 'no markup of theirs in the pack');
  const pack = await resources.browser.newPage();
  cleanups.push(() => pack.close());
  const packDialogs = [];
  pack.on('dialog', (dialog) => { packDialogs.push(dialog.message()); dialog.dismiss(); });
  await pack.setContent(html);
  await assertInert(pack, packDialogs, 'body');
});

test('a control task shows the instructions, the evidence expected and the recorded work as text', async () => {
  const { page, dialogs } = await open(`${redmineUrl}/issues/${task.id}?upkeep_today=${TODAY}`, '#upkeep-evidence[data-state="ready"]');
  await assertInert(page, dialogs, '#upkeep-evidence');
  assert.ok((await page.textContent('#upkeep-evidence')).includes(payload), 'the evidence expected as typed');
});

test('a change ticket\'s prompt runs none of the ticket\'s text', async () => {
  const { page, dialogs } = await open(`${redmineUrl}/issues/${change.id}`, '#upkeep-change:not([data-state="loading"])');
  await assertInert(page, dialogs, '#upkeep-change');
});
