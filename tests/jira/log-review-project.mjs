// A Jira project as Upkeep's sync would have left it, on the contract double: a weekly log review
// (Mondays from 2027-01-04, certified 2026-12-15), nine of its ten Mondays up to 2027-03-08 with their
// issue, the first six done (the third's work a day late, with a link), the rest open; a twin of the
// first, which does not count; an issue of someone else's without Upkeep's property, one with another
// tool's, and one with a copy of Upkeep's property. The status on 2027-03-10 reads them as `expectedStates` say, whichever shell runs the core.
import { indexedProperties } from './forge-app.mjs';
import { createJiraDouble } from './jira-double.mjs';

export const bot = { accountId: '5b10a2844c20165700ede21g', displayName: 'Upkeep Bot', email: 'upkeep@example.com', token: 'bot-token' };
export const olga = { accountId: '5b10a0effa615349cb016cd8', displayName: 'Olga Outsider', email: 'olga@example.com', token: 'olga-token' };
export const today = '2027-03-10';

export const config = {
  version: 1, organisation: { name: 'Acme' }, certification: { decision_date: '2026-12-15' },
  sync: { accounts: [bot.accountId] }, // the account of the job that made the issues (the command's)
  activities: [{ id: 'log-review', title: 'Review the security logs', references: ['A.8.15'], owner: 'secops', lead_time_days: 3,
    instructions: 'Review them.', evidence: 'The review notes.', cadence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', start: '2027-01-04' } }],
};
/** A change prompt for the configuration: two questions, a follow-up due before go-live (which holds the
 * change) and one after the assessment. */
export const changes = {
  ticket_types: ['Change'],
  questions: [{ id: 'new-supplier', text: 'Does it bring in a new supplier?' },
    { id: 'data', text: 'Will a system hold a new kind of information?', choices: [{ id: 'none', label: 'No', affects: false }, { id: 'personal', label: 'Personal data' }] }],
  follow_ups: [
    { id: 'risk-assessment', title: 'Update the risk assessment', references: ['6.1.2'], owner: 'ciso', when: ['new-supplier', 'data=personal'],
      due: { before_go_live: 7, after_assessment: 14 } },
    { id: 'records', title: 'Update the records of processing', references: ['A.5.34'], owner: 'dpo', when: ['data=personal'], due: { after_assessment: 30 } }],
};
export const mondays = Array.from({ length: 10 }, (_, i) => new Date(Date.UTC(2027, 0, 4 + 7 * i)).toISOString().slice(0, 10));
/** Each Monday's state and ticket (ISMS-N) in the status on `today`. */
export const expectedStates = ['on_time', 'on_time', 'late', 'on_time', 'on_time', 'on_time', 'overdue', 'overdue', 'overdue', 'overdue'];
export const expectedTickets = [1, 2, 3, 4, 5, 6, 7, 8, 9, null];

/** The double with the project, started, Upkeep's app installed (its indexed issue property); four issues
 * a search page, so that the reads take three pages. `admins`: more accounts, who administer the project;
  * `changes`: the project offers the issue type "Change" too (it always offers "Task" and "Nonconformity"). */
export async function startLogReviewProject({ admins = [], changes: withChanges = false } = {}) {
  const double = createJiraDouble({ users: [bot, olga, ...admins], pageLimit: 4, indexed: await indexedProperties(),
    projects: [{ id: '10100', key: 'ISMS', name: 'ISMS', browsers: [bot, ...admins].map((u) => u.accountId),
      editors: [bot, ...admins].map((u) => u.accountId), admins: admins.map((u) => u.accountId),
      issueTypes: [{ id: '10001', name: 'Task' }, { id: '10003', name: 'Nonconformity' },
        ...(withChanges ? [{ id: '10002', name: 'Change' }] : [])] }] });
  for (const [i, due] of mondays.slice(0, 9).entries()) {
    const done = i < 6;
    const issue = double.seed(bot.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary: `Review the security logs (due ${due})` },
      { upkeep: { key: `control:log-review:${due}`, state: done ? 'h=1;evidence=1' : 'h=1', owner: 'secops', title: 'Review the security logs',
        ...(done ? { done_on: i === 2 ? new Date(Date.parse(due) + 86400000).toISOString().slice(0, 10) : due } : {}),
        ...(i === 2 ? { links: ['https://logs.example.com/review-3'] } : {}) } });
    if (done) {
      issue.statusId = '10002';
      issue.resolved = new Date(`${due}T16:00:00Z`);
    }
  }
  double.seed(bot.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary: 'Review the security logs (due 2027-01-04)' },
    { upkeep: { key: 'control:log-review:2027-01-04', state: 'h=1' } });
  // Olga copied Upkeep's property onto an issue of hers, done with evidence: still not Upkeep's, so the
  // tenth Monday stays overdue in every shell.
  const copy = double.seed(olga.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary: 'Review the security logs (due 2027-03-08)' },
    { upkeep: { key: 'control:log-review:2027-03-08', state: 'h=1;evidence=1', done_on: '2027-03-08' } });
  copy.statusId = '10002';
  copy.resolved = new Date('2027-03-08T16:00:00Z');
  double.seed(olga.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary: 'Not Upkeep\'s' });
  double.seed(olga.accountId, { project: { key: 'ISMS' }, issuetype: { name: 'Task' }, summary: 'Another tool\'s' }, { other: { key: 'x' } });
  await double.start();
  return double;
}

/** The status's occurrences up to the last Monday, as [due, state, ticket]. @param {any} report */
export const occurrencesOf = (report) => report.periods[0].occurrences.filter((o) => o.due <= mondays.at(-1))
  .map((o) => [o.due, o.state, o.ticket_id ?? null]);
export const expectedOccurrences = mondays.map((due, i) => [due, expectedStates[i], expectedTickets[i]]);
