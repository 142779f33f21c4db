// Gives the demo ISMS a history, as its people would have made it in the tracker, so that the ISMS tab, the
// KPIs, the evidence register and the review pack show real content:
//   node scripts/redmine/seed-demo-history.mjs --url URL --project ID --config FILE [--today YYYY-MM-DD]
// - control tasks due before today completed by their owners with "Complete with evidence" (the core's
//   session, as on a control task's page): most on time, some late, a few left open, one closed without
//   evidence; a file for some, links for others; the awareness training with its head counts;
// - a change assessed on its ticket (new supplier, personal data), its follow-ups created;
// - an incident, resolved;
// - a nonconformity raised by the ISMS manager: its corrective action made by the sync, done by its owner,
//   its verification asked for by the sync and done, and the nonconformity closed by the ISMS manager.
// Work dates are relative to each task's due date and never after today. Safe to rerun: every step looks
// first at what the tracker holds, so nothing is made or recorded twice.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultCredentials, loadCore, peopleOf } from './node-core.mjs';
import { runSession } from '../../web/core/run-session.js';
import { addDays, utcInstant } from '../../web/lib/dates.js';

const { values } = parseArgs({ options: {
  url: { type: 'string' }, project: { type: 'string' }, config: { type: 'string' },
  today: { type: 'string', default: new Date().toISOString().slice(0, 10) },
  credentials: { type: 'string', default: defaultCredentials } } });
for (const name of ['url', 'project', 'config']) {
  if (!values[name]) { console.error(`seed-demo-history: --${name} is required`); process.exit(2); }
}
const { project, today } = values;
const config = JSON.parse(readFileSync(values.config, 'utf8'));
const core = await loadCore('seed-demo-history');
const as = peopleOf(values.url, values.credentials);

/** A REST call as `login`; the parsed answer, or an error naming the request. */
async function rest(login, method, path, body) {
  const answer = await as(login)({ method, path, body: body ? JSON.stringify(body) : '', content_type: 'application/json' });
  if (answer.status < 200 || answer.status > 299) throw new Error(`${method} ${path} as ${login}: HTTP ${answer.status} ${answer.body}`);
  return answer.body ? JSON.parse(answer.body) : null;
}

/** Runs one of the core's sessions as `login` to its end; its result. */
async function session(login, kind, request, files = []) {
  const opened = core.openSession(kind, { host: 'redmine', project, url: values.url, ...request });
  try {
    const outcome = await runSession(opened, { send: (r) => as(login)(r, files), sleep: (ms) => new Promise((done) => setTimeout(done, ms)) });
    if ('error' in outcome) throw new Error(`${kind} as ${login}: ${outcome.error}`);
    if (outcome.result.failure) throw new Error(`${kind} as ${login}: ${outcome.result.failure.message}`);
    return outcome.result;
  } finally {
    opened.dispose();
  }
}

/** The sync, as the demo's Upkeep account runs it. */
const sync = () => session('upkeep-bot', 'sync', { today, config: JSON.stringify(config), apply: true, publish_feed: false,
  now: utcInstant(0), lease_until: utcInstant(600), run: 'the demo history' });

const projectJson = (await rest('ciso', 'GET', `/projects/${project}.json?include=trackers,issue_custom_fields`)).project;
const tracker = (name) => projectJson.trackers.find((t) => t.name === name)?.id;
const fieldId = (name) => projectJson.issue_custom_fields.find((f) => f.name === name)?.id;
const closedStatus = (await rest('ciso', 'GET', '/issue_statuses.json')).issue_statuses.find((s) => s.is_closed).id;
const field = (issue, name) => issue.custom_fields?.find((f) => f.name === name)?.value ?? '';
/** Every ticket of the project that `query` selects (all statuses unless it says), page by page. */
async function issues(query) {
  const all = [];
  const statuses = query.includes('status_id=') ? '' : '&status_id=*';
  for (let offset = 0; ; offset += 100) {
    const page = await rest('ciso', 'GET', `/issues.json?project_id=${project}${statuses}&limit=100&offset=${offset}&${query}`);
    all.push(...page.issues);
    if (offset + 100 >= page.total_count) return all;
  }
}
const withSubject = async (trackerName, subject) =>
  (await issues(`tracker_id=${tracker(trackerName)}`)).find((i) => i.subject === subject);
/** A small whole number from a text, the same on every run. @param {string} text */
const pick = (text) => [...text].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1000003, 7);

let made = 0;

// --- Control tasks done, late, left open ---------------------------------------------------------------
const controls = (await issues(`tracker_id=${tracker('Control task')}&status_id=open&sort=due_date`))
  .filter((i) => i.due_date && i.due_date < today);
let withoutEvidence = false;
for (const task of controls) {
  const key = field(task, 'Upkeep key');
  const [, activity, due] = key.split(':');
  const owner = (config.activities.find((a) => a.id === activity) ?? {}).owner;
  if (!owner || owner.startsWith('group:')) continue;
  const h = pick(key);
  const recent = addDays(due, 21) > today;
  if (h % 9 === 4 || (recent && h % 2 === 0)) continue; // still open: overdue, as some always are
  const late = h % 5 === 2;
  let doneOn = late ? addDays(due, 4 + (h % 17)) : addDays(due, -(h % 5));
  if (doneOn >= today) doneOn = addDays(today, -1);
  const request = { issue: task.id, today };
  if (!withoutEvidence && activity === 'log-review') {
    withoutEvidence = true;
    await session(owner, 'complete', { ...request, without_evidence: true,
      complete: { done_on: doneOn, links: [], note: 'Reviewed on screen; nothing kept.' } });
  } else {
    const complete = { done_on: doneOn, links: h % 3 ? [`https://intranet.demo.example/isms/${activity}/${due}`] : [],
      note: late ? 'Done late: the team was on the release.' : 'Done as planned.',
      ...(activity === 'awareness-training' ? { people_in_scope: 42, people_completed: 39 } : {}) };
    const files = h % 3 ? [] : [new Blob([`${activity} for ${due}: reviewed by ${owner} on ${doneOn}\n`], { type: 'text/plain' })];
    await session(owner, 'complete', { ...request, complete,
      files: files.map(() => ({ name: `${activity}-${due}.txt`, content_type: 'text/plain' })) }, files);
  }
  made += 1;
}

// --- A change, assessed on its ticket -------------------------------------------------------------------
const changeTracker = (config.changes?.ticket_types ?? config.changes?.trackers ?? ['Change'])[0];
const changeSubject = 'Move payroll to PayCloud';
let change = await withSubject(changeTracker, changeSubject);
if (!change) {
  change = (await rest('itops', 'POST', '/issues.json', { issue: { project_id: project, tracker_id: tracker(changeTracker),
    subject: changeSubject, description: 'Payroll moves from the on-premise system to PayCloud, a SaaS provider.',
    start_date: addDays(today, -12), due_date: addDays(today, 20) } })).issue;
  made += 1;
}
if (field(change, 'ISMS impact') !== 'Affects the ISMS' && field(change, 'ISMS impact') !== 'No impact') {
  const answers = Object.fromEntries((config.changes?.questions ?? []).map((q) =>
    [q.id, q.choices ? (q.id === 'data' ? 'personal' : q.choices[0].id) : (q.id === 'new-supplier' ? 'yes' : 'no')]));
  await session('itops', 'change', { change: change.id, today, answers, apply: true });
  made += 1;
}

// --- An incident, resolved ------------------------------------------------------------------------------
const incidentTracker = config.metrics?.incidents?.tracker ?? 'Incident';
const incidentSubject = 'Phishing email led to a compromised mailbox';
let incident = tracker(incidentTracker) ? await withSubject(incidentTracker, incidentSubject) : null;
if (tracker(incidentTracker) && !incident) {
  const on = addDays(today, -40);
  const facts = [['Severity', 'Medium'], ['Occurred on', on], ['Detected on', addDays(on, 1)], ['Resolved on', addDays(on, 3)]];
  incident = (await rest('secops', 'POST', '/issues.json', { issue: { project_id: project, tracker_id: tracker(incidentTracker),
    subject: incidentSubject, description: 'Password reset, sessions revoked, mailbox rules removed.',
    custom_fields: facts.filter(([name]) => fieldId(name)).map(([name, value]) => ({ id: fieldId(name), value })) } })).issue;
  made += 1;
}
if (incident && incident.status.id !== closedStatus) {
  await rest('secops', 'PUT', `/issues/${incident.id}.json`, { issue: { status_id: closedStatus, notes: 'Resolved; lessons learned shared.' } });
  made += 1;
}

// --- A nonconformity, its corrective action, its verification ---------------------------------------------
const ncSubject = 'Restore test of the HR system was not evidenced';
let nc = await withSubject('Nonconformity', ncSubject);
if (!nc) {
  nc = (await rest('ciso', 'POST', '/issues.json', { issue: { project_id: project, tracker_id: tracker('Nonconformity'),
    subject: ncSubject, description: 'Found while preparing the internal audit.', due_date: addDays(today, 30),
    custom_fields: [[fieldId('NC grade'), 'Minor'], [fieldId('NC source'), 'Internal audit'],
      [fieldId('Root cause'), 'The restore test had no owner in the ops calendar.'],
      [fieldId('Corrective actions'), `itops: Put the HR restore test in the ops calendar (due ${addDays(today, 14)})`]]
      .map(([id, value]) => ({ id, value })) } })).issue;
  made += 1;
}
/** Closes a ticket Upkeep made for this nonconformity (key prefix) as `login`, with a work date. */
async function closeKeyed(prefix, login, note) {
  const ticket = (await issues(`cf_${fieldId('Upkeep key')}=~${encodeURIComponent(prefix)}`))
    .find((i) => field(i, 'Upkeep key').startsWith(prefix));
  if (!ticket || ticket.status.id === closedStatus) return;
  const done = fieldId('Evidence date') && ticket.tracker.name !== 'ISMS follow-up' ? [{ id: fieldId('Evidence date'), value: addDays(today, -1) }] : [];
  await rest(login, 'PUT', `/issues/${ticket.id}.json`, { issue: { status_id: closedStatus, notes: note, custom_fields: done } });
  made += 1;
}
await sync(); // makes the corrective action
await closeKeyed(`ca:${nc.id}:`, 'itops', 'Added to the ops calendar as a quarterly task, owner itops.');
await sync(); // asks for the verification
await closeKeyed(`verify:${nc.id}`, 'ciso', 'Checked the ops calendar and the first restore test record: effective.');
await sync();
// Upkeep closes the nonconformities it proposed; this one the ISMS manager raised, so they close it.
nc = (await rest('ciso', 'GET', `/issues/${nc.id}.json`)).issue;
const verified = (await issues(`cf_${fieldId('Upkeep key')}=verify:${nc.id}`)).some((i) => i.status.id === closedStatus);
if (verified && nc.status.id !== closedStatus) {
  await rest('ciso', 'PUT', `/issues/${nc.id}.json`, { issue: { status_id: closedStatus, notes: 'Corrective action done and verified effective.' } });
  made += 1;
}

console.error(`==> demo history: ${made} ${made === 1 ? 'thing' : 'things'} recorded as the ISMS's people would have`);
