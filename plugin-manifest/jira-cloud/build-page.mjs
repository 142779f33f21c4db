// Builds the ISMS project page of the Forge app (manifest.yml's resource `isms-page`) into a folder:
// index.html, the page's script (web/jira/isms-page.js with the features it shows and Forge's bridge,
// @forge/bridge) bundled into one file so that it runs under Forge's `script-src 'self'`, and the style
// sheets: the Redmine tab's upkeep.css (the same classes), uPlot's, and the page's own.
//   node build-page.mjs [OUT]   (OUT: static/isms-page, where manifest.yml looks)
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const app = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(app, '../..');

/** @param {string} out the folder to write */
export async function buildPage(out) {
  await mkdir(out, { recursive: true });
  await build({ entryPoints: [resolve(repo, 'web/jira/isms-page.js')], outfile: resolve(out, 'isms-page.js'),
    bundle: true, format: 'esm', minify: true, target: 'es2022', nodePaths: [resolve(app, 'node_modules')], logLevel: 'warning' });
  await Promise.all([
    copyFile(resolve(app, 'page/index.html'), resolve(out, 'index.html')),
    copyFile(resolve(app, 'page/page.css'), resolve(out, 'page.css')),
    copyFile(resolve(repo, 'plugin-manifest/redmine/upkeep/assets/stylesheets/upkeep.css'), resolve(out, 'upkeep.css')),
    copyFile(resolve(repo, 'web/vendor/node_modules/uplot/dist/uPlot.min.css'), resolve(out, 'uPlot.min.css')),
  ]);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await buildPage(resolve(process.argv[2] ?? resolve(app, 'static/isms-page')));
  console.log(`The ISMS page is in ${out}`);
}
