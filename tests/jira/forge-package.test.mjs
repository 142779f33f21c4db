// What `forge deploy` uploads of Upkeep's Forge app, made here as the Forge CLI makes it, offline: the
// functions bundled by the CLI's bundler (forge-bundle.cjs) with the files manifest.yml's
// app.package.extraFiles adds beside them (the core, which build-app.mjs puts in core/), laid out as the
// package; then the bundle run from the package's folder, as Forge's Node runtime runs it, in the test
// runtime (forge-runtime.mjs) against the contract double: it loads the core it carries, and answers the
// page as the source does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { installForgeRuntime } from './forge-runtime.mjs';
import { manifestPath, wasmDir } from './forge-app.mjs';
import { bot, config, expectedOccurrences, startLogReviewProject, today } from './log-review-project.mjs';
import { copyCore, coreFiles } from '../../plugin-manifest/jira-cloud/build-app.mjs';

const app = fileURLToPath(new URL('../../plugin-manifest/jira-cloud/', import.meta.url));
const appAccount = { accountId: '712020:8f4a2b1c-5d6e-4f70-8a9b-0c1d2e3f4a5b', displayName: 'Upkeep', email: 'app@connect.atlassian.com', token: 'app-token' };

let double = null;
const runtime = installForgeRuntime({ jira: () => double.url, users: [bot, appAccount], app: appAccount });

test('the package `forge deploy` makes: the bundled backend runs from its folder with the core it carries', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(new URL('forge-bundle.cjs', import.meta.url))], { cwd: app });
  const { outputDir, files } = JSON.parse(stdout);
  const manifest = YAML.parse(await readFile(manifestPath, 'utf8'));
  assert.deepEqual(files.filter((f) => !f.endsWith('.map')), ['index.cjs'], 'one bundle: every function is in src/index.js');
  assert.deepEqual(manifest.app.package.extraFiles, coreFiles.map((f) => `core/${f}`));
  const packaged = await mkdtemp(join(tmpdir(), 'upkeep-forge-package-'));
  const here = process.cwd();
  const wasmOverride = process.env.UPKEEP_WASM_DIR;
  try {
    await cp(outputDir, packaged, { recursive: true });
    await copyCore(packaged, wasmDir);
    for (const file of manifest.app.package.extraFiles) assert.ok((await stat(join(packaged, file))).isFile(), file);
    // Run as Forge runs it: from the package's folder, the core found beside the bundle (no override).
    delete process.env.UPKEEP_WASM_DIR;
    process.chdir(packaged);
    const bundled = createRequire(join(packaged, 'package.json'))('./index.cjs');
    assert.deepEqual(Object.keys(bundled).sort(), manifest.modules.function.map((f) => f.handler.split('.')[1]).sort());
    double = await startLogReviewProject();
    const { saveConfiguration } = await import('../../plugin-manifest/jira-cloud/src/app-storage.js');
    await saveConfiguration('ISMS', 0, { text: JSON.stringify(config), saved_by: bot.accountId, saved_at: '2027-03-01T09:00:00Z' });
    const read = await runtime.invoke(bundled.handler, 'status', { today }, { accountId: bot.accountId, project: { id: '10100', key: 'ISMS' } });
    assert.ok(read.status, JSON.stringify(read).slice(0, 400));
    const marks = read.status.report.periods[0].timeline.find((row) => row.activity === 'log-review').marks;
    assert.deepEqual(marks.filter(([due]) => due <= expectedOccurrences.at(-1)[0]).map(([due, state, , , ticket]) => [due, state, ticket]),
      expectedOccurrences);
    assert.deepEqual(double.violations, []);
  } finally {
    process.chdir(here);
    if (wasmOverride !== undefined) process.env.UPKEEP_WASM_DIR = wasmOverride;
    await double?.stop();
    await rm(packaged, { recursive: true, force: true });
    await rm(outputDir, { recursive: true, force: true });
  }
});
