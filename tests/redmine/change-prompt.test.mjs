// "Does this change affect the ISMS?" in Chromium against the real Redmine: answers are recorded on the
// change (journal note, ISMS impact, Upkeep state), follow-ups are created with owners and due dates and
// linked; re-answering neither duplicates nor forgets; two people answering at once converge on one
// record (an answer recorded over another's is refused, and its page says so); ticket and configuration text is shown as text.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { credentials, field, loggedIn, nameOf, owners, putConfig, redmineUrl, rest, scratchProject, suite, upkeep, upkeepBin, userIds } from './harness.mjs';
import { addDays, changeSteps, isOpen, today } from './change-steps.mjs';

const resources = suite({ withBrowser: true });
const cleanups = resources.cleanups;
let project;
let config;
let ids;
let changeTracker;
let impactFieldId;

before(async () => {
  const scratch = await scratchProject('changes', [...owners, 'upkeep-bot']);
  project = scratch.identifier;
  cleanups.push(scratch.remove);
  config = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15']));
  config.changes.questions[0].help = '<img src=x onerror="window.__pwned=1"><b>bold help</b>';
  await putConfig(project, config, 'change prompt test');
  ids = await userIds();
  changeTracker = (await rest('GET', '/trackers.json')).body.trackers.find((t) => t.name === 'Change');
  impactFieldId = (await rest('GET', '/custom_fields.json')).body.custom_fields.find((f) => f.name === 'ISMS impact').id;
  steps = changeSteps(resources, project, config, changeTracker);
});

let steps;
const newChange = (...args) => steps.newChange(...args);
const openChange = (...args) => steps.openChange(...args);
const answer = (...args) => steps.answer(...args);
const followUpsOf = (...args) => steps.followUpsOf(...args);
const changeNow = (...args) => steps.changeNow(...args);
const expectedFollowUps = (...args) => steps.expectedFollowUps(...args);
const oneConsistentRecord = (...args) => steps.oneConsistentRecord(...args);

test('an unassessed change shows a banner; answering "no" records the assessment with no follow-ups', async () => {
  const change = await newChange('Rename the staging cluster');
  const page = await openChange(change.id);
  assert.equal(await page.getAttribute('#upkeep-change', 'data-state'), 'unassessed', await page.textContent('#upkeep-change'));
  assert.match(await page.textContent('.upkeep-change-banner'), /has not been assessed/);
  assert.equal(field(await changeNow(change.id), 'ISMS impact'), 'Not assessed');
  // Compact until opened: the questions are folded away.
  assert.equal(await page.$eval('#upkeep-change details', (d) => d.open), false);
  assert.equal(await page.isVisible('#upkeep-change input[name="q-new-supplier"]'), false);

  await answer(page, {});
  await page.waitForSelector('#upkeep-change[data-state="assessed"]');
  assert.equal(await page.$('.upkeep-change-banner'), null);
  assert.ok((await page.textContent('#upkeep-change summary')).endsWith(`, by ${await nameOf('itops')})`));
  assert.match(await page.textContent('#upkeep-change summary'), /^ISMS impact: no impact \(revision 1, /);
  assert.equal(await page.textContent('#upkeep-change .upkeep-notice'), 'Recorded: this change does not affect the ISMS.');

  const recorded = await changeNow(change.id);
  assert.equal(field(recorded, 'ISMS impact'), 'No impact');
  assert.match(field(recorded, 'Upkeep state'), /^assessment=1;on=\d{4}-\d\d-\d\d;by=itops;a=/);
  const note = recorded.journals.map((j) => j.notes).join('\n');
  assert.match(note, /ISMS impact assessment, revision 1, .* by itops: no impact on the ISMS\./);
  assert.match(note, /\* Does it bring in a new or changed supplier, cloud service or outsourced process\? No/);
  assert.deepEqual(await followUpsOf(change.id), []);
});

test('"new supplier" and "personal data" create the linked follow-ups with owners and due dates; re-answering does not duplicate', async () => {
  const goLive = addDays(today, 30);
  const change = await newChange('Move payroll to PayCloud', { due_date: goLive });
  const page = await openChange(change.id);
  const answers = { 'new-supplier': 'yes', data: 'personal' };
  await answer(page, answers);

  const expected = expectedFollowUps({ ...answers }, goLive);
  assert.ok(expected.length >= 4, 'the starter calls for several follow-ups here');
  const created = await followUpsOf(change.id);
  const shape = (issues) => issues.map((i) => ({ key: field(i, 'Upkeep key').replace(`:${change.id}:`, ':'),
    owner: Object.keys(ids).find((login) => ids[login] === i.assigned_to?.id), due: i.due_date }))
    .sort((a, b) => a.key.localeCompare(b.key));
  assert.deepEqual(shape(created), expected);
  const relations = (await changeNow(change.id)).relations.map((r) => (r.issue_id === change.id ? r.issue_to_id : r.issue_id));
  assert.deepEqual(relations.sort(), created.map((i) => i.id).sort());
  // The page says what happened in plain words: each follow-up's ticket, owner and due date.
  const notice = await page.textContent('#upkeep-change .upkeep-notice');
  assert.match(notice, new RegExp(`^Recorded: this change affects the ISMS\\. ${created.length} follow-ups to do: `));
  for (const f of created) {
    assert.ok(notice.includes(`#${f.id} `) && notice.includes(`(${f.assigned_to.name}, due ${f.due_date})`), `${notice} names #${f.id} and its owner`);
  }
  assert.equal(field(await changeNow(change.id), 'ISMS impact'), 'Affects the ISMS');
  const listed = await page.$$eval('#upkeep-change li[data-follow-up] a', (links) => links.map((a) => a.textContent));
  assert.deepEqual(listed.sort(), created.map((i) => `#${i.id}`).sort());
  // The page shows the new state at once, as Redmine draws it: the field, the related issues, the note.
  assert.equal((await page.textContent(`.issue .cf_${impactFieldId} .value`)).trim(), 'Affects the ISMS');
  const shownRelations = await page.$$eval('#relations a.issue', (links) => links.map((a) => a.textContent.match(/#\d+/)?.[0]));
  assert.deepEqual(shownRelations.sort(), created.map((i) => `#${i.id}`).sort());
  assert.match(await page.textContent('#history'), /ISMS impact assessment, revision 1/);

  // Follow-ups due before go-live block the change: Redmine offers no closed status until they are done;
  // the others relate to it. The prompt says which stand in the way.
  const relationsNow = (await changeNow(change.id)).relations;
  for (const f of created) {
    const rule = config.changes.follow_ups.find((r) => field(f, 'Upkeep key').endsWith(`:${r.id}`));
    const relation = relationsNow.find((r) => r.issue_id === f.id || r.issue_to_id === f.id);
    if (rule.due?.before_go_live !== undefined) assert.deepEqual([relation.relation_type, relation.issue_id, relation.issue_to_id], ['blocks', f.id, change.id]);
    else assert.equal(relation.relation_type, 'relates');
  }
  const blocking = created.filter((f) => config.changes.follow_ups.find((r) => field(f, 'Upkeep key').endsWith(`:${r.id}`)).due?.before_go_live !== undefined);
  assert.ok(blocking.length >= 1, 'the starter has follow-ups due before go-live');
  const warning = await page.textContent('#upkeep-change .upkeep-before-go-live');
  assert.match(warning, new RegExp(`^Due before go-live \\(${goLive}\\) and still open: .*The change cannot be closed until they are\\.$`));
  for (const f of blocking) assert.ok(warning.includes(`#${f.id} `), `${warning} names #${f.id}`);
  const closedStatus = (await rest('GET', '/issue_statuses.json')).body.issue_statuses.find((s) => s.is_closed);
  await rest('PUT', `/issues/${change.id}.json`, { issue: { status_id: closedStatus.id } }, 'itops');
  assert.equal((await changeNow(change.id)).status.is_closed, false, 'the change stays open');

  // The same answers again: no new revision, no second note, no new tickets.
  await page.click('#upkeep-change button[type="submit"]');
  await page.waitForFunction(() => /^Nothing new to record/.test(document.querySelector('#upkeep-change .upkeep-notice')?.textContent ?? ''),
    null, { timeout: 30000 });
  assert.match(field(await changeNow(change.id), 'Upkeep state'), /^assessment=1;/);
  assert.deepEqual((await followUpsOf(change.id)).map((i) => i.id), created.map((i) => i.id));

  // No personal data after all: only the follow-ups that depended on it are withdrawn (closed, with a note).
  await answer(page, { 'new-supplier': 'yes' });
  const afterNo = await followUpsOf(change.id);
  assert.equal(afterNo.length, created.length);
  const open = afterNo.filter(isOpen).map((i) => field(i, 'Upkeep key').split(':')[2]).sort();
  assert.deepEqual(open, expectedFollowUps({ 'new-supplier': 'yes' }, goLive).map((f) => f.key.split(':')[1]));
  const withdrawn = afterNo.find((i) => field(i, 'Upkeep key').endsWith(':privacy-review'));
  assert.equal(withdrawn.status.name, 'Closed');
  assert.match(field(withdrawn, 'Upkeep state'), /withdrawn=1/);

  // Personal data again: new tickets for the withdrawn ones (which stay closed as the record); one open
  // ticket per follow-up.
  await answer(page, answers);
  const again = await followUpsOf(change.id);
  const withdrawnCount = created.length - open.length;
  assert.equal(again.length, created.length + withdrawnCount);
  const reopenedKeys = again.filter(isOpen).map((i) => field(i, 'Upkeep key').split(':')[2]).sort();
  assert.deepEqual(reopenedKeys, expected.map((f) => f.key.split(':')[1]));
  assert.ok(again.filter(isOpen).filter((i) => !created.some((c) => c.id === i.id))
    .every((i) => /:2$/.test(field(i, 'Upkeep key'))), 'the new tickets are the second generation of their key');
  const links = await page.$$eval('#upkeep-change li[data-follow-up] a', (as) => as.map((a) => a.textContent));
  assert.deepEqual(links.sort(), again.filter(isOpen).map((i) => `#${i.id}`).sort(), 'the prompt links the current tickets');
});

test('the ISMS impact field filters the changes', async () => {
  const changes = (await rest('GET', `/issues.json?project_id=${project}&tracker_id=${changeTracker.id}&status_id=*&limit=100`)).body.issues;
  const byImpact = async (value) => (await rest('GET', `/issues.json?project_id=${project}&tracker_id=${changeTracker.id}` +
    `&status_id=*&limit=100&cf_${impactFieldId}=${encodeURIComponent(value)}`)).body.issues.map((i) => i.id).sort();
  const expected = (value) => changes.filter((i) => field(i, 'ISMS impact') === value).map((i) => i.id).sort();
  const unassessed = await newChange('Office plants');
  assert.deepEqual(await byImpact('No impact'), expected('No impact'));
  assert.equal((await byImpact('No impact')).length, 1);
  assert.equal((await byImpact('Affects the ISMS')).length, 1);
  assert.deepEqual(await byImpact('Not assessed'), [unassessed.id]);
});

test('two people answering at once end with one consistent record', async () => {
  const change = await newChange('Adopt a new CRM', { due_date: addDays(today, 20) });
  const [a, b] = await Promise.all([openChange(change.id, 'itops'), openChange(change.id, 'ciso')]);
  const answersA = { 'new-supplier': 'yes', data: 'personal' };
  const answersB = { 'new-site': 'yes' };
  await Promise.all([answer(a, answersA), answer(b, answersB)]);

  await oneConsistentRecord(change, [a, b], [answersA, answersB], addDays(today, 20));
});
test('an answer recorded over someone else\'s is refused and says whose record the ticket holds', async () => {
  // The race of the test above, made certain: ciso records while itops's PUT is on its way.
  const change = await newChange('Move the office to Leeds', { due_date: addDays(today, 30) });
  const [mine, theirs] = await Promise.all([openChange(change.id, 'itops'), openChange(change.id, 'ciso')]);
  let raced = false;
  await mine.route(`**/issues/${change.id}.json`, async (route) => {
    if (route.request().method() !== 'PUT' || raced) return route.continue();
    raced = true;
    await answer(theirs, { 'new-site': 'yes' });
    return route.continue();
  });
  await answer(mine, { 'new-supplier': 'yes' });
  const conflict = await mine.textContent('#upkeep-change .upkeep-conflict');
  assert.match(conflict, /^ciso recorded an assessment of this change while you were answering \(revision 1, shown here\)\. Yours was not recorded/);
  const shown = await mine.textContent('#upkeep-change summary');
  assert.ok(shown.includes('(revision 1, ') && shown.includes(`by ${await nameOf('ciso')})`), shown);
  const recorded = await changeNow(change.id);
  const notes = recorded.journals.filter((j) => /ISMS impact assessment/.test(j.notes ?? ''));
  assert.equal(notes.length, 1, 'only ciso\'s answer is on the record');
  assert.equal(notes[0].user.id, ids.ciso);
  assert.deepEqual((await followUpsOf(change.id)).filter(isOpen).map((i) => field(i, 'Upkeep key').split(':')[2]).sort(),
    expectedFollowUps({ 'new-site': 'yes' }, addDays(today, 30)).map((f) => f.key.split(':')[1]));
});

test('answers given on a form someone else recorded over meanwhile are not written', async () => {
  const change = await newChange('Open a support desk in Porto', { due_date: addDays(today, 30) });
  const [mine, theirs] = await Promise.all([openChange(change.id, 'itops'), openChange(change.id, 'ciso')]);
  await answer(theirs, { 'new-site': 'yes' }); // while itops's form is open, unanswered
  let puts = 0;
  await mine.route(`**/issues/${change.id}.json`, (route) => {
    if (route.request().method() === 'PUT') puts += 1;
    return route.continue();
  });
  await answer(mine, { 'new-supplier': 'yes' });
  assert.equal(puts, 0, 'nothing was written over ciso\'s record');
  assert.match(await mine.textContent('#upkeep-change .upkeep-conflict'), /^ciso recorded an assessment of this change while you were answering \(revision 1/);
  const notes = (await changeNow(change.id)).journals.filter((j) => /ISMS impact assessment/.test(j.notes ?? ''));
  assert.equal(notes.length, 1);

  // Answered again on the form that now shows ciso's record, itops's answer is revision 2.
  await answer(mine, { 'new-supplier': 'yes' });
  assert.equal(await mine.$('#upkeep-change .upkeep-conflict'), null);
  const summary = await mine.textContent('#upkeep-change summary');
  assert.ok(summary.includes('(revision 2, ') && summary.includes(`by ${await nameOf('itops')})`), summary);
});

test('a follow-up someone else linked meanwhile is not an error', async () => {
  // The race of the test above, made certain: every relation this page posts has just been created by
  // another user, so Redmine refuses it ("has already been taken").
  const change = await newChange('Add a second payroll supplier', { due_date: addDays(today, 25) });
  const page = await openChange(change.id);
  let raced = 0;
  await page.route('**/issues/*/relations.json', async (route) => {
    const request = route.request();
    if (request.method() !== 'POST') return route.continue();
    const path = new URL(request.url()).pathname.replace(/^\/upkeep\/rest/, ''); // the page goes through the plugin's relay
    const created = await rest('POST', path, JSON.parse(request.postData() ?? '{}'), 'ciso');
    assert.equal(created.status, 201, JSON.stringify(created.body));
    raced += 1;
    return route.continue();
  });
  const answers = { 'new-supplier': 'yes' };
  await answer(page, answers);
  const expected = expectedFollowUps(answers, addDays(today, 25));
  assert.equal(raced, expected.length, 'every link was raced');
  const followUps = await followUpsOf(change.id);
  assert.equal(followUps.length, expected.length);
  const relations = (await changeNow(change.id)).relations.map((r) => (r.issue_id === change.id ? r.issue_to_id : r.issue_id));
  assert.deepEqual(relations.sort(), followUps.map((i) => i.id).sort(), 'each follow-up is linked once');
});

test('ticket and configuration text are shown as text, never as HTML', async () => {
  const change = await newChange('<img src=x onerror="window.__pwned=1"> new vendor');
  const page = await openChange(change.id);
  await page.click('#upkeep-change summary');
  const help = await page.textContent('#upkeep-change fieldset[data-question="new-service"] .upkeep-help');
  assert.equal(help, '<img src=x onerror="window.__pwned=1"><b>bold help</b>');
  assert.equal(await page.$('#upkeep-change fieldset b'), null);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
});

test('tickets of other trackers get no prompt and load nothing of Upkeep', async () => {
  const bug = (await rest('GET', '/trackers.json')).body.trackers.find((t) => t.name === 'Bug');
  const created = await rest('POST', '/issues.json', { issue: { project_id: project, tracker_id: bug.id, subject: 'A bug' } }, 'itops');
  const { context, page } = await loggedIn(resources.browser, 'itops');
  cleanups.push(() => context.close());
  const loaded = [];
  page.on('request', (request) => loaded.push(request.url()));
  await page.goto(`${redmineUrl}/issues/${created.body.issue.id}`, { waitUntil: 'networkidle' });
  assert.ok(await page.$('#content div.issue'), 'the ticket page is shown');
  assert.equal(await page.$('#upkeep-change'), null);
  assert.equal(await page.$('.upkeep-change-banner'), null);
  assert.deepEqual(loaded.filter((url) => /upkeep|\.json/.test(url)), [], 'no script, wasm or REST read of Upkeep');
});

test('`upkeep changes` lists the unassessed changes from the shell', async () => {
  const changes = (await rest('GET', `/issues.json?project_id=${project}&tracker_id=${changeTracker.id}&status_id=*&limit=100`)).body.issues;
  const unassessed = changes.filter((i) => field(i, 'ISMS impact') === 'Not assessed').map((i) => i.id).sort((a, b) => a - b);
  assert.ok(unassessed.length >= 2);
  const run = (...args) => spawnSync(upkeepBin, ['changes', '--url', redmineUrl, '--project', project, ...args],
    { env: { ...process.env, UPKEEP_API_KEY: credentials.api_keys.ciso }, encoding: 'utf8' });
  const json = run('--json');
  assert.equal(json.status, 0, json.stderr);
  const report = JSON.parse(json.stdout);
  assert.deepEqual(report.unassessed.map((c) => c.id), unassessed);
  assert.deepEqual(report.assessed.map((c) => c.id).sort((a, b) => a - b),
    changes.filter((i) => field(i, 'ISMS impact') !== 'Not assessed').map((i) => i.id).sort((a, b) => a - b));
  const openFollowUps = (await rest('GET', `/issues.json?project_id=${project}&status_id=o&limit=100`)).body.issues
    .filter((i) => i.tracker.name === 'ISMS follow-up');
  assert.deepEqual(report.open_follow_ups.map((f) => f.id).sort((a, b) => a - b), openFollowUps.map((i) => i.id).sort((a, b) => a - b));
  const escape = await newChange('Colour \u001b[31mred\u001b[0m and \u009b2J');
  const text = run();
  assert.equal(text.status, 0, text.stderr);
  assert.ok(text.stdout.includes(`#${escape.id}  Colour ?[31mred?[0m and ?2J`), 'control characters are not printed');
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text.stdout));
  assert.match(text.stdout, new RegExp(`^${unassessed.length + 1} open change\\(s\\) not assessed`));
  assert.match(text.stdout, /#\d+ {2}<img src=x onerror="window.__pwned=1"> new vendor/);
});

test('a routine change: the unanswered questions are marked, and "No to all unanswered questions" answers them', async () => {
  const goLive = addDays(today, 30);
  const change = await newChange('Rotate the backup encryption key', { due_date: goLive });
  const page = await openChange(change.id);
  await page.click('#upkeep-change summary');
  await page.check('#upkeep-change input[name="q-new-supplier"][value="yes"]');
  await page.click('#upkeep-change button[type="submit"]');
  const left = config.changes.questions.length - 1;
  assert.equal(await page.textContent('#upkeep-change .upkeep-form-message'),
    `Answer every question (${left} ${left === 1 ? 'question' : 'questions'} left, marked): "no" is an answer too.`);
  assert.equal(await page.$$eval('#upkeep-change fieldset.upkeep-unanswered', (f) => f.length), left);
  assert.deepEqual(await followUpsOf(change.id), [], 'nothing recorded');

  await page.click('#upkeep-change button.upkeep-no-to-rest');
  assert.equal(await page.$$eval('#upkeep-change fieldset.upkeep-unanswered', (f) => f.length), 0);
  assert.equal(await page.isChecked('#upkeep-change input[name="q-new-supplier"][value="yes"]'), true, 'a given answer stays');
  await page.click('#upkeep-change button[type="submit"]');
  await page.waitForSelector('#upkeep-change[data-state="assessed"]');
  const created = await followUpsOf(change.id);
  assert.deepEqual(created.map((i) => field(i, 'Upkeep key').replace(`:${change.id}:`, ':')).sort(),
    expectedFollowUps({ 'new-supplier': 'yes' }, goLive).map((f) => f.key));
  // Each follow-up is named after its change, so that a list of tickets says which change it serves.
  for (const f of created) assert.match(f.subject, new RegExp(` for change #${change.id}: Rotate the backup encryption key$`), f.subject);

  // The same answers sent again: nothing new is recorded, and the page says so.
  const notes = (await changeNow(change.id)).journals.filter((j) => j.notes).length;
  await page.click('#upkeep-change button[type="submit"]');
  await page.waitForFunction(() => /^Nothing new to record: these are the answers of revision 1\.$/
    .test(document.querySelector('#upkeep-change .upkeep-notice')?.textContent ?? ''), null, { timeout: 30000 });
  assert.equal((await changeNow(change.id)).journals.filter((j) => j.notes).length, notes);

  // On the ISMS tab, the open follow-ups stand under the change that called for them.
  const tab = await openChange(change.id, 'ciso');
  await tab.goto(`${redmineUrl}/projects/${project}/isms`);
  await tab.waitForSelector('#upkeep-isms[data-state="ready"]', { timeout: 30000 });
  const grouped = await tab.$$eval(`.upkeep-open-follow-ups > li[data-change="${change.id}"] li[data-follow-up]`, (lis) => lis.map((li) => Number(li.dataset.followUp)));
  assert.deepEqual(grouped.sort(), created.map((i) => i.id).sort());
  assert.match(await tab.textContent(`.upkeep-open-follow-ups > li[data-change="${change.id}"]`), /^Change #\d+ Rotate the backup encryption key/);
});
