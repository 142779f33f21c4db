// Loads the wasm core in node through the same facade the browser uses (web/core/upkeep-core.js).
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const wasmDir = resolve(process.env.UPKEEP_WASM_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../build/wasm/wasm'));

export async function loadWasmCore() {
  const modulePath = resolve(wasmDir, 'upkeep-redmine.mjs');
  const { createUpkeep } = await import('../../web/core/upkeep-core.js');
  const result = await createUpkeep({
    moduleUrl: pathToFileURL(modulePath).href,
    wasmBinary: readFileSync(resolve(wasmDir, 'upkeep-redmine.wasm')),
  });
  if (!result.ok) throw new Error(result.reason);
  return result.core;
}
