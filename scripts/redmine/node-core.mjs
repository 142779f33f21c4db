// The wasm core and the Redmine transport for the scripts that act in the local Redmine as its people
// (put-config.mjs, seed-demo-history.mjs): the same core and sessions as the ISMS tab, run by Node, each
// person with their API key from build/redmine/credentials.json (written by scripts/redmine.sh).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { redmineCores, moduleOfSession } from '../../web/redmine/redmine-cores.js';
import { createRedmineTransport } from '../../web/redmine/redmine-transport.js';

const here = dirname(fileURLToPath(import.meta.url));
export const defaultCredentials = resolve(here, '../../build/redmine/credentials.json');

/**
 * The core's sessions, each opened in its module of the wasm build (web/redmine/redmine-cores.js); exits
 * with the reason when a module cannot load. @param {string} who
 */
export async function loadCore(who) {
  const wasmDir = resolve(here, '../../build/wasm/wasm');
  const cores = redmineCores((module) => ({ moduleUrl: pathToFileURL(resolve(wasmDir, `${module}.mjs`)).href,
    wasmBinary: readFileSync(resolve(wasmDir, `${module}.wasm`)) }));
  /** @type {Record<string, import('../../web/core/upkeep-core.js').UpkeepCore>} */
  const loaded = {};
  for (const [module, load] of [['upkeep-redmine', cores.panel], ['upkeep-redmine-tickets', cores.tickets]]) {
    const outcome = await load();
    if (!outcome.ok) { console.error(`${who}: ${outcome.reason}`); process.exit(1); }
    loaded[module] = outcome.core;
  }
  return {
    /** @param {string} configText */
    validate: (configText) => loaded['upkeep-redmine'].validate(configText),
    /** @param {string} kind @param {object} request */
    openSession: (kind, request) => loaded[moduleOfSession(kind)].openSession(kind, request),
  };
}

/** A transport per login, each with that person's key. @param {string} url @param {string} [credentials] */
export function peopleOf(url, credentials = defaultCredentials) {
  const keys = JSON.parse(readFileSync(credentials, 'utf8')).api_keys;
  return (/** @type {string} */ login) => {
    if (!keys[login]) throw new Error(`no API key for ${login} in ${credentials}`);
    return createRedmineTransport({ baseUrl: url, apiKey: keys[login] });
  };
}
