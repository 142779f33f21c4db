// Upkeep's Forge app (plugin-manifest/jira-cloud) as Atlassian's own validator (@forge/manifest, the
// package the Forge CLI validates with) reads its manifest, and what of it the Jira double honours: the
// issue properties the app indexes, the only ones Jira's JQL can search. The validator wants the app as
// deployed, its functions' files, its built pages and the core it packages beside the manifest (it looks
// for the packaged files from the working folder, as `forge deploy` runs in the app's): each check gets a
// copy of the manifest in a folder of its own with the app's src/, the pages built there and the core.
// And the linter `forge lint` runs (@forge/lint's client-side linters, the scopes each Jira call needs
// among them), offline: the CLI's command logs in to Atlassian first, and the linter fetches Atlassian's
// REST descriptions unless given local copies, which it is: Jira's (tests/jira/reference), and empty ones
// of the products the app never calls.
import { copyFile, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import forgeManifest from '@forge/manifest';
import forgeLint from '@forge/lint';
import YAML from 'yaml';
import { buildPages } from '../../plugin-manifest/jira-cloud/build-page.mjs';
import { copyCore } from '../../plugin-manifest/jira-cloud/build-app.mjs';

/** The native build's wasm modules. */
export const wasmDir = process.env.UPKEEP_WASM_DIR ?? fileURLToPath(new URL('../../build/wasm/wasm', import.meta.url));

export const manifestPath = fileURLToPath(new URL('../../plugin-manifest/jira-cloud/manifest.yml', import.meta.url));

/** Runs `check` on the app as deployed with the manifest at `path`, in a folder of its own. @template T @param {string} path @param {(app: string) => Promise<T>} check */
async function withApp(path, check) {
  const app = await mkdtemp(join(tmpdir(), 'upkeep-forge-app-'));
  try {
    await Promise.all([copyFile(path, join(app, 'manifest.yml')), symlink(join(dirname(manifestPath), 'src'), join(app, 'src')),
      buildPages(join(app, 'static')), copyCore(app, wasmDir)]);
    return await inFolder(app, () => check(app));
  } finally {
    await rm(app, { recursive: true, force: true });
  }
}

/** Runs `body` with `folder` the working folder. @template T @param {string} folder @param {() => Promise<T>} body */
async function inFolder(folder, body) {
  const here = process.cwd();
  process.chdir(folder);
  try {
    return await body();
  } finally {
    process.chdir(here);
  }
}

/** The validator's full check of a manifest file: { success, errors: [{ message, line }] , manifestObject }. */
export function validateManifest(path = manifestPath) {
  return withApp(path, async (app) => {
    const result = await forgeManifest.validate(false, join(app, 'manifest.yml'));
    return { ...result, errors: (result.errors ?? []).map((e) => ({ ...e, message: e.message.replaceAll(app, basename(dirname(path))) })) };
  });
}

/** What `forge lint` finds in the app with the manifest at `path`: [{ file, line, message, error }]. */
export function lintApp(path = manifestPath) {
  return withApp(path, async (app) => {
    const none = join(app, 'no-paths.json');
    await writeFile(none, '{"paths":{}}');
    Object.assign(process.env, { USE_LOCAL_SWAGGER: '1', LOCAL_JIRA_SWAGGER: fileURLToPath(new URL('reference/jira-platform-openapi-v3.json', import.meta.url)),
      LOCAL_JSM_SWAGGER: none, LOCAL_JSW_SWAGGER: none, LOCAL_CONF_SWAGGER: none, LOCAL_CONF_V2_SWAGGER: none, LOCAL_BB_SWAGGER: none });
    const files = (await readdir(join(app, 'src'))).filter((f) => f.endsWith('.js')).map((f) => join('src', f));
    const manifest = YAML.parse(await readFile(join(app, 'manifest.yml'), 'utf8'));
    const quiet = { info() {}, warn() {}, error() {}, debug() {}, trace() {} };
    // Only the runtimes Atlassian deprecates are asked of its feature flags; none is, here.
    const flags = { getDeprecatedRuntimes: async () => [] };
    const results = await forgeLint.lint(files, manifest, 'development', quiet, flags, { linter: { mode: 'client-side' } });
    return results.flatMap((r) => [...r.errors.map((e) => ({ ...e, error: true })), ...r.warnings.map((e) => ({ ...e, error: false }))]
      .map((e) => ({ file: r.file, line: e.line, message: e.message, error: e.error })));
  });
}

/** Each manifest's indexed properties, read once a test process (the validator builds the app's pages). */
const indexed = new Map();

/** The issue properties a manifest indexes for JQL: [{ propertyKey, path }]. */
export function indexedProperties(path = manifestPath) {
  if (!indexed.has(path)) indexed.set(path, readIndexedProperties(path));
  return indexed.get(path);
}

/** @param {string} path */
async function readIndexedProperties(path) {
  const result = await validateManifest(path);
  if (!result.success) throw new Error(`${path}: ${result.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
  const modules = result.manifestObject.typedContent.modules ?? {};
  return (modules['jira:entityProperty'] ?? []).filter((m) => m.entityType === 'issue')
    .flatMap((m) => m.values.map((v) => ({ propertyKey: m.propertyKey, path: v.path })));
}
