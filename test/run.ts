/**
 * `npm test`: starts the test profile of the local stack from clean data (its own ports, data dirs
 * and Temporal namespace, so a running `npm start` is never touched), runs every test file with
 * node's test runner, and stops the stack again. `--unit` runs only the tests that need no server.
 * MLG_KEEP_STACK=1 leaves the servers running (and reuses running ones), for a faster next run.
 * `npm run test:files -- test/a.test.ts ...` runs only the files named.
 */
import { spawn } from 'node:child_process';
import { globSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PROFILES, profileEnv } from '../stack/profiles';
import { SERVER_NAMES } from '../stack/server';
import { down, up } from '../stack/stack';
import { TEST_ENV } from './support/env';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { unit: { type: 'boolean', default: false } } });
  const all = positionals.length > 0 ? positionals : globSync('test/**/*.test.ts').sort();
  const files = values.unit ? all.filter((file) => !file.endsWith('.int.test.ts')) : all;
  const say = (message: string): void => console.log(`[test] ${message}`);
  const profile = PROFILES.test;
  if (!values.unit) await up(profile, SERVER_NAMES, say, { fresh: process.env.MLG_KEEP_STACK !== '1' });
  try {
    return await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
        stdio: 'inherit',
        env: { ...process.env, ...profileEnv(profile), ...TEST_ENV },
      });
      child.once('close', (code) => resolve(code ?? 1));
    });
  } finally {
    if (!values.unit && process.env.MLG_KEEP_STACK !== '1') await down(profile, SERVER_NAMES, say);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[test] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
