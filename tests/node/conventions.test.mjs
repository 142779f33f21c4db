// One definition per wire convention: the names Upkeep gives things in Redmine live in the plugin's
// config/conventions.json, which the C++ host is generated from and the Ruby plugin reads; no product
// source spells them again. The version is CMake's project version everywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve, relative } from 'node:path';
import { loadWasmCore } from './load-wasm-core.mjs';

const repo = resolve(import.meta.dirname, '../..');
const UPKEEP = resolve(process.env.UPKEEP_BIN ?? join(repo, 'build/native/cli/upkeep'));
const manifestPath = join(repo, 'plugin-manifest/redmine/upkeep/config/conventions.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));

/** Every file under `dir` whose name ends with one of `endings`. */
function files(dir, endings) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(path).isDirectory()) out.push(...files(path, endings));
    else if (endings.some((e) => name.endsWith(e))) out.push(path);
  }
  return out;
}

test('no product source spells a name of the conventions again', () => {
  // The configuration's own defaults ("Change", "Incident", "Severity", ...) are the configuration's words,
  // which a project may change; these are Upkeep's fixed names.
  const fixed = [...Object.entries(manifest.trackers).filter(([k]) => !['change', 'incident'].includes(k)).map(([, v]) => v),
    ...Object.entries(manifest.fields).filter(([k]) => !['severity', 'occurred_on', 'detected_on', 'resolved_on'].includes(k)).map(([, v]) => v),
    ...Object.values(manifest.impact_values), manifest.configuration_page, manifest.sync_lease_page, manifest.calendar_feed.file, manifest.calendar_feed.description];
  const sources = [...files(join(repo, 'hosts'), ['.cpp', '.hpp', '.in']), ...files(join(repo, 'web'), ['.js']),
    ...files(join(repo, 'plugin-manifest'), ['.rb', '.erb', '.js', '.rake'])];
  assert.ok(sources.length > 40);
  const found = [];
  for (const file of sources) {
    // Code, not comments: prose may name a field for people.
    const code = readFileSync(file, 'utf8').split('\n').filter((line) => !/^\s*(\/\/|#|\*|<%#)/.test(line))
      .map((line) => line.replace(/\s\/\/ .*$/, '')).join('\n');
    for (const name of fixed)
      if (code.includes(`"${name}"`) || code.includes(`'${name}'`)) found.push(`${relative(repo, file)}: ${name}`);
  }
  assert.deepEqual(found, []);
});

test('the C++ host is generated from the conventions', () => {
  const header = readFileSync(join(repo, 'build/native/hosts/redmine/generated/upkeep/redmine/conventions.hpp'), 'utf8');
  const value = (name) => new RegExp(`${name} = "([^"]*)";`).exec(header)?.[1];
  assert.equal(value('control_tracker'), manifest.trackers.control_task);
  assert.equal(value('follow_up_tracker'), manifest.trackers.follow_up);
  assert.equal(value('key_field'), manifest.fields.key);
  assert.equal(value('state_field'), manifest.fields.state);
  assert.equal(value('impact_affects'), manifest.impact_values.affects);
  assert.equal(value('configuration_page'), manifest.configuration_page);
  assert.equal(value('sync_lease_page'), manifest.sync_lease_page);
  assert.equal(value('calendar_feed_file'), manifest.calendar_feed.file);
});

test('the command and the wasm core carry CMake\'s project version', async () => {
  const version = /project\(upkeep VERSION ([\d.]+)/.exec(readFileSync(join(repo, 'CMakeLists.txt'), 'utf8'))[1];
  const cli = spawnSync(UPKEEP, ['--version'], { encoding: 'utf8' });
  assert.equal(cli.stdout.trim(), `upkeep ${version}`);
  assert.equal((await loadWasmCore()).version(), version);
});
