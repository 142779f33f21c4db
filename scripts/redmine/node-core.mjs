// The wasm core and the Redmine transport for the scripts that act in the local Redmine as its people
// (put-config.mjs, seed-demo-history.mjs): the same core and sessions as the ISMS tab, run by Node, each
// person with their API key from build/redmine/credentials.json (written by scripts/redmine.sh).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRedmineTransport } from '../../web/redmine/redmine-transport.js';

const here = dirname(fileURLToPath(import.meta.url));
export const defaultCredentials = resolve(here, '../../build/redmine/credentials.json');

/** The core, loaded from the wasm build; exits with the reason when it cannot load. @param {string} who */
export async function loadCore(who) {
  const wasmDir = resolve(here, '../../build/wasm/wasm');
  globalThis.require ??= createRequire(import.meta.url);
  globalThis.__dirname ??= wasmDir;
  const { createUpkeep } = await import('../../web/core/upkeep-core.js');
  const loaded = await createUpkeep({ moduleUrl: pathToFileURL(resolve(wasmDir, 'upkeep-redmine.mjs')).href,
    wasmBinary: readFileSync(resolve(wasmDir, 'upkeep-redmine.wasm')) });
  if (!loaded.ok) { console.error(`${who}: ${loaded.reason}`); process.exit(1); }
  return loaded.core;
}

/** A transport per login, each with that person's key. @param {string} url @param {string} [credentials] */
export function peopleOf(url, credentials = defaultCredentials) {
  const keys = JSON.parse(readFileSync(credentials, 'utf8')).api_keys;
  return (/** @type {string} */ login) => {
    if (!keys[login]) throw new Error(`no API key for ${login} in ${credentials}`);
    return createRedmineTransport({ baseUrl: url, apiKey: keys[login] });
  };
}
