// Upkeep's Forge app (plugin-manifest/jira-cloud) as Atlassian's own validator (@forge/manifest, the
// package the Forge CLI validates with) reads its manifest, and what of it the Jira double honours: the
// issue properties the app indexes, the only ones Jira's JQL can search.
import { fileURLToPath } from 'node:url';
import forgeManifest from '@forge/manifest';

export const manifestPath = fileURLToPath(new URL('../../plugin-manifest/jira-cloud/manifest.yml', import.meta.url));

/** The validator's full check of a manifest file: { success, errors: [{ message, line }] , manifestObject }. */
export function validateManifest(path = manifestPath) {
  return forgeManifest.validate(false, path);
}

/** The issue properties a manifest indexes for JQL: [{ propertyKey, path }]. */
export async function indexedProperties(path = manifestPath) {
  const result = await validateManifest(path);
  if (!result.success) throw new Error(`${path}: ${result.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
  const modules = result.manifestObject.typedContent.modules ?? {};
  return (modules['jira:entityProperty'] ?? []).filter((m) => m.entityType === 'issue')
    .flatMap((m) => m.values.map((v) => ({ propertyKey: m.propertyKey, path: v.path })));
}
