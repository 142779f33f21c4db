// Requests and seconds per sync against the real Redmine: the demo ISMS, and a large one (300 activities)
// synced monthly over a three-year certification cycle, nobody closing anything.
//   node bench-sync-requests.mjs [--demo-only | --large-only]   (needs scripts/redmine.sh up)
// On the PostgreSQL Redmine (UPKEEP_REDMINE_DB=postgresql scripts/redmine.sh up), with
//   UPKEEP_REDMINE_URL=http://127.0.0.1:3301 UPKEEP_REDMINE_STATE=../../build/redmine-pgsql UPKEEP_REDMINE_INSTANCE=upkeep-pgsql
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { owners, redmineUrl, scratchProject, sync, upkeep } from './harness.mjs';

const dir = mkdtempSync(join(tmpdir(), 'upkeep-bench-'));
const configFile = (name, config) => {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
};
const months = (from, to) => {
  const out = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCMonth(d.getUTCMonth() + 1)) out.push(d.toISOString().slice(0, 10));
  return out;
};
async function run(project, file, today) {
  const started = performance.now();
  const r = await sync(['--project', project, '--today', today, '--config', file, '--json']);
  if (r.status !== 0) throw new Error(r.stderr);
  return { ...r.json, seconds: (performance.now() - started) / 1000 };
}
const row = (label, j) => console.log(`| ${label} | ${j.creates} | ${j.updates} | ${j.comments} | ${j.closes ?? 0} | ${j.unchanged} | ${j.requests} | ${j.seconds.toFixed(1)} |`);

console.log(`Redmine at ${redmineUrl}`);
console.log('| sync | creates | updates | comments | closes | unchanged | HTTP requests | s |');
console.log('|---|---|---|---|---|---|---|---|');
if (!process.argv.includes('--large-only')) {
  const demo = await scratchProject('bench-demo', [...owners, 'upkeep-bot']);
  const file = configFile('demo', JSON.parse(upkeep(['init', '--decision-date', '2026-03-22'])));
  row('demo ISMS (28 activities), first sync on 2026-11-22', await run(demo.identifier, file, '2026-11-22'));
  row('demo ISMS, rerun the same day', await run(demo.identifier, file, '2026-11-22'));
  await demo.remove();
}
if (process.argv.includes('--demo-only')) process.exit(0);
const large = await scratchProject('bench-large', [...owners, 'upkeep-bot']);
const config = JSON.parse(upkeep(['init', '--decision-date', '2023-11-15']));
const base = config.activities;
config.activities = [];
for (let copy = 1; config.activities.length < 300; copy += 1)
  for (const a of base) if (config.activities.length < 300) config.activities.push({ ...a, id: `${a.id}-${copy}` });
const file = configFile('large', config);
const days = months('2023-11-15', '2026-11-15');
const results = [];
for (const day of days) results.push(await run(large.identifier, file, day));
const sorted = [...results.slice(1)].sort((a, b) => a.requests - b.requests);
row(`300 activities: first sync (${days[0]})`, results[0]);
row(`300 activities: median of ${days.length - 1} monthly syncs`, sorted[Math.floor(sorted.length / 2)]);
row(`300 activities: busiest monthly sync`, sorted.at(-1));
const final = await run(large.identifier, file, days.at(-1));
row(`300 activities: rerun after three years (${final.unchanged} tickets)`, final);
await large.remove();
