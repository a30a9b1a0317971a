/**
 * `npm test`: starts the test profile of the local stack from clean data (its own ports, data dirs
 * and Temporal namespace, so a running `npm start` is never touched), runs every test file with
 * node's test runner, and stops the stack again. `--unit` runs only the tests that need no server.
 * MLG_KEEP_STACK=1 leaves the servers running (and reuses running ones), for a faster next run.
 * `npm run test:files -- test/a.test.ts ...` runs only the files named. `--profile cluster` runs them
 * on the cluster profile's stack instead (`npm run test:cluster`: the tests under test/cluster/, which
 * the default run leaves out because they need that stack). The whole run then runs the tests under
 * test/secure/ on the secure profile (`npm run test:secure` alone): its servers take only TLS with
 * credentials, as production's do. A test fails after 10 minutes, and a run
 * is stopped after 45 (MLG_TEST_RUN_TIMEOUT_MINUTES), so that a hang fails soon with its logs.
 */
import { spawn } from 'node:child_process';
import fs, { globSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadLocalStackSettings } from '../platform/config';
import { logFile } from '../stack/paths';
import { isProfileName, PROFILES, profileEnv, type Profile } from '../stack/profiles';
import { SERVER_NAMES } from '../stack/server';
import { down, up } from '../stack/stack';
import { TEST_ENV } from './support/env';

/** One test that runs longer fails, naming itself (the longest take about 2 minutes). */
const TEST_TIMEOUT_MS = 10 * 60_000;
/** A run that hangs anyway (a hook, a process held open) is stopped, and fails with the service logs. */
const RUN_TIMEOUT_MS = loadLocalStackSettings().testRunTimeoutMinutes * 60_000;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { unit: { type: 'boolean', default: false }, profile: { type: 'string', default: 'test' } },
  });
  if (!isProfileName(values.profile) || values.profile === 'dev')
    throw new Error(`--profile must be test, cluster or secure, not '${values.profile}'`);
  const all =
    positionals.length > 0 ? positionals : globSync('test/**/*.test.ts', { exclude: ['test/cluster/**', 'test/secure/**'] }).sort();
  const files = values.unit ? all.filter((file) => !file.endsWith('.int.test.ts')) : all;
  const code = await suite(PROFILES[values.profile], files, !values.unit);
  // The whole run also runs the secure profile's suite, on its own stack, after the test profile's is down.
  if (positionals.length > 0 || values.unit || values.profile !== 'test') return code;
  return Math.max(code, await suite(PROFILES.secure, globSync('test/secure/*.test.ts').sort(), true));
}

/** Runs test files against a profile's stack, started from clean data unless MLG_KEEP_STACK (and stopped after). */
async function suite(profile: Profile, files: readonly string[], servers: boolean): Promise<number> {
  const say = (message: string): void => console.log(`[test] ${message}`);
  if (files.length === 0) return 0;
  if (servers) await up(profile, SERVER_NAMES, say, { fresh: !loadLocalStackSettings().keepStack });
  // The service's own logs (pipelines, workers, consumers started by the tests) go to one file per run,
  // so that the terminal shows the test results; a failing run prints the file's end.
  const serviceLog = logFile(profile.name, `service-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  try {
    const code = await new Promise<number>((resolve) => {
      const args = ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', `--test-timeout=${TEST_TIMEOUT_MS}`];
      const child = spawn(process.execPath, [...args, ...files], {
        stdio: 'inherit',
        env: { ...process.env, ...profileEnv(profile), ...TEST_ENV, LOG_FILE: serviceLog },
      });
      const watchdog = setTimeout(() => {
        say(`the run has taken over ${RUN_TIMEOUT_MS / 60_000} minutes: stopping it (the file running is the last one above)`);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }, RUN_TIMEOUT_MS);
      child.once('close', (exit) => {
        clearTimeout(watchdog);
        resolve(exit ?? 1);
      });
    });
    if (fs.existsSync(serviceLog)) {
      say(`service logs of this run: ${serviceLog}`);
      if (code !== 0) console.log(fs.readFileSync(serviceLog, 'utf8').split('\n').slice(-60).join('\n'));
    }
    return code;
  } finally {
    if (servers && !loadLocalStackSettings().keepStack) await down(profile, SERVER_NAMES, say);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[test] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
