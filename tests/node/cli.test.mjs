// The `upkeep` command's contract: exit statuses (0 ok, 2 bad input, 1 anything else), messages that
// name the place of a problem, --help on every command, and the stable `expand` forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const UPKEEP = resolve(process.env.UPKEEP_BIN ?? '../../build/native/cli/upkeep');
const run = (args, input) => spawnSync(UPKEEP, args, { input, encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'upkeep-cli-'));

test('every command has --help and exits 0', () => {
  for (const command of ['init', 'validate', 'calendar', 'expand', 'sync', 'status']) {
    const r = run([command, '--help']);
    assert.equal(r.status, 0, command);
    assert.match(r.stdout, new RegExp(`^Usage: upkeep ${command}`), command);
  }
  assert.equal(run(['--help']).status, 0);
  assert.match(run(['--help']).stdout, /Exit status: 0 success, 2 bad input/);
});

test('no command, an unknown command or an unknown option is bad input (2)', () => {
  assert.equal(run([]).status, 2);
  const unknown = run(['frobnicate']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
  const option = run(['calendar', 'x.json', '--colour']);
  assert.equal(option.status, 2);
  assert.match(option.stderr, /upkeep calendar: unknown option --colour\nRun 'upkeep calendar --help' for usage./);
});

test('init writes a valid configuration and refuses to overwrite without --force', () => {
  const file = join(dir, 'isms.json');
  const first = run(['init', '-o', file, '--today', '2026-11-22', '--organisation', 'Acme']);
  assert.equal(first.status, 0, first.stderr);
  const config = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(config.organisation.name, 'Acme');
  assert.equal(config.certification.decision_date, '2026-11-22');
  assert.ok(config.activities.length >= 22);
  const again = run(['init', '-o', file]);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /already exists: choose another file or add --force/);
  assert.equal(run(['init', '-o', file, '--force', '--decision-date', '2026-03-15']).status, 0);
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).certification.decision_date, '2026-03-15');
  assert.equal(run(['validate', file]).status, 0);
  assert.equal(run(['init', '--today', '2026-02-30']).status, 2);
});

test('validate reports every problem with its JSON pointer and exits 2', () => {
  const config = JSON.parse(run(['init', '--today', '2026-11-22']).stdout);
  config.activities[3].cadence.rrule = 'FREQ=MONTHLY;BYMONTHDAY=32';
  config.activities[5].owner = '';
  config.activities[7].colour = 'red';
  const file = join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify(config));
  const r = run(['validate', file]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.json: \/activities\/3\/cadence\/rrule: BYMONTHDAY=32 is out of range 1\.\.31 or -31\.\.-1/);
  assert.match(r.stderr, /\/activities\/5\/owner: "" is not a tracker login or group/);
  assert.match(r.stderr, /\/activities\/7\/colour: is not a known field/);
  assert.match(r.stderr, /3 errors; nothing was changed/);
  const json = run(['validate', '--json', file]);
  assert.equal(json.status, 2);
  assert.equal(JSON.parse(json.stdout).errors.length, 3);
  assert.equal(run(['validate', '-'], JSON.stringify(config)).status, 2);
});

test('validate checks the Statement of Applicability: errors at their pointer exit 2, warnings do not', () => {
  const config = JSON.parse(run(['init', '--today', '2026-11-22']).stdout);
  assert.equal(config.soa.controls.length, 93);
  const file = join(dir, 'soa.json');
  config.soa.controls[2].status = 'implemented'; // A.5.3: no activity references it
  writeFileSync(file, JSON.stringify(config));
  const warned = run(['validate', file]);
  assert.equal(warned.status, 0, warned.stderr);
  assert.match(warned.stderr, /soa\.json: warning: \/soa\/controls\/2: A\.5\.3 is applicable and implemented, but no activity references it/);
  config.soa.controls[4] = { id: 'A.5.5', title: 'Authorities', applicable: false, owner: 'ciso' };
  config.soa.controls.pop();
  writeFileSync(file, JSON.stringify(config));
  const r = run(['validate', file]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /\/soa\/controls\/4: an excluded control needs a "justification"/);
  assert.match(r.stderr, /\/soa\/controls: misses 1 Annex A control \(A\.8\.34\)/);
  assert.match(r.stderr, /2 errors; nothing was changed/);
  const json = run(['validate', '--json', file]);
  assert.equal(json.status, 2);
  const report = JSON.parse(json.stdout);
  assert.equal(report.ok, false);
  assert.deepEqual(report.errors.map((e) => e.pointer), ['/soa/controls/4', '/soa/controls']);
  assert.ok(report.warnings.some((w) => w.pointer === '/soa/controls/2'));
});

test('status shows the SoA drift and exports the SoA for the auditor; a bad format or no SoA is bad input', () => {
  const config = JSON.parse(run(['init', '--decision-date', '2026-03-15']).stdout);
  const tickets = [{ key: 'control:access-review:2026-04-30', closed: true, closed_on: '2026-05-02', done_on: '2026-04-29', evidence: true, id: 7 }];
  const snapshot = join(dir, 'soa-snapshot.json');
  writeFileSync(snapshot, JSON.stringify({ format: 2, as_of: '2026-11-22', configuration: config, tickets }));
  const text = run(['status', '--snapshot', snapshot]);
  assert.equal(text.status, 0, text.stderr);
  // The access review due 2026-10-30 is overdue: its controls drift.
  assert.match(text.stdout, /\nStatement of Applicability drift \(\d+\):\n(  - .*\n)*  - A\.5\.18 \(Access granted, reviewed and removed\): "User access rights review" has 2 overdue occurrences in this period\n/);
  const json = JSON.parse(run(['status', '--snapshot', snapshot, '--json']).stdout);
  assert.ok(json.soa_drift.some((d) => d.kind === 'activity_behind' && d.control === 'A.5.15' && d.activity === 'access-review'));
  const csv = run(['status', '--snapshot', snapshot, '--soa', 'csv']);
  assert.equal(csv.status, 0, csv.stderr);
  const rows = csv.stdout.trimEnd().split('\r\n');
  assert.equal(rows.length, 94);
  assert.match(rows[0], /^id,title,applicable,reasons,justification,status,planned_for,owner,activities,operation,last_evidence,evidence_ticket,tickets$/);
  assert.match(rows.find((r) => r.startsWith('A.5.15,')), /,implemented,,itops,access-review,,2026-04-29,#7,#7$/);
  const html = run(['status', '--snapshot', snapshot, '--soa', 'html']);
  assert.match(html.stdout, /<title>Statement of Applicability: Example Ltd<\/title>/);
  const pdf = run(['status', '--snapshot', snapshot, '--soa', 'pdf']);
  assert.equal(pdf.status, 2);
  assert.match(pdf.stderr, /--soa takes csv, markdown, textile or html/);
  // An SoA with errors is a configuration with errors, reported at its place in the snapshot.
  config.soa.controls.pop();
  writeFileSync(snapshot, JSON.stringify({ format: 2, as_of: '2026-11-22', configuration: config, tickets }));
  const broken = run(['status', '--snapshot', snapshot]);
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /soa-snapshot\.json: \/configuration\/soa\/controls: misses 1 Annex A control/);
  delete config.soa;
  writeFileSync(snapshot, JSON.stringify({ format: 2, as_of: '2026-11-22', configuration: config, tickets }));
  const none = run(['status', '--snapshot', snapshot, '--soa', 'csv']);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /has no Statement of Applicability \(\/soa\): `upkeep init` writes a starter one/);
});

test('--framework narrows the status and the calendar to a framework; --coverage shows what addresses each requirement', () => {
  const config = JSON.parse(run(['init', '--decision-date', '2026-03-15']).stdout);
  config.frameworks = ['nis2'];
  config.activities.find((a) => a.id === 'access-review').references.push('nis2:21(2)(i)');
  config.activities.find((a) => a.id === 'backup-restore-test').references.push('nis2:21(2)(c)');
  const snapshot = join(dir, 'framework-snapshot.json');
  writeFileSync(snapshot, JSON.stringify({ format: 2, as_of: '2026-11-22', configuration: config, tickets: [] }));
  const all = JSON.parse(run(['status', '--snapshot', snapshot, '--json']).stdout);
  const narrowed = run(['status', '--snapshot', snapshot, '--framework', 'nis2', '--json']);
  assert.equal(narrowed.status, 0, narrowed.stderr);
  const activities = (report) => [...new Set(report.periods[0].occurrences.map((o) => o.activity))].sort();
  assert.deepEqual(activities(JSON.parse(narrowed.stdout)), ['access-review', 'backup-restore-test']);
  assert.ok(activities(all).length > 20);
  const coverage = run(['status', '--snapshot', snapshot, '--framework', 'nis2', '--coverage']);
  assert.equal(coverage.status, 0, coverage.stderr);
  assert.match(coverage.stdout, /^NIS2 Article 21\(2\): 2 of 10 requirements addressed by an activity\n/);
  assert.match(coverage.stdout, /\n  21\(2\)\(c\) Business continuity: backups, disaster recovery, crisis management: Backup restore test\n/);
  assert.match(coverage.stdout, /\n  21\(2\)\(b\) Incident handling: nothing addresses it\n/);
  const json = JSON.parse(run(['status', '--snapshot', snapshot, '--framework', 'nis2', '--coverage', '--json']).stdout);
  assert.equal(json.addressed, 2);
  assert.deepEqual(json.requirements.find((r) => r.id === '21(2)(i)').activities, ['access-review']);
  const other = run(['status', '--snapshot', snapshot, '--framework', 'soc2']);
  assert.equal(other.status, 2);
  assert.match(other.stderr, /--framework "soc2" is not a framework the configuration follows \(\/frameworks: nis2\)/);
  assert.equal(run(['status', '--snapshot', snapshot, '--coverage']).status, 2);
  const file = join(dir, 'framework.json');
  writeFileSync(file, JSON.stringify(config));
  const calendar = JSON.parse(run(['calendar', file, '--framework', 'nis2', '--format', 'json', '--from', '2026-11-22', '--to', '2027-11-22']).stdout);
  assert.deepEqual([...new Set(calendar.entries.filter((e) => e.kind === 'activity').map((e) => e.id))].sort(), ['access-review', 'backup-restore-test']);
});

test('a file that cannot be read is not bad input (1)', () => {
  const r = run(['validate', join(dir, 'missing.json')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot read .*missing\.json: No such file or directory/);
});

test('calendar prints the next 12 months by default and checks its options', () => {
  const file = join(dir, 'cal.json');
  writeFileSync(file, run(['init', '--today', '2026-11-22']).stdout);
  const table = run(['calendar', file, '--today', '2026-11-22']);
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /2026-11-22 to 2027-11-22/);
  assert.match(table.stdout, /AUDIT: Surveillance audit 1 \(computed\)/);
  const owner = JSON.parse(run(['calendar', file, '--today', '2026-11-22', '--owner', 'hr', '--format', 'json']).stdout);
  assert.ok(owner.entries.some((e) => e.kind === 'activity'));
  assert.ok(owner.entries.every((e) => e.kind === 'audit' || e.owner === 'hr'));
  assert.equal(run(['calendar', file, '--format', 'pdf']).status, 2);
  assert.equal(run(['calendar', file, '--from', '2027-05-01', '--to', '2027-04-01']).status, 2);
  assert.equal(run(['calendar', file, '--from', 'tomorrow']).status, 2);
});

test('expand prints one date per line and rejects bad rules with exit 2', () => {
  const r = run(['expand', '--dtstart', '2027-01-01', '--rrule', 'FREQ=YEARLY;BYMONTH=2;BYDAY=-1MO', '--limit', '3']);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, '2027-02-22\n2028-02-28\n2029-02-26\n');
  const bad = run(['expand', '--dtstart', '2027-01-01', '--rrule', 'FREQ=MONTHLY;BYMONTHDAY=32']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--rrule: BYMONTHDAY=32 is out of range 1\.\.31 or -31\.\.-1/);
  assert.equal(run(['expand', '--dtstart', '2027-01-01', '--rrule', 'FREQ=DAILY', '--limit', 'ten']).status, 2);
  assert.equal(run(['expand', '--rrule', 'FREQ=DAILY']).status, 2);
  const never = run(['expand', '--dtstart', '2027-01-01', '--rrule', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30']);
  assert.equal(never.status, 0);
  assert.equal(never.stdout, '');
});

test('expand --jsonl answers every line in order, errors included', () => {
  const input = [
    JSON.stringify({ dtstart: '2027-01-31', rrule: 'FREQ=MONTHLY', limit: 2 }),
    'not json',
    JSON.stringify({ dtstart: '2027-01-01', rrule: 'FREQ=SOMETIMES' }),
    '',
    JSON.stringify({ dtstart: '2027-01-01', rrule: 'FREQ=DAILY', limit: 0 }),
  ].join('\n');
  const r = run(['expand', '--jsonl'], input);
  assert.equal(r.status, 0);
  const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines[0], { dates: ['2027-01-31', '2027-03-31'] });
  assert.ok(lines[1].error);
  assert.equal(lines[2].error, 'FREQ=SOMETIMES is not a frequency: use DAILY, WEEKLY, MONTHLY or YEARLY');
  assert.deepEqual(lines[3], { dates: [] });
  assert.equal(lines.length, 4);
});

test('a configuration with errors is never half-used by calendar', () => {
  const file = join(dir, 'broken.json');
  writeFileSync(file, '{"version": 1,');
  const r = run(['calendar', file]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /not valid JSON: parse error at line 1/);
  assert.equal(r.stdout, '');
  assert.ok(!existsSync(join(dir, 'broken.json.upkeep-tmp')));
});

test('status reads a snapshot of tickets and reports closure and readiness; bad snapshots are bad input', () => {
  const config = join(dir, 'status.json');
  writeFileSync(config, run(['init', '--decision-date', '2026-03-15']).stdout);
  const snapshot = join(dir, 'snapshot.json');
  writeFileSync(snapshot, JSON.stringify({ tickets: [
    { key: 'control:access-review:2026-04-30', closed: true, closed_on: '2026-05-02', done_on: '2026-04-29', evidence: true },
    { key: 'control:access-review:2026-07-31', closed: true, closed_on: '2026-08-20', evidence: false }] }));
  const r = run(['status', config, '--snapshot', snapshot, '--today', '2026-11-22', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.next_audit.audit, 'surveillance_1');
  assert.equal(report.next_audit.days_left, 113);
  const reviews = report.periods[0].occurrences.filter((o) => o.activity === 'access-review').map((o) => `${o.due} ${o.state}`);
  assert.deepEqual(reviews.slice(0, 3), ['2026-04-30 on_time', '2026-07-31 late', '2026-10-30 overdue']);
  const text = run(['status', config, '--snapshot', snapshot, '--today', '2026-11-22']).stdout;
  const readiness = report.next_audit.readiness;
  assert.match(text, new RegExp(`^Surveillance audit 1 on 2027-03-15, in 113 days\\. Readiness: ${readiness.percent}% \\(${readiness.done} of ${readiness.counted}\\)\\.\n`));
  assert.equal(readiness.percent, Math.floor((100 * readiness.done) / readiness.counted));
  const itops = report.periods[0].by_owner.itops;
  assert.equal(itops.on_time, 1, 'the access review of April, done on time, is itops\'s');
  assert.match(text, new RegExp(`\\n  by owner: .*itops ${itops.text.replace(/[()]/g, '\\$&')};`));
  assert.match(text, /\nFix first, counted in readiness \(\d+\):\n  1\. /);
  writeFileSync(snapshot, JSON.stringify({ tickets: [{ closed: 'yes', key: 'control:access-review:2026-04-30' }, { closed: true }] }));
  const bad = run(['status', config, '--snapshot', snapshot]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /\/tickets\/0\/closed: expected true or false, found a string/);
  assert.match(bad.stderr, /\/tickets\/1\/key: is missing: expected a string/);
  assert.equal(run(['status', config]).status, 2);
});

test('a snapshot keeps its day and configuration: read alone later, it gives the same figures', () => {
  const config = JSON.parse(run(['init', '--decision-date', '2026-03-15']).stdout);
  const tickets = [{ key: 'control:access-review:2026-04-30', closed: true, closed_on: '2026-05-02', done_on: '2026-04-29',
    evidence: true, owner: 'alice', title: 'User access rights review' }];
  const withContext = join(dir, 'snapshot-2.json');
  writeFileSync(withContext, JSON.stringify({ format: 2, as_of: '2026-11-22', tracker: { host: 'redmine', url: 'https://redmine.example', project: 'isms' },
    configuration: config, tickets }));
  const alone = run(['status', '--snapshot', withContext, '--json']);
  assert.equal(alone.status, 0, alone.stderr);
  const configFile = join(dir, 'snapshot-config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const oldForm = join(dir, 'snapshot-1.json');
  writeFileSync(oldForm, JSON.stringify({ tickets }));
  const explicit = run(['status', configFile, '--snapshot', oldForm, '--today', '2026-11-22', '--json']);
  assert.equal(explicit.status, 0, explicit.stderr);
  assert.deepEqual(JSON.parse(alone.stdout), JSON.parse(explicit.stdout));
  const report = JSON.parse(alone.stdout);
  assert.equal(report.as_of, '2026-11-22');
  assert.equal(report.periods[0].occurrences.find((o) => o.activity === 'access-review').owner, 'alice', 'the owner as issued');
  // An older snapshot alone has no configuration: the command says what to give.
  const without = run(['status', '--snapshot', oldForm]);
  assert.equal(without.status, 2);
  assert.match(without.stderr, /carries no configuration .* `upkeep status CONFIG --snapshot FILE`/);
  // A bad configuration inside a snapshot is reported at its place in the snapshot.
  config.activities[0].owner = 'no spaces allowed';
  writeFileSync(withContext, JSON.stringify({ format: 2, as_of: '2026-11-22', configuration: config, tickets }));
  const broken = run(['status', '--snapshot', withContext]);
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /snapshot-2\.json: \/configuration\/activities\/0\/owner: /);
});

test('status --review-pack writes the pack in Markdown, Textile or HTML; another format is bad input', () => {
  const config = join(dir, 'pack.json');
  writeFileSync(config, run(['init', '--decision-date', '2026-03-15']).stdout);
  const snapshot = join(dir, 'pack-snapshot.json');
  writeFileSync(snapshot, JSON.stringify({ tickets: [], changes: [{ id: 9, subject: 'New *CRM* <b>vendor</b>', affects: true,
    assessment: 'assessment=1;on=2026-10-01;by=itops;a=new-supplier:yes' }] }));
  const pack = (...format) => run(['status', config, '--snapshot', snapshot, '--today', '2026-11-22', '--review-pack', ...format]);
  const markdown = pack();
  assert.equal(markdown.status, 0, markdown.stderr);
  assert.match(markdown.stdout, /^# Management review input: /);
  assert.ok(markdown.stdout.includes('- #9 New \\*CRM\\* \\<b\\>vendor\\</b\\>: affects the ISMS (assessed 2026-10-01 by itops)\n'));
  assert.ok(pack('--format', 'textile').stdout.includes('* #9 New &#42;CRM&#42; &#60;b&#62;vendor&#60;/b&#62;: affects the ISMS'));
  const html = pack('--format', 'html').stdout;
  assert.match(html, /^<!DOCTYPE html>/);
  assert.ok(html.includes('<li>#9 New *CRM* &#60;b&#62;vendor&#60;/b&#62;: affects the ISMS'));
  const bad = pack('--format', 'pdf');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--format takes markdown, textile or html/);
  assert.equal(run(['status', config, '--snapshot', snapshot, '--format', 'html']).status, 2);
});

/** Runs the command without blocking this process (a server of the test answers it); resolves to its outcome. */
function runAsync(args, env = {}) {
  return new Promise((done) => {
    const child = spawn(UPKEEP, args, { env: { ...process.env, UPKEEP_RETRY_BASE_MS: '1', UPKEEP_RETRY_ATTEMPTS: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

test('a tracker that answers with a redirect is named, not followed; the key goes nowhere else', async () => {
  let location = '';
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push(req.url);
    res.writeHead(req.url.startsWith('/moved') ? 301 : 302, { Location: location.replace('PATH', req.url.replace(/^\/moved/, '')) });
    res.end();
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    // Redmine moved to https: the message gives the new address.
    location = 'https://redmine.example.com/tracker' + 'PATH';
    const moved = await runAsync(['status', '--url', `${base}/moved`, '--project', 'isms'], { UPKEEP_API_KEY: 'k' });
    assert.equal(moved.status, 2, moved.stderr);
    assert.match(moved.stderr, /HTTP 301 to https:\/\/redmine\.example\.com\/tracker\/users\/current\.json: Upkeep follows no redirect; Redmine moved: use https:\/\/redmine\.example\.com\/tracker as its address/);
    // A login page in front of it: no address to suggest.
    location = 'https://sso.example.com/login?next=PATH';
    const login = await runAsync(['status', '--url', base, '--project', 'isms'], { UPKEEP_API_KEY: 'k' });
    assert.equal(login.status, 2, login.stderr);
    assert.match(login.stderr, /HTTP 302 to https:\/\/sso\.example\.com\/login\?next=\/users\/current\.json: Upkeep follows no redirect; give the address where Redmine's REST API answers itself/);
    assert.deepEqual(seen, ['/moved/users/current.json', '/users/current.json'], 'one request each, none followed');
    // On this machine, plain http draws no warning.
    assert.doesNotMatch(moved.stderr + login.stderr, /warning/);
  } finally {
    server.close();
  }
});

test('credentials in --url are refused unshown; a key sent over plain http to another machine is warned about', async () => {
  const withPassword = await runAsync(['sync', '--url', 'https://me:s3cret@redmine.example.com', '--project', 'isms'], { UPKEEP_API_KEY: 'k' });
  assert.equal(withPassword.status, 2);
  assert.match(withPassword.stderr, /--url must not carry a user name or password/);
  assert.doesNotMatch(withPassword.stderr, /s3cret/);
  // .invalid never resolves: the run fails fast as unreachable (3), after the warning.
  const plain = await runAsync(['status', '--url', 'http://redmine.invalid', '--project', 'isms'], { UPKEEP_API_KEY: 'k' });
  assert.equal(plain.status, 3, plain.stderr);
  assert.match(plain.stderr, /warning: the API key goes to http:\/\/redmine\.invalid over plain http, readable on the way; use https/);
});

test('https with a private CA: a certificate not trusted is named as TLS, and --ca-file or SSL_CERT_FILE trusts it', async () => {
  const tls = resolve('../fixtures/tls'); // a CA made for these tests, and its certificate for 127.0.0.1
  const server = https.createServer({ key: readFileSync(join(tls, 'server.key')), cert: readFileSync(join(tls, 'server.pem')) },
    (req, res) => { res.writeHead(401); res.end(); });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  const url = `https://127.0.0.1:${server.address().port}`;
  const status = (extra = [], env = {}) => runAsync(['status', '--url', url, '--project', 'isms', ...extra], { UPKEEP_API_KEY: 'k', ...env });
  try {
    const untrusted = await status();
    assert.equal(untrusted.status, 3, untrusted.stderr);
    assert.match(untrusted.stderr, /TLS: the server's certificate is not trusted here \(signed by a private CA\? give --ca-file FILE/);
    // Trusted, the request goes through: this server refuses every key (401, exit 4).
    const withFile = await status(['--ca-file', join(tls, 'ca.pem')]);
    assert.equal(withFile.status, 4, withFile.stderr);
    assert.match(withFile.stderr, /HTTP 401: the API key was refused/);
    assert.equal((await status([], { SSL_CERT_FILE: join(tls, 'ca.pem') })).status, 4);
    const missing = await status(['--ca-file', join(dir, 'no-such-ca.pem')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--ca-file .*no-such-ca\.pem: cannot read that file/);
  } finally {
    server.close();
  }
});

test('an API key file that cannot be read or is empty is named, not taken for a missing key (exit 2)', () => {
  const empty = join(dir, 'empty.key');
  writeFileSync(empty, '\n');
  for (const command of ['sync', 'status', 'changes']) {
    const missing = run([command, '--url', 'http://redmine.invalid', '--project', 'isms', '--api-key-file', join(dir, 'no-such.key')]);
    assert.equal(missing.status, 2, missing.stderr);
    assert.match(missing.stderr, /--api-key-file .*no-such\.key: cannot read that file \(No such file or directory\)/);
    const blank = run([command, '--url', 'http://redmine.invalid', '--project', 'isms', '--api-key-file', empty]);
    assert.equal(blank.status, 2, blank.stderr);
    assert.match(blank.stderr, /empty\.key: its first line is empty: put the API key there/);
  }
});

test('compressed answers: read when asked for (gzip), refused in an encoding not asked for or past the size cap', async () => {
  let encode = 'gzip';
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push([req.url, req.headers['accept-encoding']]);
    if (req.url === '/users/current.json' && encode === 'gzip') {
      // Redmine behind a compressing proxy: the account, then a project that is not there.
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      return res.end(zlib.gzipSync(JSON.stringify({ user: { id: 1, login: 'ciso' } })));
    }
    if (req.url === '/users/current.json' && encode === 'bomb') {
      // 64 MiB of spaces, about 64 KiB on the wire.
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      return res.end(zlib.gzipSync(Buffer.alloc(64 << 20, 0x20), { level: 9 }));
    }
    if (req.url === '/users/current.json') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'br' });
      return res.end(zlib.brotliCompressSync(JSON.stringify({ user: { id: 1, login: 'ciso' } })));
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  const status = () => runAsync(['status', '--url', `http://127.0.0.1:${server.address().port}`, '--project', 'isms'],
    { UPKEEP_API_KEY: 'k', UPKEEP_RETRY_BASE_MS: '1' });
  try {
    const gzip = await status();
    assert.equal(gzip.status, 5, gzip.stderr); // the account read, then "project isms does not exist"
    assert.match(gzip.stderr, /project "isms" does not exist/);
    assert.deepEqual(seen.slice(0, 2).map(([url, asked]) => [url.split('?')[0], asked]),
      [['/users/current.json', 'gzip, deflate'], ['/projects/isms.json', 'gzip, deflate']]);
    encode = 'bomb';
    const bomb = await status();
    assert.equal(bomb.status, 3, bomb.stderr);
    assert.match(bomb.stderr, /GET \/users\/current\.json: the answer is larger than 32 MiB \(inflated\): not a Redmine answer Upkeep reads/);
    encode = 'br';
    const br = await status();
    assert.equal(br.status, 3, br.stderr);
    assert.match(br.stderr, /the answer came encoded as "br", which Upkeep did not ask for/);
  } finally {
    server.close();
  }
});

test('a run has an overall deadline: a tracker that answers, but slowly, is left after it (3)', async () => {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push(req.url);
    setTimeout(() => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ user: { id: 1, login: 'ciso' } }));
    }, 700);
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  try {
    const slow = await runAsync(['status', '--url', `http://127.0.0.1:${server.address().port}`, '--project', 'isms', '--deadline', '1'],
      { UPKEEP_API_KEY: 'k' });
    assert.equal(slow.status, 3, slow.stderr);
    assert.match(slow.stderr, /stopped after 1 s \(--deadline\), 2 requests in: the tracker answers too slowly; a rerun continues where this stopped/);
    assert.equal(seen.length, 2);
    const bad = await runAsync(['sync', '--url', 'http://127.0.0.1:1', '--project', 'isms', '--deadline', 'soon'], { UPKEEP_API_KEY: 'k' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--deadline soon: give a whole number of seconds/);
  } finally {
    server.close();
  }
});
