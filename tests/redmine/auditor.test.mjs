// The auditor's seat (`rake upkeep:setup`'s Auditor role), against the real Redmine: an auditor reads
// Upkeep's tickets and their files, the configuration and the ISMS tab with the figures the ISMS manager
// sees, and downloads the evidence register; they cannot read the project's other tickets, edit a ticket or
// a page, sync (the tab offers no Sync now; `upkeep sync` on their key writes nothing) or read anyone
// else's API key.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { credentials, issuesOf, loggedIn, owners, putConfig, redmineUrl, rest, scratchProject, suite, sync, upkeep, uploadToken, userIds } from './harness.mjs';

const TODAY = '2026-11-22';
const resources = suite({ withBrowser: true });
let project;
let projectId;
let upkeepTicket;
let otherTicket;
let file;

before(async () => {
  const scratch = await scratchProject('audit', [...owners, 'upkeep-bot', 'auditor']);
  project = scratch.identifier;
  resources.cleanups.push(scratch.remove);
  projectId = (await rest('GET', `/projects/${project}.json`)).body.project.id;
  await putConfig(project, JSON.parse(upkeep(['init', '--decision-date', '2026-03-15'])), 'auditor test');
  const synced = await sync(['--project', project, '--today', TODAY]);
  assert.equal(synced.status, 0, synced.stderr);

  // A file on one of Upkeep's tickets, and a ticket of a tracker that is not Upkeep's.
  upkeepTicket = (await issuesOf(project)).find((i) => i.tracker.name === 'Control task');
  const token = await uploadToken('access-review.csv', 'user,decision\n', 'ciso');
  assert.equal((await rest('PUT', `/issues/${upkeepTicket.id}.json`, { issue: { notes: 'evidence',
    uploads: [{ token, filename: 'access-review.csv', content_type: 'text/csv' }] } }, 'ciso')).status, 204);
  file = (await rest('GET', `/issues/${upkeepTicket.id}.json?include=attachments`, undefined, 'ciso')).body.issue.attachments[0];
  const upkeeps = ['Control task', 'Corrective action', 'Nonconformity', 'ISMS follow-up', 'Change', 'Incident'];
  const other = (await rest('GET', '/trackers.json')).body.trackers.find((t) => !upkeeps.includes(t.name));
  const made = await rest('POST', '/issues.json', { issue: { project_id: projectId, tracker_id: other.id,
    subject: 'Payroll export bug (not the auditor\'s business)' } }, 'ciso');
  assert.equal(made.status, 201, JSON.stringify(made.body));
  otherTicket = made.body.issue;
});

test("an auditor reads Upkeep's tickets and their files, and none of the project's other tickets", async () => {
  const list = (login) => rest('GET', `/issues.json?project_id=${projectId}&status_id=*&limit=100`, undefined, login);
  const asAuditor = await list('auditor');
  assert.equal(asAuditor.status, 200);
  const asManager = (await list('ciso')).body.issues;
  assert.deepEqual(asAuditor.body.issues.map((i) => i.id).sort(), asManager.filter((i) => i.id !== otherTicket.id).map((i) => i.id).sort());
  assert.ok(asManager.some((i) => i.id === otherTicket.id), 'the manager sees the other ticket');
  assert.equal((await rest('GET', `/issues/${upkeepTicket.id}.json`, undefined, 'auditor')).status, 200);
  assert.equal((await rest('GET', `/issues/${otherTicket.id}.json`, undefined, 'auditor')).status, 403);
  const download = await fetch(file.content_url, { headers: { 'X-Redmine-API-Key': credentials.api_keys.auditor } });
  assert.equal(download.status, 200);
  assert.equal(await download.text(), 'user,decision\n');
  const page = await rest('GET', `/projects/${project}/wiki/ISMS_configuration.json`, undefined, 'auditor');
  assert.equal(page.status, 200, 'the configuration page reads');
});

test('an auditor edits nothing: no ticket, note, file, page or deletion', async () => {
  const before = await issuesOf(project);
  const controlTask = (await rest('GET', '/trackers.json')).body.trackers.find((t) => t.name === 'Control task');
  const refused = [
    await rest('PUT', `/issues/${upkeepTicket.id}.json`, { issue: { notes: 'looks fine to me' } }, 'auditor'),
    await rest('PUT', `/issues/${upkeepTicket.id}.json`, { issue: { status_id: 5 } }, 'auditor'),
    await rest('POST', '/issues.json', { issue: { project_id: projectId, tracker_id: controlTask.id, subject: 'Auditor made this' } }, 'auditor'),
    await rest('DELETE', `/issues/${upkeepTicket.id}.json`, undefined, 'auditor'),
    await rest('PUT', `/projects/${project}/wiki/ISMS_configuration.json`, { wiki_page: { text: 'gone' } }, 'auditor'),
    await rest('DELETE', `/attachments/${file.id}.json`, undefined, 'auditor'),
  ];
  // Redmine answers a new ticket in a project where one may add none as invalid (422), the rest 403.
  assert.deepEqual(refused.map((r) => r.status), [403, 403, 422, 403, 403, 403]);
  const after = await issuesOf(project, { journals: false });
  assert.deepEqual(after.map((i) => [i.id, i.updated_on]), before.map((i) => [i.id, i.updated_on]));
});

test("an auditor's key syncs nothing, and an auditor reads nobody's API key", async () => {
  const before = await issuesOf(project);
  const refused = await sync(['--project', project, '--today', '2027-06-01'], { key: credentials.api_keys.auditor });
  assert.notEqual(refused.status, 0, 'the sync refuses');
  assert.match(refused.stderr, /auditor|sync account|not allowed|403/i);
  assert.equal((await issuesOf(project)).length, before.length, 'no ticket made');
  const ids = await userIds();
  for (const login of ['ciso', 'upkeep-bot', 'admin'].filter((l) => ids[l])) {
    const user = await rest('GET', `/users/${ids[login]}.json`, undefined, 'auditor');
    assert.ok([200, 403, 404].includes(user.status));
    assert.equal(user.body?.user?.api_key, undefined, `no key of ${login}`);
  }
  assert.equal((await rest('GET', '/users.json', undefined, 'auditor')).status, 403);
});

test('in the browser an auditor sees the panel with the figures the ISMS manager sees, downloads the register, and is offered no sync or import', async () => {
  const open = async (login) => {
    const { context, page } = await loggedIn(resources.browser, login);
    resources.cleanups.push(() => context.close());
    await page.goto(`${redmineUrl}/projects/${project}/isms?upkeep_today=${TODAY}`);
    await page.waitForSelector('#upkeep-isms[data-state="ready"]', { timeout: 30000 });
    return page;
  };
  const manager = await open('ciso');
  const auditor = await open('auditor');
  const figures = (page) => page.$eval('.upkeep-readiness', (e) => ({ ...e.dataset }));
  assert.deepEqual(await figures(auditor), await figures(manager));
  assert.equal(await auditor.textContent('.upkeep-glance'), await manager.textContent('.upkeep-glance'));
  assert.ok(await manager.$('button.upkeep-sync'), 'the manager is offered Sync now');
  for (const control of ['button.upkeep-sync', 'button.upkeep-preview', 'label.upkeep-import'])
    assert.equal(await auditor.$(control), null, `no ${control} for the auditor`);
  const [download] = await Promise.all([auditor.waitForEvent('download'), auditor.click('.upkeep-other-formats a.upkeep-export-register-csv')]);
  const rows = readFileSync(await download.path(), 'utf8').trim().split('\r\n');
  assert.ok(rows.length > 5, 'the register lists the period');
  assert.ok(rows.slice(1).some((row) => row.endsWith(`/issues/${upkeepTicket.id}`)), 'the register links the tickets');
});
