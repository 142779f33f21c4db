// The native `upkeep` command of the build (UPKEEP_BIN, else build/native), run as a user would, with the
// account's credential in UPKEEP_API_KEY and the retry policy's delays cut short for the tests.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const UPKEEP = resolve(process.env.UPKEEP_BIN ?? new URL('../../build/native/cli/upkeep', import.meta.url).pathname);

/**
 * Its exit status (or the signal that ended it), output, and the output as JSON (null when it is not).
 * @param {string[]} args @param {string} credential @param {{ onSpawn?: (child: import('node:child_process').ChildProcess) => void }} [options]
 */
export function upkeep(args, credential, { onSpawn } = {}) {
  return new Promise((done) => {
    const child = spawn(UPKEEP, args, { env: { ...process.env, UPKEEP_API_KEY: credential, UPKEEP_RETRY_BASE_MS: '1' } });
    onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status, signal) => {
      let json = null;
      try {
        json = JSON.parse(stdout);
      } catch { /* not JSON: text output */ }
      done({ status, signal, stdout, stderr, json });
    });
  });
}
