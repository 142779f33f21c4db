// @ts-check
// What the app keeps in Forge's key-value store, per Jira project (its key). The store has no
// compare-and-set for plain keys, only "set unless the key exists" (keyPolicy FAIL_IF_EXISTS, answered 409
// KEY_CONFLICT to all writers but one), so what must not be lost is written as numbered versions, each
// key written once (`versioned`):
//   upkeep:configuration:KEY:N  {text, saved_by, saved_at}: version N of the ISMS configuration. Saving
//                               version N+1 based on N fails when someone saved N+1 meanwhile: no lost
//                               update, and every version stays (who saved what, when).
//   upkeep:lease:KEY:N          {holder, until, released?}: the Nth sync lease of the project (kept a week);
//                               a sync takes N+1 only when N is released or past `until`, so two syncs
//                               never write at once (the daily trigger may run twice; people press Sync now).
//   upkeep:configuration:KEY, upkeep:lease:KEY   {version}: where the latest version was, a hint that
//                               readers walk forward from (a writer that stopped before moving it loses
//                               nothing).
//   upkeep:change:KEY:ID:N      {answers, by, name, on, at}: revision N of the ISMS impact assessment of the
//                               change issue ID, claimed before it is recorded on the issue (Jira keeps no
//                               version a write could depend on): of two people answering over revision
//                               N-1, one claims N and the other is told whose answers stand. A claim not
//                               recorded yet (the run stopped) is recorded when the issue is next read.
//   upkeep:project:KEY          {since}: a project with a configuration, for the daily sync.
//   secret upkeep:feed:TOKEN    {project, account, since}: a person's address of the calendar feed;
//   secret upkeep:feed-of:KEY:ID  {token}: the person's address of the project's feed (one at a time).
//   upkeep:account:KEY:ID       {since}: an account that synced the project through the app (the app's own,
//                               the people who pressed "Sync now"), recorded before its sync writes: its
//                               issues with Upkeep's property are Upkeep's (hosts/jira, sync_session
//                               "accounts"). Only the app writes here, so these can be trusted where an
//                               issue property, which anyone who edits the issue may set, cannot.
import { randomBytes } from 'node:crypto';
import { kvs, WhereConditions } from '@forge/kvs';

const CONFIGURATION = 'upkeep:configuration:';
const LEASE = 'upkeep:lease:';
const ACCOUNT = 'upkeep:account:';
const PROJECT = 'upkeep:project:';

/** The keys after `prefix` of every stored key that begins with it. @param {string} prefix @returns {Promise<string[]>} */
async function keysAfter(prefix) {
  const keys = [];
  let cursor;
  do {
    let query = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(100);
    if (cursor) query = query.cursor(cursor);
    const page = await query.getMany();
    keys.push(...page.results.map((/** @type {{ key: string }} */ r) => r.key.slice(prefix.length)));
    cursor = page.nextCursor;
  } while (cursor);
  return keys;
}

/** Whether `error` is the store's answer to a FAIL_IF_EXISTS write of a key that exists. @param {unknown} error */
const isConflict = (error) => /** @type {{ code?: string }} */ (error)?.code === 'KEY_CONFLICT';

/**
 * Numbered versions under `base`, each written once: `latest()` is the newest (0 and undefined when none),
 * `claim(n, value)` writes version n unless it exists (false then).
 * @template T
 * @param {string} base
 * @param {{ ttl?: { value: number, unit: 'SECONDS' | 'MINUTES' | 'HOURS' | 'DAYS' } }} [options]
 */
function versioned(base, { ttl } = {}) {
  const key = (/** @type {number} */ n) => `${base}:${n}`;
  return {
    /** @returns {Promise<{ version: number, value: T | undefined }>} */
    async latest() {
      const hint = /** @type {{ version?: number } | undefined} */ (await kvs.get(base));
      let version = hint?.version ?? 0;
      let value = version ? /** @type {T | undefined} */ (await kvs.get(key(version))) : undefined;
      for (;;) {
        const newer = /** @type {T | undefined} */ (await kvs.get(key(version + 1)));
        if (newer === undefined) return { version, value };
        version += 1;
        value = newer;
      }
    },
    /** @param {number} version @param {T} value @returns {Promise<boolean>} */
    async claim(version, value) {
      try {
        await kvs.set(key(version), value, { keyPolicy: 'FAIL_IF_EXISTS', ...(ttl ? { ttl } : {}) });
      } catch (error) {
        if (isConflict(error)) return false;
        throw error;
      }
      await kvs.set(base, { version });
      return true;
    },
    /** Rewrites version n (its holder only: a lease's release). @param {number} version @param {T} value */
    rewrite: (version, value) => kvs.set(key(version), value, ttl ? { ttl } : undefined),
  };
}

/** @typedef {{ text: string, saved_by: string, saved_at: string }} StoredConfiguration */

/** @param {string} project */
const configurations = (project) => /** @type {ReturnType<typeof versioned<StoredConfiguration>>} */ (versioned(CONFIGURATION + project));

/** The project's configuration as last saved, with its version; undefined when it has none. @param {string} project */
export async function readConfiguration(project) {
  const { version, value } = await configurations(project).latest();
  return value && { ...value, version };
}

/**
 * Saves a configuration as the version after `basedOn` (0 for the first): false when someone saved that
 * version meanwhile (nothing is written then).
 * @param {string} project @param {number} basedOn @param {StoredConfiguration} configuration
 */
export async function saveConfiguration(project, basedOn, configuration) {
  if (!(await configurations(project).claim(basedOn + 1, configuration))) return false;
  if ((await kvs.get(PROJECT + project)) === undefined) await kvs.set(PROJECT + project, { since: configuration.saved_at });
  return true;
}

/** @typedef {{ answers: Record<string, string>, by: string, name: string, on: string, at: string }} ChangeRecord */

/** @param {string} project @param {string} issueId */
const changeRecords = (project, issueId) => /** @type {ReturnType<typeof versioned<ChangeRecord>>} */ (versioned(`upkeep:change:${project}:${issueId}`));

/**
 * Claims revision `revision` of a change's assessment for `record`: false when someone claimed it first.
 * @param {string} project @param {string} issueId @param {number} revision @param {ChangeRecord} record
 */
export const claimChangeRecord = (project, issueId, revision, record) => changeRecords(project, issueId).claim(revision, record);

/** The claim of revision `revision` of a change's assessment, if any. @param {string} project @param {string} issueId @param {number} revision */
export const changeRecordClaim = async (project, issueId, revision) =>
  /** @type {ChangeRecord | undefined} */ (await kvs.get(`upkeep:change:${project}:${issueId}:${revision}`));

/** The projects with a configuration, for the daily sync. */
export const configuredProjects = () => keysAfter(PROJECT);

/** @typedef {{ holder: string, until: string, released?: boolean }} Lease */

/**
 * Takes the project's sync lease for `holder` until `until` (an ISO instant), unless another sync holds it:
 * `{ release }` then, else `{ heldBy }` (the holder and until when).
 * @param {string} project @param {string} holder @param {Date} now @param {number} seconds how long at most
 * @returns {Promise<{ release: () => Promise<void> } | { heldBy: Lease }>}
 */
export async function takeSyncLease(project, holder, now, seconds) {
  const leases = /** @type {ReturnType<typeof versioned<Lease>>} */ (versioned(LEASE + project, { ttl: { value: 7, unit: 'DAYS' } }));
  const { version, value } = await leases.latest();
  if (value && !value.released && Date.parse(value.until) > now.getTime()) return { heldBy: value };
  const lease = { holder, until: new Date(now.getTime() + seconds * 1000).toISOString() };
  if (!(await leases.claim(version + 1, lease))) {
    const { value: taken } = await leases.latest();
    return { heldBy: taken ?? lease };
  }
  return { release: () => leases.rewrite(version + 1, { ...lease, released: true }) };
}

/** The accounts that wrote Upkeep's issues of `project` through the app (a sync, a change's follow-ups). @param {string} project */
export const syncAccounts = (project) => keysAfter(`${ACCOUNT}${project}:`);

/** Records that `account` writes Upkeep's issues of `project` (before it writes). @param {string} project @param {string} account @param {string} today */
export async function recordSyncAccount(project, account, today) {
  const key = `${ACCOUNT}${project}:${account}`;
  if ((await kvs.get(key)) === undefined) await kvs.set(key, { since: today });
}

/** @typedef {{ project: string, account: string, since: string }} Feed */

/**
 * The secret of `account`'s address of the project's calendar feed: the one it has, or a new one (and the
 * old one no longer works) when `renew` or when it has none.
 * @param {string} project @param {string} account @param {string} today @param {boolean} renew
 */
export async function feedToken(project, account, today, renew) {
  const mine = `upkeep:feed-of:${project}:${account}`;
  const had = /** @type {{ token: string } | undefined} */ (await kvs.getSecret(mine));
  if (had && !renew) return had.token;
  const token = randomBytes(24).toString('base64url');
  await kvs.setSecret(`upkeep:feed:${token}`, { project, account, since: today });
  await kvs.setSecret(mine, { token });
  if (had) await kvs.deleteSecret(`upkeep:feed:${had.token}`);
  return token;
}

/** The feed an address's secret is of; undefined for one that is not (or no longer) an address. @param {string} token */
export const feedOf = async (token) => /** @type {Feed | undefined} */ (await kvs.getSecret(`upkeep:feed:${token}`));
