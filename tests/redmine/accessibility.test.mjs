// Upkeep's parts of Redmine's pages for people on a phone and people with assistive technology: at 390 px
// wide the ISMS tab, a control task and a change ticket never scroll sideways (wide tables scroll in their
// own box), and axe-core (Deque's accessibility engine, from npm) finds no serious or critical violation
// in Upkeep's panels. Redmine's own markup around them is Redmine's.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { credentials, issuesOf, loggedIn, owners, putConfig, redmineUrl, rest, scratchProject, suite, sync, upkeep } from './harness.mjs';

const TODAY = '2026-11-22';
const resources = suite({ withBrowser: true });
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const demo = credentials.project;
let pages;

before(async () => {
  const project = await scratchProject('a11y', [...owners, 'upkeep-bot']);
  resources.cleanups.push(project.remove);
  await putConfig(project.identifier, upkeep(['init', '--decision-date', '2026-03-15']), 'accessibility test');
  assert.equal((await sync(['--project', project.identifier, '--today', TODAY])).status, 0);
  const task = (await issuesOf(project.identifier)).find((i) => i.tracker.name === 'Control task');
  const changeTracker = (await rest('GET', '/trackers.json')).body.trackers.find((t) => t.name === 'Change');
  const change = (await rest('POST', '/issues.json', { issue: { project_id: demo, tracker_id: changeTracker.id,
    subject: 'Replace the VPN appliance with a cloud gateway' } }, 'itops')).body.issue;
  resources.cleanups.push(() => rest('DELETE', `/issues/${change.id}.json`));
  pages = [
    ['ISMS tab', `${redmineUrl}/projects/${demo}/isms`, '#upkeep-isms', '#upkeep-isms[data-state="ready"]'],
    ['control task', `${redmineUrl}/issues/${task.id}`, '#upkeep-evidence', '#upkeep-evidence[data-state="ready"]'],
    ['change ticket', `${redmineUrl}/issues/${change.id}`, '#upkeep-change', '#upkeep-change[data-state="unassessed"]'],
  ];
});

/** Opens a page as ciso at `width` px and waits for Upkeep's panel. */
async function open(url, ready, width) {
  const { context, page } = await loggedIn(resources.browser, 'ciso');
  resources.cleanups.push(() => context.close());
  await page.setViewportSize({ width, height: 900 });
  await page.goto(url);
  await page.waitForSelector(ready, { timeout: 30000 });
  return page;
}

test('at 390 px wide no page of Upkeep\'s scrolls sideways, and its buttons are at least 24 px tall', async () => {
  for (const [name, url, , ready] of pages) {
    const page = await open(url, ready, 390);
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth }));
    assert.ok(scrollWidth <= clientWidth, `the ${name} is ${scrollWidth} px wide in a ${clientWidth} px window`);
    const small = await page.$$eval('.upkeep button, .upkeep summary, .upkeep .upkeep-figures a', (targets) => targets
      .filter((t) => t.getClientRects().length && t.getBoundingClientRect().height < 24)
      .map((t) => `${t.tagName} "${t.textContent?.trim().slice(0, 30)}" ${t.getBoundingClientRect().height.toFixed(0)} px`));
    assert.deepEqual(small, [], `tap targets under 24 px on the ${name}`);
  }
});

test('axe-core finds no serious or critical violation in Upkeep\'s panels', async () => {
  for (const [name, url, panel, ready] of pages) {
    for (const width of [1440, 390]) {
      const page = await open(url, ready, width);
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async (include) => {
        // @ts-ignore -- axe, added to the page above
        const results = await window.axe.run({ include: [include] }, { resultTypes: ['violations'] });
        return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      }, panel);
      assert.deepEqual(violations, [], `the ${name} at ${width} px`);
    }
  }
});
