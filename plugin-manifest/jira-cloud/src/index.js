// @ts-check
// Upkeep's Forge backend (manifest.yml names these handlers):
//   handler     the resolver behind the app's pages (the ISMS project page, the control task's issue
//               panel), every call as the user who opened the page, so Jira checks their permissions on
//               every request:
//                 "status"              the project's status (and what the user may do there, what the
//                                       project lacks)
//                 "exportFile"          a file the core makes from the project's issues (the evidence
//                                       register, the calendar, the SoA, the management review pack)
//                 "sync"                plans (apply: false) or makes the project's tickets
//                 "validateConfiguration"  the core's report on a configuration's text (nothing stored)
//                 "saveConfiguration"   stores an imported configuration, valid and based on the latest
//                 "calendarFeed"        the user's address of the project's calendar feed (a new one when asked)
//                 "completeTask"        the control task of the issue panel: read, or completed with evidence
//                 "changePrompt"        "does this change affect the ISMS?" on a change issue: read, answered,
//                                       or its follow-ups brought in line
//   dailySync   the daily scheduled trigger: syncs every project with a configuration, as the app
//   calendarFeed  the web trigger that serves the feed to calendar programs, by an address's secret
// The configuration, the sync lease and the accounts the app vouches for live in the app's storage
// (app-storage.js); the core decides every request to Jira (core.js).
import { makeResolver } from '@forge/resolver';
import { asApp, asUser, assumeTrustedRoute, route, webTrigger } from '@forge/api';
import { changeRecordClaim, claimChangeRecord, configuredProjects, feedOf, feedToken, readConfiguration, recordSyncAccount, saveConfiguration, syncAccounts,
  takeSyncLease } from './app-storage.js';
import { upkeepCore, withSession } from './core.js';

/** How many of the next audit's items the page shows at first (all on request). */
const LIST_LIMIT = 25;
/** How long a sync may hold the project's lease: Forge's longest run (the daily sync's). */
const LEASE_SECONDS = 900;
/** Forge stops a resolver's call after 25 s. Sync now stops between two writes once it has run this long
 * (UPKEEP_SYNC_NOW_MS, in the app's environment, says otherwise), gives back its lease and says what it
 * made; the page calls again to go on. */
const SYNC_NOW_MS = 15_000;
/** Sync now's lease outlasts its call, which Forge ends at 25 s. */
const SYNC_NOW_LEASE_SECONDS = 60;
/** The Upkeep keys a Sync now's call names as made by the calls before it, at most. */
const MADE_BEFORE_LIMIT = 5000;
/** Where the page says the configuration lives. */
const SOURCE = 'the app\'s storage';

/**
 * @typedef {{ extension?: { project?: { key?: string }, issue?: { key?: string } }, accountId?: string, siteUrl?: string }} ResolverContext
 * @typedef {(route: any, init?: object) => Promise<Response>} RequestJira
 */

/** The page's project: the one Jira opened it in, never one the page names. @param {ResolverContext} context */
function projectOf(context) {
  const key = context.extension?.project?.key;
  if (!key) throw new Error('Upkeep\'s page runs in a Jira project: no project in the context.');
  return key;
}

/** A day the page sends, YYYY-MM-DD (the user's today), else the app's (UTC). @param {unknown} day */
const dayOf = (day) => (typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : new Date().toISOString().slice(0, 10));

/** The issue type of control tasks and follow-ups, which the project must offer (hosts/jira "issue_type"). */
const CONTROL_TASK_TYPE = 'Task';
/** The link types the change prompt links a change's follow-ups with (hosts/jira change_session): every
 * Jira Cloud site has them unless an administrator removed them. The app asks for no administration scope
 * (manage:jira-configuration) to make them again: it says what is missing. */
const LINK_TYPES = ['Blocks', 'Relates'];

/** The issue types a configuration names as changes (Jira Service Management's "Change" by default). @param {string} configText */
function changeTypesOf(configText) {
  try {
    const types = JSON.parse(configText)?.changes?.ticket_types;
    return Array.isArray(types) && types.every((t) => typeof t === 'string') ? types : ['Change'];
  } catch {
    return ['Change'];
  }
}

/**
 * What the project and the site lack for Upkeep, in words for their administrators (none where Jira does
 * not say), and the link types missing.
 * @param {RequestJira} requestJira @param {string} project @param {string | null} configText
 * @returns {Promise<{ missing: string[], linkTypes: string[] }>}
 */
async function setupOf(requestJira, project, configText) {
  const json = { headers: { Accept: 'application/json' } };
  const [projectAnswer, linkAnswer] = await Promise.all([requestJira(route`/rest/api/3/project/${project}`, json),
    requestJira(route`/rest/api/3/issueLinkType`, json)]);
  const missing = [];
  if (projectAnswer.ok) {
    const names = new Set(((await projectAnswer.json()).issueTypes ?? []).map((/** @type {{ name?: string }} */ t) => t.name));
    if (!names.has(CONTROL_TASK_TYPE)) {
      missing.push(`The project has no issue type "${CONTROL_TASK_TYPE}", which Upkeep's control tasks and follow-ups are: a Jira administrator adds it to the project's issue type scheme.`);
    }
    const changeTypes = configText === null ? [] : changeTypesOf(configText);
    if (changeTypes.length && !changeTypes.some((t) => names.has(t))) {
      missing.push(`The project has no issue type the configuration names as a change (${changeTypes.join(', ')}), so the ISMS impact panel asks on none ` +
        'of its issues: a Jira administrator adds one to the project\'s issue type scheme, or /changes/ticket_types names the project\'s own.');
    }
  }
  const linkTypes = [];
  if (linkAnswer.ok) {
    const have = new Set(((await linkAnswer.json()).issueLinkTypes ?? []).map((/** @type {{ name?: string }} */ t) => t.name));
    linkTypes.push(...LINK_TYPES.filter((name) => !have.has(name)));
    if (linkTypes.length) {
      missing.push(`The site has no issue link type ${linkTypes.map((n) => `"${n}"`).join(' or ')}, which links a change to its follow-ups: ` +
        'a Jira administrator creates it (Settings > Issues > Issue linking).');
    }
  }
  return { missing, linkTypes };
}

/** The issue work a sync does, which Jira must let its account do in the project. */
const SYNC_PERMISSIONS = ['CREATE_ISSUES', 'EDIT_ISSUES', 'TRANSITION_ISSUES', 'ADD_COMMENTS'];

/**
 * Which of `keys` Jira grants `requestJira`'s account in `project` (null when Jira does not say).
 * @param {RequestJira} requestJira @param {string} project @param {string[]} keys @returns {Promise<Set<string> | null>}
 */
async function grantedIn(requestJira, project, keys) {
  const response = await requestJira(route`/rest/api/3/mypermissions?projectKey=${project}&permissions=${keys.join(',')}`,
    { headers: { Accept: 'application/json' } });
  if (!response.ok) return null;
  const { permissions = {} } = await response.json();
  return new Set(keys.filter((key) => permissions[key]?.havePermission));
}

/** Why the account may not do `keys` in `project`, or null. @param {Set<string> | null} granted @param {string[]} keys @param {string} project @param {string} instead */
function refusal(granted, keys, project, instead) {
  if (!granted) return `Jira did not tell your permissions in ${project}: try again.`;
  const missing = keys.filter((key) => !granted.has(key));
  return missing.length ? `Jira does not let you ${missing.map((key) => key.toLowerCase().replace(/_/g, ' ')).join(', ')} in ${project}: ${instead}` : null;
}

/**
 * The owners of /sync/owner_accounts by the names of their Atlassian accounts (those Jira knows), as people
 * know them: {secops: "Sam Ops"}.
 * @param {RequestJira} requestJira @param {string} configText @returns {Promise<Record<string, string>>}
 */
async function ownerNames(requestJira, configText) {
  let accounts = {};
  try {
    accounts = JSON.parse(configText)?.sync?.owner_accounts ?? {};
  } catch {
    return {};
  }
  const ids = [...new Set(Object.values(accounts).filter((id) => typeof id === 'string'))].slice(0, 100);
  if (!ids.length) return {};
  const query = ids.map((id) => `accountId=${encodeURIComponent(id)}`).join('&');
  const response = await requestJira(assumeTrustedRoute(`/rest/api/3/user/bulk?maxResults=100&${query}`), { headers: { Accept: 'application/json' } });
  if (!response.ok) return {};
  const names = new Map(((await response.json()).values ?? []).map((/** @type {{ accountId: string, displayName: string }} */ u) => [u.accountId, u.displayName]));
  return Object.fromEntries(Object.entries(accounts).filter(([, id]) => names.has(id)).map(([owner, id]) => [owner, names.get(id)]));
}

/** The stored configuration as the page shows it, with the core's warnings. @param {string} project */
async function configurationOf(project) {
  const stored = await readConfiguration(project);
  if (!stored) return null;
  const report = (await upkeepCore()).validate(stored.text);
  return { text: stored.text, version: stored.version, source: SOURCE, missing: false, warnings: report.warnings ?? [] };
}

/**
 * The status the page draws: the panel's (the first items, the timeline), the next audit's whole lists
 * and the maintenance calendar of `calendar` (the window the page shows, {from, to}), computed from one
 * reading as the user, owners named as people know them; what the user may do (sync, import a
 * configuration) and what the project lacks.
 * @param {{ payload: { today?: string, framework?: string, calendar?: { from?: string, to?: string } }, context: ResolverContext }} call
 */
async function status({ payload, context }) {
  const project = projectOf(context);
  const requestJira = asUser().requestJira;
  const configuration = await configurationOf(project);
  const [granted, found] = await Promise.all([grantedIn(requestJira, project, [...SYNC_PERMISSIONS, 'ADMINISTER_PROJECTS']),
    setupOf(requestJira, project, configuration?.text ?? null)]);
  const may = { sync: !refusal(granted, SYNC_PERMISSIONS, project, ''), configure: !!granted?.has('ADMINISTER_PROJECTS') };
  const setup = found;
  if (!configuration) return { may, setup, failure: { kind: 'not_found', message: `The project ${project} has no ISMS configuration yet.`, problems: [] },
    configuration: { text: '', source: SOURCE, version: null, missing: true, warnings: [] } };
  const today = dayOf(payload.today);
  const framework = typeof payload.framework === 'string' && payload.framework ? { framework: payload.framework } : {};
  const people = await ownerNames(requestJira, configuration.text);
  return withSession('status', { ...asReader(project, await syncAccounts(project)), config: configuration.text, url: context.siteUrl ?? '' }, requestJira,
    (outcome, session) => {
      if ('error' in outcome) return { error: outcome.error };
      if (outcome.result.failure) return { may, setup, failure: outcome.result.failure, configuration };
      const nonconformityType = outcome.result.lacks?.nonconformity_type;
      if (nonconformityType) {
        setup.missing.push(`The project has no issue type "${nonconformityType}", so Upkeep reads no nonconformities and their corrective actions, ` +
          'and the ones it proposes for missed controls wait: a Jira administrator adds it to the project\'s issue type scheme.');
      }
      const panel = session.call('status', { today, list_limit: LIST_LIMIT, next_period_only: true, timeline: true, people, ...framework });
      if ('error' in panel) return { error: panel.error };
      const all = session.call('status', { today, list_limit: 1000000, next_period_only: true, timeline: false, people, ...framework });
      const calendarWindow = { from: dayOf(payload.calendar?.from), to: dayOf(payload.calendar?.to) };
      return { may, setup, people, status: panel, allItems: 'error' in all ? null : all.report.next_audit ?? null, configuration,
        calendar: { window: calendarWindow, ...session.call('calendar', { ...calendarWindow, ...framework }) }, requests: outcome.requests };
    });
}

/**
 * What a session that reads as the person who opened a page or panel counts as Upkeep's: the issues the
 * accounts that synced the project reported (the app's own, the people who pressed Sync now; and
 * /sync/accounts), never those the reader reported, who may have copied Upkeep's property onto an issue.
 * @param {string} project @param {string[]} accounts
 */
const asReader = (project, accounts) => ({ project, accounts, own_account: false });

/** The files the page may ask for (the core's export_file kinds). */
const EXPORTS = new Set(['register_csv', 'register_json', 'ics', 'soa_csv', 'soa_html', 'review_pack']);

/**
 * A file the core makes from the project's issues, read as the user: `{ text, filename }` or `{ error }`.
 * @param {{ payload: { request?: { kind?: string } }, context: ResolverContext }} call
 */
async function exportFile({ payload, context }) {
  const project = projectOf(context);
  const request = payload.request ?? {};
  if (!EXPORTS.has(String(request.kind))) return { error: `No file of the kind "${request.kind}".` };
  const configuration = await readConfiguration(project);
  if (!configuration) return { error: `The project ${project} has no ISMS configuration yet.` };
  return withSession('status', { ...asReader(project, await syncAccounts(project)), config: configuration.text, url: context.siteUrl ?? '' },
    asUser().requestJira,
    (outcome, session) => ('error' in outcome ? { error: outcome.error }
      : outcome.result.failure ? { error: outcome.result.failure.message } : session.call('export_file', request)));
}

/**
 * Syncs one project as `requestJira`'s account (`account`, recorded before it writes), holding the
 * project's lease while it writes. A run with `stopAt` stops between two writes then, and its result says
 * `continues` (a later run goes on, naming in `madeBefore` the Upkeep keys of the issues the runs before
 * it made: `made`) when it stopped for that, or when Jira's search did not show yet what they made.
 * @param {{ project: string, today: string, apply: boolean, account: string, holder: string, siteUrl?: string, requestJira: RequestJira,
 *   stopAt?: { time: number, why: string }, madeBefore?: string[], leaseSeconds?: number }} run
 */
async function syncProject({ project, today, apply, account, holder, siteUrl = '', requestJira, stopAt, madeBefore = [],
  leaseSeconds = LEASE_SECONDS }) {
  const configuration = await readConfiguration(project);
  if (!configuration) return { error: `The project ${project} has no ISMS configuration yet.` };
  const lease = apply ? await takeSyncLease(project, holder, new Date(), leaseSeconds) : null;
  if (lease && 'heldBy' in lease) {
    return { failure: { kind: 'busy', problems: [],
      message: `Another sync of ${project} is running (${lease.heldBy.holder}, until ${lease.heldBy.until}): nothing was written; try again when it is done.` } };
  }
  try {
    if (apply) await recordSyncAccount(project, account, today);
    const accounts = await syncAccounts(project);
    return await withSession('sync', { project, config: configuration.text, today, apply, accounts, issue_type: CONTROL_TASK_TYPE,
      url: siteUrl, made_before: madeBefore }, requestJira,
      (outcome) => {
        if ('error' in outcome) return { error: outcome.error };
        const { result } = outcome;
        const stoppedForTime = 'interrupted' in outcome && result.failure && result.writing;
        return { ...result, requests: outcome.requests, ...(stoppedForTime || result.search_behind ? { continues: true } : {}) };
      }, { stopAt });
  } finally {
    if (lease && 'release' in lease) await lease.release();
  }
}

/** The web trigger of the calendar feed (manifest.yml). */
const FEED_TRIGGER = 'upkeep-calendar-feed';

/**
 * The user's address of the project's calendar feed, for Outlook, Google Calendar or Thunderbird: the web
 * trigger's with the user's secret; `renew` makes a new one, and the old one stops working.
 * @param {{ payload: { renew?: boolean, today?: string }, context: ResolverContext }} call
 */
async function calendarFeedAddress({ payload, context }) {
  const project = projectOf(context);
  if (!context.accountId) return { error: 'A feed address is a person\'s: no user in the context.' };
  const granted = await grantedIn(asUser().requestJira, project, ['BROWSE_PROJECTS']);
  if (!granted?.has('BROWSE_PROJECTS')) return { error: `Jira does not let you browse ${project}.` };
  const token = await feedToken(project, context.accountId, dayOf(payload.today), payload.renew === true);
  return { address: `${await webTrigger.getUrl(FEED_TRIGGER)}?feed=${token}` };
}

/**
 * The control task of the issue panel (the issue Jira opened it on): what it asks for and what completing
 * recorded; with `complete`, completed as the user (the files, which the panel attached as the user
 * before, named). The core checks the completion before it writes (hosts/jira task_completion).
 * `check`: only check the completion (the panel asks before it attaches the files).
 * @param {{ payload: { today?: string, complete?: object, files?: { name?: string }[], withoutEvidence?: boolean, check?: boolean },
 *   context: ResolverContext }} call
 */
async function completeTask({ payload, context }) {
  const project = projectOf(context);
  const issue = context.extension?.issue?.key;
  if (!issue) return { error: 'Upkeep\'s panel runs on an issue: no issue in the context.' };
  const configuration = await readConfiguration(project);
  if (!configuration) return { error: `The project ${project} has no ISMS configuration yet.` };
  const request = { ...asReader(project, await syncAccounts(project)), config: configuration.text, issue, today: dayOf(payload.today),
    without_evidence: payload.withoutEvidence === true, check_only: payload.check === true, url: context.siteUrl ?? '',
    ...(payload.complete ? { complete: payload.complete, files: (payload.files ?? []).map((f) => ({ name: String(f.name ?? 'file') })) } : {}) };
  return withSession('complete', request, asUser().requestJira, (outcome) => ('error' in outcome ? { error: outcome.error } : outcome.result));
}

/** What recording an assessment does as the user: edit the change (its property) and comment on it. */
const RECORD_PERMISSIONS = ['EDIT_ISSUES', 'ADD_COMMENTS'];

/** How old a claimed assessment must be before another run records it for its author: longer than a
 * resolver runs (Forge stops one after 25 s), so that the run that claimed it is over. */
const CLAIM_ABANDONED_MS = 60_000;

/**
 * The change prompt of the issue Jira opened the panel on, as the user (hosts/jira change_session): its
 * view; with `answers` (over `basedOn`, the revision the form showed) a new assessment, claimed first in the
 * app's storage so that of two people answering at once one is recorded and the other is told whose
 * answers stand; with `apply`, the follow-ups brought in line with the record. A claim whose run stopped
 * before recording it is recorded by the next run that reads the change.
 * @param {{ payload: { today?: string, answers?: Record<string, string>, basedOn?: number, apply?: boolean },
 *   context: ResolverContext & { extension?: { issue?: { id?: string | number } } } }} call
 */
async function changePrompt({ payload, context }) {
  const project = projectOf(context);
  const issue = context.extension?.issue?.key;
  if (!issue) return { error: 'Upkeep\'s panel runs on an issue: no issue in the context.' };
  const issueId = String(context.extension?.issue?.id ?? issue);
  const configuration = await readConfiguration(project);
  if (!configuration) return { error: `The project ${project} has no ISMS configuration yet.` };
  const today = dayOf(payload.today);
  const base = { project, config: configuration.text, issue, today, accounts: await syncAccounts(project), url: context.siteUrl ?? '' };
  // A run that brings the follow-ups in line writes Upkeep's issues as the user: the user is recorded
  // first, as Sync now records them, so that the app's other sessions count those issues as Upkeep's.
  const run = async (/** @type {{ apply?: boolean }} */ more) => {
    if (more.apply && context.accountId) await recordSyncAccount(project, context.accountId, today);
    return withSession('change', { ...base, ...more }, asUser().requestJira,
      (outcome) => ('error' in outcome ? { error: outcome.error } : outcome.result));
  };
  /** A claimed revision, recorded as its author answered it. @param {import('./app-storage.js').ChangeRecord} claim @param {number} revision */
  const publish = (claim, revision) => run({ answers: claim.answers, based_on: revision - 1, by: claim.by, by_name: claim.name,
    on: claim.on, apply: true });
  const abandoned = (/** @type {import('./app-storage.js').ChangeRecord} */ claim) => Date.now() - Date.parse(claim.at) > CLAIM_ABANDONED_MS;
  if (!payload.answers || typeof payload.answers !== 'object') {
    const read = await run({ apply: payload.apply === true });
    const revision = (read.view?.record?.revision ?? 0) + 1;
    const pending = read.view?.is_change ? await changeRecordClaim(project, issueId, revision) : undefined;
    return pending && abandoned(pending) ? publish(pending, revision) : read;
  }
  // Only someone Jira lets record it claims a revision (a claim left unrecorded is recorded by the next reader).
  const refused = refusal(await grantedIn(asUser().requestJira, project, RECORD_PERMISSIONS), RECORD_PERMISSIONS, project,
    'the assessment was not recorded; ask a project administrator for them.');
  if (refused) return { failure: { kind: 'forbidden', message: refused, problems: [] } };
  const answers = Object.fromEntries(Object.entries(payload.answers).map(([id, answer]) => [id, String(answer)]));
  const basedOn = Number.isInteger(payload.basedOn) && Number(payload.basedOn) >= 0 ? Number(payload.basedOn) : 0;
  const checked = await run({ answers, based_on: basedOn, check_only: true });
  if ('error' in checked || checked.failure || checked.kind !== 'ready' || checked.conflict) return checked;
  if (checked.unchanged) return run({ answers, based_on: basedOn, apply: true });
  const mine = { answers, by: checked.account.id, name: checked.account.name, on: today, at: new Date().toISOString() };
  if (await claimChangeRecord(project, issueId, basedOn + 1, mine)) return publish(mine, basedOn + 1);
  // Someone claimed this revision first: theirs stands (recorded here if its run stopped), yours is not.
  const theirs = await changeRecordClaim(project, issueId, basedOn + 1);
  if (!theirs) return { error: 'Someone else is recording an assessment of this change: reload the panel.' };
  const outcome = await (abandoned(theirs) ? publish(theirs, basedOn + 1) : run({}));
  return 'error' in outcome ? outcome : { ...outcome, unchanged: false, conflict: `${theirs.name} recorded an assessment of this change ` +
    `while you were answering (revision ${basedOn + 1}). Yours was not recorded: reload the panel, and answer again if it differs.` };
}

export const handler = makeResolver({
  status,
  completeTask,
  changePrompt,
  calendarFeed: calendarFeedAddress,
  exportFile,
  /**
   * Preview sync, and Sync now in calls of at most SYNC_NOW_MS of writing each; `madeBefore`: what the
   * calls before made (their `made`).
   * @param {{ payload: { today?: string, apply?: boolean, madeBefore?: unknown }, context: ResolverContext }} call
   */
  sync: async ({ payload, context }) => {
    const started = Date.now();
    if (!context.accountId) return { error: 'Sync runs as the user who asks for it: no user in the context.' };
    const project = projectOf(context);
    const apply = payload.apply === true;
    const requestJira = asUser().requestJira;
    const refused = apply ? refusal(await grantedIn(requestJira, project, SYNC_PERMISSIONS), SYNC_PERMISSIONS, project,
      'ask a Jira administrator for them, or let the daily sync make the tickets.') : null;
    if (refused) return { failure: { kind: 'forbidden', message: refused, problems: [] } };
    const madeBefore = Array.isArray(payload.madeBefore)
      ? payload.madeBefore.filter((key) => typeof key === 'string').slice(0, MADE_BEFORE_LIMIT) : [];
    const writeFor = Number(process.env.UPKEEP_SYNC_NOW_MS) || SYNC_NOW_MS;
    return syncProject({ project, today: dayOf(payload.today), apply, account: context.accountId,
      holder: `Sync now by ${context.accountId}`, siteUrl: context.siteUrl, requestJira, madeBefore, leaseSeconds: SYNC_NOW_LEASE_SECONDS,
      stopAt: { time: started + writeFor, why: `this call of Upkeep's app stopped after ${Math.round(writeFor / 1000)} s, before Forge's limit` } });
  },
  /** @param {{ payload: { text?: string } }} call */
  validateConfiguration: async ({ payload }) => (await upkeepCore()).validate(typeof payload.text === 'string' ? payload.text : ''),
  /**
   * An imported configuration, stored as the version after `basedOn` (the version the page showed; 0 for
   * the first) when the user administers the project and the core finds it valid; nothing is stored else.
   * @param {{ payload: { text?: string, basedOn?: number }, context: ResolverContext }} call
   */
  saveConfiguration: async ({ payload, context }) => {
    const project = projectOf(context);
    const refused = refusal(await grantedIn(asUser().requestJira, project, ['ADMINISTER_PROJECTS']), ['ADMINISTER_PROJECTS'], project,
      'a project administrator imports the configuration.');
    if (refused) return { saved: false, failure: { kind: 'forbidden', message: refused, problems: [] } };
    const text = typeof payload.text === 'string' ? payload.text : '';
    const report = (await upkeepCore()).validate(text);
    if (!report.ok) {
      return { saved: false, failure: { kind: 'bad_input', message: `The configuration has ${report.errors.length} problem(s).`,
        problems: [...report.errors.map((p) => ({ ...p, warning: false })), ...report.warnings.map((p) => ({ ...p, warning: true }))] } };
    }
    const basedOn = Number.isInteger(payload.basedOn) && Number(payload.basedOn) >= 0 ? Number(payload.basedOn) : 0;
    const saved = await saveConfiguration(project, basedOn, { text, saved_by: context.accountId ?? '', saved_at: new Date().toISOString() });
    return saved ? { saved: true, failure: null, version: basedOn + 1 }
      : { saved: false, failure: { kind: 'conflict', problems: [],
        message: `Someone saved version ${basedOn + 1} of the configuration meanwhile: nothing was stored. Reload the page and import again.` } };
  },
});

/** How long the daily sync waits before it syncs a project again that stopped short of Jira (a write whose
 * answer was lost, which Jira's search does not show yet; Jira unreachable): its search catches up within
 * seconds. A scheduled trigger may run 900 s: no second try that would start after DAILY_RETRY_UNTIL_MS. */
const DAILY_RETRY_PAUSES_MS = [10_000, 30_000];
const DAILY_RETRY_UNTIL_MS = 600_000;

/**
 * The daily sync: every configured project, one after the other, as the app (its account read first, to be
 * recorded before it writes). A project that stops short of Jira is synced again after a pause, which
 * finishes what the run began; a project that fails does not stop the others; the platform records a 500.
 */
export async function dailySync() {
  const started = Date.now();
  const requestJira = asApp().requestJira;
  const today = dayOf(undefined);
  const myself = await requestJira(route`/rest/api/3/myself`, { headers: { Accept: 'application/json' } });
  if (!myself.ok) return { statusCode: 500, body: `Jira did not name the app's account (HTTP ${myself.status}).` };
  const account = String((await myself.json()).accountId ?? '');
  const results = [];
  for (const project of await configuredProjects()) {
    const sync = () => syncProject({ project, today, apply: true, account, holder: 'the daily sync', requestJira });
    let result = await sync();
    let written = result.written ?? 0;
    let tries = 1;
    for (const pause of DAILY_RETRY_PAUSES_MS) {
      if (!('failure' in result) || result.failure?.kind !== 'unreachable' || Date.now() - started + pause > DAILY_RETRY_UNTIL_MS) break;
      await new Promise((resolve) => setTimeout(resolve, pause));
      result = await sync();
      written += result.written ?? 0;
      tries += 1;
    }
    results.push({ project, ...('error' in result ? { error: result.error }
      : result.failure?.kind === 'busy' ? { busy: result.failure.message }
        : { written, tries, failure: result.failure?.message ?? null }) });
  }
  // A project another sync is writing (Forge may run the trigger twice) is that sync's to finish.
  const failed = results.filter((r) => r.error || r.failure);
  return { statusCode: failed.length ? 500 : 200, body: JSON.stringify(results) };
}

/** A web trigger's plain-text answer. @param {number} statusCode @param {string} body */
const plain = (statusCode, body) => ({ statusCode, headers: { 'Content-Type': ['text/plain; charset=utf-8'] }, body });

/**
 * The calendar feed (web trigger): the maintenance calendar of the project an address's secret is of, as
 * iCalendar, while the person it was made for has an active Atlassian account (asked of Jira as the app at
 * each request); until they make a new address. Anything else is a 404 that names nothing.
 * @param {{ queryParameters?: Record<string, string[]> }} request
 */
export async function calendarFeed(request) {
  const token = request.queryParameters?.feed?.[0] ?? '';
  const notFound = plain(404, 'No such calendar feed. Upkeep\'s ISMS page in Jira gives you your address.');
  const feed = /^[A-Za-z0-9_-]{32}$/.test(token) ? await feedOf(token) : undefined;
  if (!feed) return notFound;
  const account = await asApp().requestJira(route`/rest/api/3/user?accountId=${feed.account}`, { headers: { Accept: 'application/json' } });
  if (account.status === 404) return notFound;
  if (!account.ok) return plain(503, `Jira did not say whether the feed's account is active (HTTP ${account.status}): try again later.`);
  if ((await account.json()).active !== true) return notFound;
  const configuration = await readConfiguration(feed.project);
  if (!configuration) return notFound;
  const file = (await upkeepCore()).icalendar(configuration.text, { today: dayOf(undefined) });
  if ('error' in file) return plain(500, `The configuration has problems: ${file.error}`);
  return { statusCode: 200, body: file.text,
    headers: { 'Content-Type': ['text/calendar; charset=utf-8'], 'Cache-Control': ['private, max-age=3600'] } };
}
