// The Debian package of the command (scripts/package.sh deb) installed as an operator would, with
// `apt-get install ./upkeep_VERSION_amd64.deb`: the command on PATH, its man page, the service user, and the
// daily timer's job run as that user against the local Redmine (a dry run: it reads, writes nothing), with
// the key read from a file only that user can read. Removed again at the end. Runs as root.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { credentials, projectVersion, redmineUrl, repoRoot, runChecked } from './harness.mjs';

const work = mkdtempSync(join(tmpdir(), 'upkeep-deb-'));
const project = credentials.project;
const written = [`/etc/upkeep/${project}.conf`, `/etc/upkeep/${project}.key`];


const installed = () => spawnSync('dpkg-query', ['-W', '-f=${Status}', 'upkeep'], { encoding: 'utf8' }).stdout.includes('install ok installed');
const apt = (args) => runChecked('apt-get', ['-y', '-qq', ...args], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });

before(() => {
  if (process.getuid?.() !== 0) throw new Error('deb-install runs as root (scripts/test.sh runs it so)');
  // A machine that has never had the package: no package, no service user.
  if (installed()) apt(['purge', 'upkeep']);
  if (spawnSync('getent', ['passwd', 'upkeep']).status === 0) runChecked('deluser', ['--system', 'upkeep']);
  if (spawnSync('getent', ['group', 'upkeep']).status === 0) runChecked('delgroup', ['--system', 'upkeep']);
});

after(() => {
  for (const file of written) rmSync(file, { force: true });
  if (installed()) apt(['purge', 'upkeep']);
  rmSync('/etc/upkeep', { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

test('apt-get installs the package; the timer\'s job runs as the service user with its key file', () => {
  const deb = runChecked(resolve(repoRoot, 'scripts/package.sh'), ['deb'], { env: { ...process.env, UPKEEP_DIST: work } }).trim();
  assert.equal(basename(deb), `upkeep_${projectVersion}_amd64.deb`);
  runChecked('sha256sum', ['--quiet', '-c', `${basename(deb)}.sha256`], { cwd: work });
  const control = runChecked('dpkg-deb', ['-f', deb, 'Depends']);
  assert.match(control, /libcpp-httplib/, 'the library dependencies come from dpkg-shlibdeps');

  apt(['install', deb]);
  assert.ok(installed());
  assert.equal(runChecked('upkeep', ['--version']).trim(), `upkeep ${projectVersion}`);
  assert.equal(runChecked('sh', ['-c', 'command -v upkeep']).trim(), '/usr/bin/upkeep');

  // upkeep(1): the page says what each command's --help says.
  const page = runChecked('sh', ['-c', 'zcat /usr/share/man/man1/upkeep.1.gz']);
  for (const command of ['init', 'validate', 'calendar', 'expand', 'sync', 'status', 'changes']) {
    assert.match(page, new RegExp(`^\\.SS ${command}$`, 'm'), `a section for ${command}`);
  }
  assert.ok(page.includes('--api-key-file FILE'), 'the options of sync');

  // The service user and its folder.
  const user = runChecked('getent', ['passwd', 'upkeep']).trim().split(':');
  assert.equal(user[6], '/usr/sbin/nologin');
  const folder = statSync('/etc/upkeep');
  assert.equal(folder.mode & 0o777, 0o750);
  assert.equal(folder.uid, 0);
  assert.equal(folder.gid, Number(user[3]));

  // The units as systemd reads them, and the job of upkeep-sync@PROJECT.service run as it would run.
  runChecked('systemd-analyze', ['verify', '/usr/lib/systemd/system/upkeep-sync@.timer', `upkeep-sync@${project}.service`]);
  writeFileSync(written[0], `UPKEEP_URL=${redmineUrl}\n`);
  writeFileSync(written[1], credentials.api_keys['upkeep-bot'], { mode: 0o600 });
  runChecked('chown', ['upkeep:upkeep', written[1]]);
  const unit = readFileSync('/usr/lib/systemd/system/upkeep-sync@.service', 'utf8');
  const job = unit.match(/^ExecStart=(.*)$/m)[1].replaceAll('%i', project)
    .replaceAll('${UPKEEP_URL}', readFileSync(written[0], 'utf8').match(/^UPKEEP_URL=(.*)$/m)[1]).split(' ');
  const asService = ['--reuid=upkeep', '--regid=upkeep', '--init-groups', ...job, '--dry-run', '--json'];
  const plan = JSON.parse(runChecked('setpriv', asService));
  assert.equal(typeof plan.creates, 'number', JSON.stringify(plan));
  // The key file is the service user's alone: another account cannot run the job.
  const nobody = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', ...job, '--dry-run'], { encoding: 'utf8' });
  assert.notEqual(nobody.status, 0);
  assert.match(nobody.stderr, new RegExp(`/etc/upkeep/${project}\\.key: cannot read that file \\(Permission denied\\)`));

  // The cron example runs the same command as the same user.
  const cron = readFileSync('/usr/share/doc/upkeep/examples/upkeep-sync.cron', 'utf8').split('\n').find((l) => /^\d/.test(l));
  assert.match(cron, /^\S+ \S+ \* \* \* upkeep \/usr\/bin\/upkeep sync --url \S+ --project \S+ --api-key-file \/etc\/upkeep\/\S+\.key$/);

  apt(['purge', 'upkeep']);
  assert.ok(!existsSync('/usr/bin/upkeep'));
});
