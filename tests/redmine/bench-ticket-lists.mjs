// Reading every one of Upkeep's tickets of a project (the status's largest list: the tickets carrying an
// Upkeep key, with their files) from Redmine's own list, GET /issues.json, 100 a page, and from the plugin's,
// GET /projects/ID/upkeep_issues.json, 1,000 a page, in the same run, alternating: the time of all pages,
// one after another as the core reads them, and the bytes.
// Usage: node bench-ticket-lists.mjs [--project ID] [--runs R] [--login LOGIN]; needs scripts/redmine.sh up
// (for the 5,000-ticket project, seed-large-project.mjs).
import { credentials, redmineUrl, rest } from './harness.mjs';

const argument = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const PROJECT = argument('--project', credentials.project);
const RUNS = Number(argument('--runs', 5));
const LOGIN = argument('--login', 'ciso');

const projectId = (await rest('GET', `/projects/${PROJECT}.json`)).body.project.id;
const keyField = (await rest('GET', '/custom_fields.json')).body.custom_fields.find((f) => f.name === 'Upkeep key').id;
const filters = `subproject_id=!*&status_id=*&cf_${keyField}=*&include=attachments&sort=id`;
const lists = {
  "Redmine's /issues.json": (offset) => `/issues.json?project_id=${projectId}&${filters}&limit=100&offset=${offset}`,
  "the plugin's upkeep_issues.json": (offset) => `/projects/${projectId}/upkeep_issues.json?${filters}&limit=1000&offset=${offset}`,
};

async function readAll(page) {
  const started = performance.now();
  let tickets = 0;
  let bytes = 0;
  let requests = 0;
  for (let offset = 0; ; ) {
    const response = await fetch(redmineUrl + page(offset), { headers: { 'X-Redmine-API-Key': credentials.api_keys[LOGIN] } });
    const text = await response.text();
    if (!response.ok) throw new Error(`${page(offset)}: HTTP ${response.status}`);
    const body = JSON.parse(text);
    requests += 1;
    bytes += text.length;
    tickets += body.issues.length;
    offset += body.issues.length;
    if (body.issues.length === 0 || offset >= body.total_count) break;
  }
  return { ms: performance.now() - started, tickets, bytes, requests };
}

const times = Object.fromEntries(Object.keys(lists).map((name) => [name, []]));
let last = {};
for (let run = 0; run < RUNS; run += 1) {
  for (const [name, page] of Object.entries(lists)) {
    last[name] = await readAll(page);
    times[name].push(last[name].ms);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const [redmine, plugin] = Object.keys(lists);
for (const name of Object.keys(lists)) {
  console.log(`${name}: ${last[name].tickets} tickets in ${last[name].requests} requests, ` +
    `${(last[name].bytes / 1e6).toFixed(2)} MB, median ${median(times[name]).toFixed(0)} ms of ${RUNS} runs`);
}
console.log(`${PROJECT}: the plugin's list ${(median(times[redmine]) / median(times[plugin])).toFixed(1)}x faster than Redmine's`);
