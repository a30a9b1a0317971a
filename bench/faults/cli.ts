/**
 * `npm run faults -- [--size N] [--seed S]`: the fault matrix on the test profile (not at the same
 * time as `npm test`): PostgreSQL down 30 s, Elasticsearch down 30 s, Kafka stopped 10 s, Temporal
 * restarted, the service SIGKILLed 20 times, sources at 30% 5xx and 429, then all of them together;
 * after each, the graph, the index and Kafka are compared with the ground truth. Writes
 * bench/results/faults.{json,md}; exits non-zero when any fault left a difference.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { useTestProfile } from '../../test/support/profile';
import { runMatrix } from './matrix';
import { writeFaultsReport } from './report';
import { flakySources, serverDown, together, workerKills } from './scenarios';

async function main(): Promise<boolean> {
  const { values } = parseArgs({ options: { size: { type: 'string', default: '3000' }, seed: { type: 'string', default: '7' } } });
  const size = Number(values.size);
  const seed = Number(values.seed);
  if (!Number.isInteger(size) || size < 10) throw new Error(`--size must be a whole number of at least 10, not '${values.size}'`);
  const say = (message: string): void => console.log(`[faults] ${message}`);
  await useTestProfile(say);
  const startedAt = new Date();
  const faults = [
    serverDown('postgres', 30_000),
    serverDown('elasticsearch', 30_000),
    serverDown('kafka', 10_000),
    serverDown('temporal', 5_000),
    workerKills(20, 60_000),
    flakySources(30_000),
    together([
      serverDown('postgres', 30_000),
      serverDown('elasticsearch', 30_000),
      serverDown('kafka', 10_000),
      serverDown('temporal', 5_000),
      workerKills(5, 30_000),
      flakySources(30_000),
    ]),
  ];
  const logFile = path.join(os.tmpdir(), `mlg-faults-${process.pid}.log`);
  say(`service log: ${logFile}`);
  const run = await runMatrix({ seed, size, faults, mutationsPerSecond: 2, settleTimeoutMs: 300_000, logFile, say });
  const files = writeFaultsReport(run, {
    command: `npm run faults -- ${process.argv.slice(2).join(' ')}`.trim(),
    startedAt: startedAt.toISOString(),
    durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
  });
  for (const file of files) say(`wrote ${file}`);
  say(run.passed ? 'every fault left the graph equal to the ground truth' : 'at least one fault left a difference: see the report');
  return run.passed;
}

main().then(
  (passed) => process.exit(passed ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
