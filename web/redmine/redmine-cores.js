// @ts-check
// Redmine's core comes in two WebAssembly modules (wasm/CMakeLists.txt), which together would not keep
// within the size budget: the panel's (the status, its exports, the configuration: the ISMS tab) and the
// tickets' (sync, the change prompt, completion: the pages that write tickets, and Sync now). Each is
// loaded once, when a page first opens one of its sessions.
import { createUpkeep } from '../core/upkeep-core.js';

/** The sessions of the tickets' module; every other one is the panel's. */
const ticketSessions = new Set(['sync', 'change', 'complete']);

/** The module a session kind lives in. @param {string} kind */
export function moduleOfSession(kind) {
  return ticketSessions.has(kind) ? 'upkeep-redmine-tickets' : 'upkeep-redmine';
}

/**
 * @typedef {Awaited<ReturnType<typeof createUpkeep>>} Loaded
 * @typedef {{ panel: () => Promise<Loaded>, tickets: () => Promise<Loaded>, forSession: (kind: string) => Promise<Loaded> }} RedmineCores
 */

/**
 * @param {(module: string) => Parameters<typeof createUpkeep>[0]} [optionsOf] how to load a module by its
 *   name (default: from beside the page's scripts, as the plugin serves them)
 * @returns {RedmineCores}
 */
export function redmineCores(optionsOf = (module) => ({ moduleUrl: new URL(`../core/${module}.js`, import.meta.url).href })) {
  /** @type {Map<string, Promise<Loaded>>} */
  const loading = new Map();
  /** @param {string} module */
  const load = (module) => {
    let loaded = loading.get(module);
    if (!loaded) loading.set(module, loaded = createUpkeep(optionsOf(module)));
    return loaded;
  };
  return {
    panel: () => load('upkeep-redmine'),
    tickets: () => load('upkeep-redmine-tickets'),
    forSession: (kind) => load(moduleOfSession(kind)),
  };
}
