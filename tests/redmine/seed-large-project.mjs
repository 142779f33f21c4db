// Makes a Redmine project holding a large ISMS (large-isms.mjs: about 5,000 control tasks over the audit
// period) for bench-tab-load.mjs: the project and its members as the tests make them, the configuration on
// its wiki page, the tickets written straight into Redmine's database by large-project.rake.
// Usage: node seed-large-project.mjs [--tickets N]; needs scripts/redmine.sh up. Prints the project.
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { owners, putConfig, redmineRake, scratchProject } from './harness.mjs';
import { largeIsms } from './large-isms.mjs';

const at = process.argv.indexOf('--tickets');
const tickets = at > 0 ? Number(process.argv[at + 1]) : 5000;
const { config, tasks } = largeIsms({ tickets, today: '2026-11-22' });
const { identifier } = await scratchProject('large', [...owners, 'upkeep-bot']);
await putConfig(identifier, config, 'a large ISMS for the benchmarks');
const work = mkdtempSync(join(tmpdir(), 'upkeep-large-'));
try {
  chmodSync(work, 0o755); // rake runs as www-data
  copyFileSync(new URL('large-project.rake', import.meta.url), join(work, 'large-project.rake'));
  writeFileSync(join(work, 'issues.json'), JSON.stringify(tasks));
  for (const file of ['large-project.rake', 'issues.json']) chmodSync(join(work, file), 0o644);
  process.stdout.write(redmineRake(['--rakelibdir', work, 'upkeep_bench:issues', `PROJECT=${identifier}`, 'AUTHOR=upkeep-bot',
    `ISSUES=${join(work, 'issues.json')}`], { timeout: 900000 }));
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(identifier);
