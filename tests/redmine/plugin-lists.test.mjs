// The plugin's ticket lists (GET /projects/ID/upkeep_issues.json), which the ISMS tab reads instead of
// Redmine's own list, against Redmine's own list on a real project: for every list the core asks for, the
// same tickets in the same order, each field the plugin gives equal to Redmine's, files included; the same
// pages; the same refusals (a non-member, a bad filter); private tickets hidden alike; and the ISMS tab
// reading through it on the page's relay.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loggedIn, owners, putConfig, redmineUrl, rest, scratchProject, suite, sync, upkeep, uploadToken } from './harness.mjs';

const TODAY = '2026-11-22';
const resources = suite({ withBrowser: true });
let project;
let projectId;
let ids;

/** The same list from Redmine and from the plugin, as `login`. */
async function bothLists(filters, login = 'ciso') {
  const query = `subproject_id=!*&status_id=*&${filters}&sort=id`;
  const redmine = await rest('GET', `/issues.json?project_id=${projectId}&${query}`, undefined, login);
  const plugin = await rest('GET', `/projects/${projectId}/upkeep_issues.json?${query}`, undefined, login);
  return { redmine, plugin };
}

/** A ticket's custom fields as the plugin gives them: Redmine's, without their names and without those that
 * have no value. */
const withValues = (fields) => fields.filter(({ value }) => value !== null && value !== '' && !(Array.isArray(value) && !value.length))
  .map(({ name: _, ...field }) => field);

/** Every field the plugin gives for a ticket is Redmine's (files without their thumbnails, custom fields
 * `withValues`), and its author's login is the account's as `login` may read it (GET /users/ID.json), given
 * only when they may. */
async function assertSameTickets(redmine, plugin, what, login = 'ciso') {
  assert.deepEqual(plugin.issues.map((i) => i.id), redmine.issues.map((i) => i.id), `${what}: the same tickets in the same order`);
  assert.equal(plugin.total_count, redmine.total_count, `${what}: total_count`);
  for (const [k, issue] of plugin.issues.entries()) {
    const theirs = redmine.issues[k];
    for (const [name, value] of Object.entries(issue)) {
      const expected = name === 'attachments' ? theirs.attachments.map(({ thumbnail_url: _, ...file }) => file)
        : name === 'custom_fields' ? withValues(theirs.custom_fields) : theirs[name];
      if (name !== 'author') assert.deepEqual(value, expected, `${what}: #${issue.id} ${name}`);
    }
    const { login: authorLogin, ...author } = issue.author;
    assert.deepEqual(author, theirs.author, `${what}: #${issue.id} author`);
    const account = await rest('GET', `/users/${author.id}.json`, undefined, login);
    assert.equal(authorLogin, account.status === 200 ? account.body.user.login : undefined, `${what}: #${issue.id} author's login`);
    for (const name of ['id', 'project', 'tracker', 'status', 'author', 'subject', 'description', 'due_date', 'custom_fields', 'closed_on'])
      if (name in theirs) assert.ok(name in issue, `${what}: #${issue.id} has ${name}`);
  }
}

before(async () => {
  const scratch = await scratchProject('lists', [...owners, 'upkeep-bot']);
  project = scratch.identifier;
  resources.cleanups.push(scratch.remove);
  projectId = (await rest('GET', `/projects/${project}.json`)).body.project.id;
  const config = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15']));
  await putConfig(project, config, 'plugin lists test');
  const synced = await sync(['--project', project, '--today', TODAY]);
  assert.equal(synced.status, 0, synced.stderr);

  const trackers = (await rest('GET', '/trackers.json')).body.trackers;
  const fields = (await rest('GET', '/custom_fields.json')).body.custom_fields;
  ids = {
    key: fields.find((f) => f.name === 'Upkeep key').id,
    nonconformity: trackers.find((t) => t.name === 'Nonconformity').id,
    change: trackers.find((t) => t.name === 'Change').id,
    followUp: trackers.find((t) => t.name === 'ISMS follow-up').id,
  };
  // A file on one of Upkeep's tickets, a closed one, a nonconformity, a private change and a follow-up.
  const keyed = (await bothLists(`cf_${ids.key}=*`)).redmine.body.issues;
  const token = await uploadToken('restore-log.txt', 'restored', 'ciso');
  assert.equal((await rest('PUT', `/issues/${keyed[0].id}.json`, { issue: { notes: 'evidence',
    uploads: [{ token, filename: 'restore-log.txt', content_type: 'text/plain' }] } }, 'ciso')).status, 204);
  const closed = (await rest('GET', '/issue_statuses.json')).body.issue_statuses.find((s) => s.is_closed);
  assert.equal((await rest('PUT', `/issues/${keyed[1].id}.json`, { issue: { status_id: closed.id } }, 'ciso')).status, 204);
  const made = {};
  for (const [name, tracker, isPrivate] of [['nonconformity', ids.nonconformity, false], ['change', ids.change, true]]) {
    const ticket = await rest('POST', '/issues.json', { issue: { project_id: projectId, tracker_id: tracker, is_private: isPrivate,
      subject: `Raised by <b>people</b> (${isPrivate ? 'private' : 'public'})` } }, 'ciso');
    assert.equal(ticket.status, 201, JSON.stringify(ticket.body));
    made[name] = ticket.body.issue;
  }
  const followUp = await rest('POST', '/issues.json', { issue: { project_id: projectId, tracker_id: ids.followUp,
    subject: `Update the risk assessment for change #${made.change.id}`,
    custom_fields: [{ id: ids.key, value: `change:${made.change.id}:risk` }] } }, 'upkeep-bot');
  assert.equal(followUp.status, 201, JSON.stringify(followUp.body));
});

test('every list the core reads is the same from the plugin as from Redmine, files included', async () => {
  const lists = {
    "Upkeep's tickets with their files": `cf_${ids.key}=*&include=attachments`,
    'the nonconformities': `tracker_id=${ids.nonconformity}`,
    'the change tickets': `tracker_id=${encodeURIComponent(`${ids.change}|${ids.followUp}`)}`,
    'the change follow-ups': `tracker_id=${ids.followUp}&cf_${ids.key}=${encodeURIComponent('~change:')}`,
  };
  const first = (await bothLists(`cf_${ids.key}=*`)).redmine.body.issues[0];
  lists['one ticket by its key'] = `cf_${ids.key}=${encodeURIComponent(first.custom_fields.find((f) => f.id === ids.key).value)}`;
  for (const [what, filters] of Object.entries(lists)) {
    const { redmine, plugin } = await bothLists(`${filters}&limit=100`);
    assert.equal(redmine.status, 200);
    assert.equal(plugin.status, 200, JSON.stringify(plugin.body));
    assert.ok(redmine.body.issues.length > 0, `${what}: the project has some`);
    await assertSameTickets(redmine.body, plugin.body, what);
  }
  const files = (await bothLists(`cf_${ids.key}=*&include=attachments&limit=100`)).plugin.body.issues.flatMap((i) => i.attachments);
  assert.deepEqual(files.map((f) => f.filename), ['restore-log.txt']);
  assert.match(files[0].content_url, /\/attachments\/download\/\d+\/restore-log\.txt$/);
});

test('pages: the same tickets at the same offsets, up to 1,000 a page where Redmine stops at 100', async () => {
  const { redmine, plugin } = await bothLists(`cf_${ids.key}=*&limit=7&offset=14`);
  await assertSameTickets(redmine.body, plugin.body, 'the third page of 7');
  assert.deepEqual([plugin.body.offset, plugin.body.limit], [14, 7]);
  const large = await bothLists(`cf_${ids.key}=*&limit=5000`);
  assert.deepEqual([large.redmine.body.limit, large.plugin.body.limit], [100, 1000]);
});

test('who may not read the tickets, and a filter Redmine refuses, are refused alike', async () => {
  const outsider = await bothLists(`cf_${ids.key}=*`, 'outsider');
  assert.equal(outsider.redmine.status, 403);
  assert.equal(outsider.plugin.status, 403);
  const anonymous = await fetch(`${redmineUrl}/projects/${projectId}/upkeep_issues.json`);
  assert.equal(anonymous.status, 401);
  const badDate = await bothLists('created_on=>=not-a-date');
  assert.equal(badDate.redmine.status, 422);
  assert.equal(badDate.plugin.status, 422);
  assert.deepEqual(badDate.plugin.body, badDate.redmine.body);
});

test('a private ticket is listed to whom Redmine lists it, and to nobody else', async () => {
  const changes = `tracker_id=${ids.change}&limit=100`;
  for (const login of ['ciso', 'secops']) {
    const { redmine, plugin } = await bothLists(changes, login);
    await assertSameTickets(redmine.body, plugin.body, `the changes as ${login}`, login);
  }
  const asManager = (await bothLists(changes, 'ciso')).plugin.body.issues;
  const asDeveloper = (await bothLists(changes, 'secops')).plugin.body.issues;
  assert.equal(asManager.length, 1, 'a manager (who sees every ticket) sees the private change');
  assert.equal(asDeveloper.length, 0, 'a developer (public tickets and their own) does not');
});

test('the ISMS tab reads its ticket lists from the plugin, on the page\'s relay', async () => {
  const { context, page } = await loggedIn(resources.browser, 'ciso');
  resources.cleanups.push(() => context.close());
  const lists = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (/\/upkeep\/rest\/(issues|projects\/\d+\/upkeep_issues)\.json$/.test(path)) lists.push(path.replace(/^.*\/upkeep\/rest/, ''));
  });
  await page.goto(`${redmineUrl}/projects/${project}/isms?upkeep_today=${TODAY}`);
  await page.locator('#upkeep-isms[data-state="ready"]').waitFor({ timeout: 60000 });
  assert.ok(lists.length >= 2, `the tab read its lists (${lists.join(', ')})`);
  assert.deepEqual([...new Set(lists)], [`/projects/${projectId}/upkeep_issues.json`]);
});
