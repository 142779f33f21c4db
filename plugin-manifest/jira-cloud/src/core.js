// @ts-check
// The core in the app's backend: Jira's two wasm modules (build/wasm/wasm; wasm/CMakeLists.txt):
// upkeep-jira for the project page's status, its files, the calendar and the configuration's checks,
// upkeep-jira-tickets for the sessions that write issues; each loaded once per runtime, when first needed,
// through the browser's facade (web/core), and its sessions run with a given `requestJira` (as the user or
// as the app). The module's files are read from UPKEEP_WASM_DIR, else from core/ in the app's folder, where
// build-app.mjs puts them and `forge deploy` packages them (manifest.yml app.package.extraFiles).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createUpkeep } from '../../../web/core/upkeep-core.js';
import { runSession } from '../../../web/core/run-session.js';
import { createJiraTransport } from './jira-transport.js';

/** The module of the sessions that write issues; every other call is the page module's. */
const TICKETS = { module: 'upkeep-jira-tickets', kinds: ['sync', 'complete', 'change'] };
const PAGE = 'upkeep-jira';

/**
 * The app's folder. Bundled by `forge deploy` into one CommonJS file at the package's root (webpack leaves
 * an ES module's `__dirname` to Node), it is that file's folder; run as the source (an ES module in src/,
 * the tests), there is no `__dirname` and it is src/'s parent.
 */
function appFolder() {
  // eslint-disable-next-line no-undef
  return typeof __dirname === 'string' ? __dirname : fileURLToPath(new URL('..', import.meta.url));
}

/** @type {Map<string, Promise<import('../../../web/core/upkeep-core.js').UpkeepCore>>} */
const loading = new Map();

/**
 * A module of the core (the page's by default), loaded on first use; a failure to load is thrown again on
 * every use (nothing works without it).
 * @param {string} [name]
 */
export function upkeepCore(name = PAGE) {
  let loaded = loading.get(name);
  if (!loaded) {
    loaded = (async () => {
      const dir = process.env.UPKEEP_WASM_DIR ?? resolve(appFolder(), 'core');
      const made = await createUpkeep({ moduleUrl: pathToFileURL(resolve(dir, `${name}.mjs`)).href,
        wasmBinary: await readFile(resolve(dir, `${name}.wasm`)) });
      if (!made.ok) throw new Error(made.reason);
      return made.core;
    })();
    loading.set(name, loaded);
    loaded.catch(() => loading.delete(name));
  }
  return loaded;
}

/**
 * Opens a session of the core, runs it against Jira to its end and hands the finished session to `use`
 * (which computes over what it read), then closes it. `stopAt`: when the run must stop (runSession's).
 * @template T
 * @param {string} kind @param {object} request
 * @param {(route: any, init?: object) => Promise<Response>} requestJira
 * @param {(outcome: { result: any, requests: number, interrupted?: true } | { error: string, requests: number },
 *   session: ReturnType<import('../../../web/core/upkeep-core.js').UpkeepCore['openSession']>) => T} use
 * @param {{ stopAt?: { time: number, why: string } }} [options]
 * @returns {Promise<T>}
 */
export async function withSession(kind, request, requestJira, use, { stopAt } = {}) {
  const core = await upkeepCore(TICKETS.kinds.includes(kind) ? TICKETS.module : PAGE);
  const session = core.openSession(kind, request);
  try {
    return use(await runSession(session, { send: createJiraTransport(requestJira), stopAt }), session);
  } finally {
    session.dispose();
  }
}
