// Builds the Custom UI pages of the Forge app (manifest.yml's resources) into a folder, one folder a page:
// isms-page (the ISMS project page, web/jira/isms-page.js) and control-task-panel (the issue panel on
// control tasks, web/jira/control-task-panel.js) and change-panel (the ISMS impact of a change issue,
// web/jira/change-panel.js). Each gets its index.html, its script with the features it
// shows and Forge's bridge (@forge/bridge) bundled into one file, so that it runs under Forge's
// `script-src 'self'`, and the style sheets: the Redmine pages' upkeep.css (the same classes), uPlot's, and
// the pages' own; and the panel's icon.
//   node build-page.mjs [OUT]   (OUT: static, where manifest.yml looks)
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const app = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(app, '../..');

/** The pages: their folder, and their script in web/jira. */
export const pages = ['isms-page', 'control-task-panel', 'change-panel'];

/** @param {string} out the folder to write each page's folder in */
export async function buildPages(out) {
  await Promise.all(pages.map(async (page) => {
    const dir = resolve(out, page);
    await mkdir(dir, { recursive: true });
    await build({ entryPoints: [resolve(repo, `web/jira/${page}.js`)], outfile: resolve(dir, `${page}.js`),
      bundle: true, format: 'esm', minify: true, target: 'es2022', nodePaths: [resolve(app, 'node_modules')], logLevel: 'warning' });
    await Promise.all([
      copyFile(resolve(app, `page/${page}.html`), resolve(dir, 'index.html')),
      copyFile(resolve(app, 'page/page.css'), resolve(dir, 'page.css')),
      copyFile(resolve(app, 'page/icon.svg'), resolve(dir, 'icon.svg')),
      copyFile(resolve(repo, 'plugin-manifest/redmine/upkeep/assets/stylesheets/upkeep.css'), resolve(dir, 'upkeep.css')),
      copyFile(resolve(repo, 'web/vendor/node_modules/uplot/dist/uPlot.min.css'), resolve(dir, 'uPlot.min.css')),
    ]);
  }));
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await buildPages(resolve(process.argv[2] ?? resolve(app, 'static')));
  console.log(`The pages are in ${out}`);
}
