// The bundler `forge deploy` runs on a Forge app (@forge/bundler's Node runtime bundler: webpack, as the
// Forge CLI configures it), run offline on Upkeep's app: the functions' modules of manifest.yml bundled
// into the folder Forge packages. The runtime's wrapper and loader, which the CLI downloads from
// Atlassian, are stand-ins here (the package test runs the bundle with the test runtime instead).
//   node forge-bundle.cjs   (the working folder: plugin-manifest/jira-cloud)
// Prints {"outputDir": the bundle's folder, "files": [its files]}. CommonJS: the bundler asks for the
// main module.
const { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const app = process.cwd();
const fromApp = createRequire(resolve(app, 'package.json'));
const bundler = fromApp('@forge/bundler');
const { FileSystemReader } = fromApp('@forge/cli-shared');
const YAML = fromApp('yaml');

async function main() {
  const manifest = YAML.parse(readFileSync(resolve(app, 'manifest.yml'), 'utf8'));
  const handlers = manifest.modules.function.map((f) => ({ module: f.handler.split('.')[0] }));
  const runtime = mkdtempSync(join(tmpdir(), 'upkeep-forge-runtime-'));
  mkdirSync(join(runtime, 'dist'));
  for (const script of ['wrapper', 'loader']) writeFileSync(join(runtime, 'dist', `${script}.js`), `// Forge's ${script} (a stand-in)\n`);
  const quiet = { debug() {}, info() {}, warn() {}, error() {}, trace() {}, success() {} };
  const nodeBundler = bundler.getNodeBundler(quiet, new bundler.LocalWrapperProvider(new FileSystemReader(), runtime),
    { readConfig: async () => manifest });
  const { outputDir } = await nodeBundler.bundle({ appDirectory: app, entryPoints: bundler.getEntryPoints(handlers) });
  process.stdout.write(JSON.stringify({ outputDir, files: readdirSync(outputDir) }));
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
