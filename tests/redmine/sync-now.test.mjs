// "Sync now" on the ISMS tab in Chromium against the real Redmine: the browser applies the same plan as
// `upkeep sync` (the wasm core plans, fetch applies), and the CLI then finds nothing left to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { field, issuesOf, leaseHolder, loggedIn, owners, putConfig, redmineUrl, scratchProject, suite, sync, upkeep, userIds,
  waitForLeaseHolder } from './harness.mjs';
import { startFaultProxy } from './fault-proxy.mjs';

// Sync now writes as of the local date (never a URL's): the CLI is given the same day.
const now = new Date();
const TODAY = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n, i) => String(n).padStart(i ? 2 : 4, '0')).join('-');
const resources = suite({ withBrowser: true });
const cleanups = resources.cleanups;

test('Sync now applies the same plan as upkeep sync, as one of the sync accounts', async () => {
  const project = await scratchProject('sync-now', [...owners, 'upkeep-bot']);
  cleanups.push(project.remove);
  const config = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15']));
  config.activities = config.activities.filter((a) => ['access-review', 'vulnerability-management'].includes(a.id));
  config.activities[0].title = '<i>Access</i> review <img src=x onerror="window.__pwned=1">';
  assert.deepEqual(config.sync.accounts, ['upkeep-bot', 'ciso']);
  const text = JSON.stringify(config, null, 2);
  await putConfig(project.identifier, text, 'sync now test');
  const file = join(mkdtempSync(join(tmpdir(), 'upkeep-sync-now-')), 'isms.json');
  writeFileSync(file, text);

  const cliPlan = await sync(['--project', project.identifier, '--today', TODAY, '--dry-run', '--json']);
  assert.equal(cliPlan.status, 0, cliPlan.stderr);
  const planned = cliPlan.json.actions.map((a) => `${a.action} ${a.key}`).sort();
  assert.ok(planned.length > 5);

  const { context, page } = await loggedIn(resources.browser, 'ciso');
  cleanups.push(() => context.close());
  await page.goto(`${redmineUrl}/projects/${project.identifier}/isms?upkeep_today=${TODAY}`);
  await page.waitForSelector('#upkeep-isms[data-state="ready"]', { timeout: 20000 });

  await page.click('#upkeep-isms button.upkeep-preview');
  await page.waitForSelector('.upkeep-sync-output[data-state="previewed"]', { timeout: 20000 });
  const previewed = await page.$$eval('.upkeep-sync-output li[data-key]', (items) => items.map((li) => `${li.dataset.kind} ${li.dataset.key}`).sort());
  assert.deepEqual(previewed, planned, 'the browser plans what the CLI plans');
  assert.equal((await issuesOf(project.identifier)).length, 0, 'a preview writes nothing');

  await page.click('#upkeep-isms button.upkeep-sync');
  await page.waitForSelector('.upkeep-sync-output[data-state="synced"]', { timeout: 60000 });
  assert.match(await page.textContent('.upkeep-sync-output'), new RegExp(`Synced: ${planned.length} writes`));
  const ids = await userIds();
  const tickets = await issuesOf(project.identifier);
  assert.deepEqual(tickets.map((i) => `create ${field(i, 'Upkeep key')}`).sort(), planned);
  assert.ok(tickets.every((i) => i.author.id === ids.ciso));

  const after = await sync(['--project', project.identifier, '--today', TODAY, '--json']);
  assert.equal(after.status, 0, after.stderr);
  assert.equal(after.json.writes, 0, 'the CLI (upkeep-bot) counts the ISMS manager\'s tickets as Upkeep\'s');

  await page.click('#upkeep-isms button.upkeep-sync');
  await page.waitForFunction(() => /Synced: 0 writes/.test(document.querySelector('.upkeep-sync-output')?.textContent ?? ''), null, { timeout: 30000 });

  // Overdue control tasks show on the tab, by owner, their subjects as text.
  await page.reload();
  await page.waitForSelector('#upkeep-isms[data-state="ready"]', { timeout: 20000 });
  const overdue = tickets.filter((i) => i.due_date < TODAY).map((i) => String(i.id)).sort();
  assert.ok(overdue.length > 3);
  const shown = await page.$$eval('.upkeep-overdue li[data-issue]', (items) => items.map((li) => li.dataset.issue).sort());
  assert.deepEqual(shown, overdue);
  await page.waitForSelector('#upkeep-isms .upkeep-status[data-state="ready"]');
  // The actions first (Redmine's action links), then the countdown, readiness and counts, then what to fix
  // first, the period's timeline, changes and findings, then what is overdue by owner.
  const top = await page.$$eval('#upkeep-isms > *', (els) => els.map((e) => e.className));
  assert.deepEqual(top.slice(0, 2), ['contextual upkeep-action-links', 'upkeep-status']);
  const order = await page.$$eval('#upkeep-isms .upkeep-status > *', (els) => els.map((e) => e.id || e.className));
  assert.equal(order[0], 'upkeep-glance upkeep-readiness');
  assert.ok(order.indexOf('upkeep-status-panel') < order.indexOf('upkeep-overdue'), order.join());
  assert.deepEqual(await page.$$eval('.upkeep-status-panel > details', (els) => els.map((e) => e.id)),
    ['upkeep-fix-first', 'upkeep-timeline', 'upkeep-changes', 'upkeep-findings']);
  assert.match(await page.textContent('.upkeep-overdue'), /<i>Access<\/i> review <img src=x/);
  assert.equal(await page.$('.upkeep-overdue i'), null);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);

  // A read that fails once is tried again (the core's retry policy, the same as the CLI's): the tab shows.
  const keyed = (url) => url.pathname.endsWith('/upkeep_issues.json') && [...url.searchParams.keys()].some((k) => /^cf_\d+$/.test(k));
  let failures = 0;
  await page.route(keyed, (route) => (failures++ === 0 ? route.fulfill({ status: 503, body: 'down for maintenance' }) : route.continue()));
  await page.reload();
  await page.waitForSelector('#upkeep-isms[data-state="ready"]', { timeout: 30000 });
  assert.ok(failures >= 2, 'the failed read was sent again');
  await page.unroute(keyed);
  // A read that keeps failing ends with what failed, instead of a half-drawn tab; meanwhile the tab says
  // what it reads. "Try again" reads again once Redmine is back.
  await page.route(keyed, (route) => route.fulfill({ status: 503, body: 'down for maintenance' }));
  await page.reload();
  await page.waitForFunction(() => /^Reading the tickets… \(step \d+\)$/.test(document.querySelector('#upkeep-isms .upkeep-loading')?.textContent ?? ''),
    null, { timeout: 20000 });
  await page.waitForSelector('#upkeep-isms[data-state="failed"]', { timeout: 60000 });
  assert.match(await page.textContent('#upkeep-isms'), /GET \/projects\/\d+\/upkeep_issues\.json.*HTTP 503: Redmine keeps failing/);
  await page.unroute(keyed);
  await page.click('#upkeep-isms button.upkeep-retry');
  await page.waitForSelector('#upkeep-isms[data-state="ready"]', { timeout: 30000 });
  await page.unroute('**/*');
});

test('one sync at a time, shared by the CLI and the browser: each finds the other\'s lease and writes nothing', async () => {
  const project = await scratchProject('sync-now-lease', [...owners, 'upkeep-bot']);
  cleanups.push(project.remove);
  const config = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15']));
  config.activities = config.activities.slice(0, 6);
  await putConfig(project.identifier, JSON.stringify(config, null, 2), 'sync lease test');
  const args = ['--project', project.identifier, '--today', TODAY, '--json'];
  const { context, page } = await loggedIn(resources.browser, 'ciso');
  cleanups.push(() => context.close());
  await page.goto(`${redmineUrl}/projects/${project.identifier}/isms`);
  await page.waitForSelector('#upkeep-isms[data-state="ready"]', { timeout: 20000 });

  // Sync now while `upkeep sync` runs (slowed by its tracker): told whose run holds the lease; nothing written.
  const proxy = await startFaultProxy(redmineUrl, [], { delayMs: 150 });
  cleanups.push(proxy.stop);
  let child;
  const cli = sync(args, { url: proxy.url, onSpawn: (c) => { child = c; } });
  await waitForLeaseHolder(project.identifier, 'upkeep-bot');
  await page.click('#upkeep-isms button.upkeep-sync');
  await page.waitForSelector('.upkeep-sync-output[data-state="failed"]', { timeout: 30000 });
  assert.match(await page.textContent('.upkeep-sync-output'),
    new RegExp(`another sync is running: upkeep-bot \\(upkeep sync on .+, process ${child.pid}\\) holds the sync lease since .+ UTC, until .+ at the latest`));
  const done = await cli;
  assert.equal(done.status, 0, done.stderr);
  const ids = await userIds();
  const made = await issuesOf(project.identifier);
  assert.equal(made.length, done.json.creates);
  assert.ok(made.every((i) => i.author.id === ids['upkeep-bot']), 'Sync now wrote nothing');

  // `upkeep sync` while Sync now runs (its writes slowed in the page): exit 7, naming the browser's run.
  const all = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15']));
  await putConfig(project.identifier, JSON.stringify(all, null, 2), 'every activity');
  await page.route((url) => url.pathname.startsWith('/upkeep/rest/issues'), async (route) => {
    if (route.request().method() !== 'GET') await new Promise((r) => setTimeout(r, 120));
    await route.continue();
  });
  await page.reload();
  await page.waitForSelector('#upkeep-isms[data-state="ready"]', { timeout: 20000 });
  await page.click('#upkeep-isms button.upkeep-sync');
  await waitForLeaseHolder(project.identifier, 'ciso');
  const blocked = await sync(args);
  assert.equal(blocked.status, 7, blocked.stderr);
  assert.match(blocked.stderr, /another sync is running: ciso \(Sync now in a browser, [0-9a-f]{8}\) holds the sync lease since/);
  await page.waitForSelector('.upkeep-sync-output[data-state="synced"]', { timeout: 60000 });
  assert.match(await page.textContent('.upkeep-sync-output'), /Synced: [1-9]\d* writes/);
  assert.equal(await leaseHolder(project.identifier), 'nobody');
  assert.equal((await sync(args)).json.writes, 0);
  await page.unroute('**/*');
});
