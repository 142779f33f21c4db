// Time from navigation to the ISMS tab drawn, in Chromium against the local Redmine, on the demo ISMS as
// scripts/demo.sh leaves it (its tickets and their history): each run a new logged-in browser context,
// timed from the navigation's start (performance.now() is 0 there) to the tab ready with both charts on
// their canvases; also how long the reads took and how many there were, the computation and the render (the
// tab's own figures).
// Usage: node bench-tab-load.mjs [--runs R] [--project ID] [--today YYYY-MM-DD]; needs scripts/redmine.sh up
// (and scripts/demo.sh; for the 5,000-ticket history, seed-large-project.mjs, with --today 2026-11-22).
import { credentials, launchBrowser, loggedIn, redmineUrl } from './harness.mjs';

const argument = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const RUNS = Number(argument('--runs', 11));
const PROJECT = argument('--project', credentials.project);
const TODAY = argument('--today', ''); // the day the view is for (?upkeep_today), for a project dated so

const browser = await launchBrowser();
const runs = [];
try {
  for (let i = 0; i < RUNS; i += 1) {
    const { context, page } = await loggedIn(browser, 'ciso');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${redmineUrl}/projects/${PROJECT}/isms${TODAY ? `?upkeep_today=${TODAY}` : ''}`, { waitUntil: 'commit' });
    await page.waitForSelector('#upkeep-isms[data-state="ready"]', { timeout: 60000 });
    await page.waitForFunction(() => document.querySelector('.upkeep-occurrence-chart')?.dataset.drawn
      && document.querySelector('#upkeep-on-time-chart canvas'), null, { timeout: 60000 });
    runs.push(await page.evaluate(() => {
      const status = /** @type {HTMLElement} */ (document.querySelector('.upkeep-status'));
      return { drawn: performance.now(), reads: Number(status.dataset.readMs), requests: Number(status.dataset.requests),
        compute: Number(status.dataset.computeMs), render: Number(status.dataset.renderMs) };
    }));
    await context.close();
  }
} finally {
  await browser.close();
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`ISMS tab of ${PROJECT}, ${RUNS} runs: navigation to drawn, median ${median(runs.map((r) => r.drawn)).toFixed(0)} ms ` +
  `(first ${runs[0].drawn.toFixed(0)} ms); of which the reads ${median(runs.map((r) => r.reads)).toFixed(0)} ms ` +
  `over ${runs[0].requests} requests, the computation ${median(runs.map((r) => r.compute)).toFixed(0)} ms, the render ` +
  `${median(runs.map((r) => r.render)).toFixed(0)} ms`);
