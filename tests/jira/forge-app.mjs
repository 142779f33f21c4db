// Upkeep's Forge app (plugin-manifest/jira-cloud) as Atlassian's own validator (@forge/manifest, the
// package the Forge CLI validates with) reads its manifest, and what of it the Jira double honours: the
// issue properties the app indexes, the only ones Jira's JQL can search. The validator wants the app as
// deployed, its functions' files and its built page beside the manifest: each check gets a copy of the
// manifest in a folder of its own with the app's src/ and the page built there (tests run side by side).
import { copyFile, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import forgeManifest from '@forge/manifest';
import { buildPage } from '../../plugin-manifest/jira-cloud/build-page.mjs';

export const manifestPath = fileURLToPath(new URL('../../plugin-manifest/jira-cloud/manifest.yml', import.meta.url));

/** The validator's full check of a manifest file: { success, errors: [{ message, line }] , manifestObject }. */
export async function validateManifest(path = manifestPath) {
  const app = await mkdtemp(join(tmpdir(), 'upkeep-forge-app-'));
  try {
    await Promise.all([copyFile(path, join(app, 'manifest.yml')), symlink(join(dirname(manifestPath), 'src'), join(app, 'src')),
      buildPage(join(app, 'static', 'isms-page'))]);
    const result = await forgeManifest.validate(false, join(app, 'manifest.yml'));
    return { ...result, errors: (result.errors ?? []).map((e) => ({ ...e, message: e.message.replaceAll(app, basename(dirname(path))) })) };
  } finally {
    await rm(app, { recursive: true, force: true });
  }
}

/** The issue properties a manifest indexes for JQL: [{ propertyKey, path }]. */
export async function indexedProperties(path = manifestPath) {
  const result = await validateManifest(path);
  if (!result.success) throw new Error(`${path}: ${result.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
  const modules = result.manifestObject.typedContent.modules ?? {};
  return (modules['jira:entityProperty'] ?? []).filter((m) => m.entityType === 'issue')
    .flatMap((m) => m.values.map((v) => ({ propertyKey: m.propertyKey, path: v.path })));
}
