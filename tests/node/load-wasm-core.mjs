// Loads the wasm core in node through the same facade the browser uses (web/core/upkeep-core.js).
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const wasmDir = resolve(process.env.UPKEEP_WASM_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../build/wasm/wasm'));

/** One module of the core (wasm/CMakeLists.txt): the ISMS tab's by default. @param {string} [module] */
export async function loadWasmCore(module = 'upkeep-redmine') {
  const modulePath = resolve(wasmDir, `${module}.mjs`);
  const { createUpkeep } = await import('../../web/core/upkeep-core.js');
  const result = await createUpkeep({
    moduleUrl: pathToFileURL(modulePath).href,
    wasmBinary: readFileSync(resolve(wasmDir, `${module}.wasm`)),
  });
  if (!result.ok) throw new Error(result.reason);
  return result.core;
}
