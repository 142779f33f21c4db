// Makes the app ready for `forge deploy` (docs/jira-cloud.md, "Deploy and install"): the Custom UI pages
// into static/ (build-page.mjs), and the core, Jira's two wasm modules of the build
// (`cmake --build --preset wasm`), into core/, which manifest.yml's app.package.extraFiles packages beside
// the bundled backend.
//   node build-app.mjs [WASM_DIR]   (WASM_DIR: build/wasm/wasm of the repository by default)
import { copyFile, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPages } from './build-page.mjs';

const app = fileURLToPath(new URL('.', import.meta.url));

/** The core's files the app packages. */
export const coreFiles = ['upkeep-jira.wasm', 'upkeep-jira.mjs', 'upkeep-jira-tickets.wasm', 'upkeep-jira-tickets.mjs'];

/** Copies the core's files from `wasmDir` into `appDir`/core. @param {string} appDir @param {string} wasmDir */
export async function copyCore(appDir, wasmDir) {
  await mkdir(resolve(appDir, 'core'), { recursive: true });
  await Promise.all(coreFiles.map((f) => copyFile(resolve(wasmDir, f), resolve(appDir, 'core', f))));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const wasmDir = resolve(process.argv[2] ?? resolve(app, '../../build/wasm/wasm'));
  await Promise.all([buildPages(resolve(app, 'static')), copyCore(app, wasmDir)]);
  console.log(`The app is ready for \`forge deploy\` in ${app} (pages in static/, the core in core/).`);
}
