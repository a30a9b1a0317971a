import fs from 'node:fs';
import { sql } from 'kysely';
import { consumerLag } from '../../bus/kafka';
import { runSweep, waitForConvergence } from '../../test/support/convergence';
import { waitFor } from '../../test/support/wait';
import { isClean, verify, type Verdict } from './checks';
import type { Fault, Probes } from './scenarios';
import { startSystem, type SystemUnderFault } from './system';

export interface FaultResult {
  readonly fault: string;
  readonly description: string;
  /** Seconds from the start of the run. */
  readonly startedAt: number;
  readonly faultSeconds: number;
  /** From the end of the fault until the graph equalled the truth again (declared edges), before the sweep. */
  readonly recoverySeconds: number;
  /** Graph transactions written from the start of the fault until the system settled. */
  readonly transactions: number;
  readonly probes: Probes;
  readonly verdict: Verdict;
  readonly unexpectedExits: number;
  /** Worker warnings in the service's log from the start of the fault until settled: workflow tasks over 5 s (TMPRL1104), local activities completed after their task had timed out. */
  readonly longWorkflowTasks: number;
  readonly lateLocalActivities: number;
  readonly passed: boolean;
}

export interface MatrixRun {
  readonly size: number;
  readonly entities: number;
  readonly timeline: readonly { at: number; what: string }[];
  readonly results: readonly FaultResult[];
  readonly passed: boolean;
  readonly logFile: string;
}

export interface MatrixOptions {
  readonly seed: number;
  readonly size: number;
  readonly faults: readonly Fault[];
  /** Demo mutations per second while each fault is on. */
  readonly mutationsPerSecond: number;
  readonly settleTimeoutMs: number;
  readonly logFile: string;
  readonly say?: (message: string) => void;
}

/** Seeded, so that a run's random moments can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/**
 * After a fault: waits until Kafka is drained and the graph equals the truth again, runs the
 * enrichment sweep, then compares everything (API, index, tables, Kafka); the index may trail the
 * tables by a refresh, so the comparison is repeated until clean or the time is up.
 */
async function settle(system: SystemUnderFault, timeoutMs: number): Promise<{ recoveryMs: number; verdict: Verdict }> {
  const started = Date.now();
  const { kafka } = system.h.services.config;
  await waitFor(
    'every event to be committed',
    async () => (await consumerLag(kafka, kafka.consumerGroup, kafka.eventsTopic).catch(() => -1n)) === 0n,
    { timeoutMs, intervalMs: 500 },
  ).catch(() => undefined);
  await waitForConvergence(system.h, { timeoutMs: Math.max(10_000, timeoutMs - (Date.now() - started)) }).catch(() => undefined);
  const recoveryMs = Date.now() - started;
  await runSweep(system.h);
  let verdict = await verify(system);
  const deadline = Date.now() + 60_000;
  while (!isClean(verdict) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    verdict = await verify(system);
  }
  return { recoveryMs, verdict };
}

/** Runs each fault in turn against one system under load, and checks it against the truth after each. */
export async function runMatrix(opts: MatrixOptions): Promise<MatrixRun> {
  const say = opts.say ?? (() => undefined);
  const t0 = Date.now();
  const timeline: { at: number; what: string }[] = [];
  const mark = (what: string): void => {
    const at = Math.round((Date.now() - t0) / 100) / 10;
    timeline.push({ at, what });
    say(`${at.toFixed(1)} s  ${what}`);
  };
  const system = await startSystem({ seed: opts.seed, size: opts.size, logFile: opts.logFile });
  const results: FaultResult[] = [];
  try {
    mark(`service up; announcing a world of ${system.h.demo.world.size()} records`);
    await system.h.demo.announce();
    await waitForConvergence(system.h, { timeoutMs: opts.settleTimeoutMs * 3 });
    mark('initial world ingested');
    const rnd = random(opts.seed);
    for (const fault of opts.faults) {
      const startedAt = (Date.now() - t0) / 1000;
      mark(`fault: ${fault.name}`);
      const txBefore = await transactionCount(system);
      const warningsBefore = workerWarnings(system.logFile);
      system.h.demo.startStream(opts.mutationsPerSecond);
      const faultStarted = Date.now();
      const probes = await fault.run({ system, mark, random: rnd });
      const faultSeconds = (Date.now() - faultStarted) / 1000;
      await system.h.demo.stopStream();
      const exitsBefore = results.reduce((n, r) => n + r.unexpectedExits, 0);
      const { recoveryMs, verdict } = await settle(system, opts.settleTimeoutMs);
      const unexpectedExits = system.unexpectedExits.length - exitsBefore;
      const transactions = (await transactionCount(system)) - txBefore;
      const warnings = workerWarnings(system.logFile);
      const passed = isClean(verdict) && unexpectedExits === 0;
      mark(
        `${fault.name}: ${passed ? 'clean' : 'NOT clean'} after ${(recoveryMs / 1000).toFixed(1)} s${verdict.samples.length > 0 ? ` (${verdict.samples.join('; ')})` : ''}`,
      );
      results.push({
        fault: fault.name,
        description: fault.description,
        startedAt,
        faultSeconds,
        recoverySeconds: recoveryMs / 1000,
        transactions,
        probes,
        verdict,
        unexpectedExits,
        longWorkflowTasks: warnings.longTasks - warningsBefore.longTasks,
        lateLocalActivities: warnings.late - warningsBefore.late,
        passed,
      });
    }
    return {
      size: opts.size,
      entities: results.at(-1)?.verdict.truthEntities ?? 0,
      timeline,
      results,
      passed: results.every((r) => r.passed),
      logFile: opts.logFile,
    };
  } finally {
    await system.close();
  }
}

function workerWarnings(logFile: string): { longTasks: number; late: number } {
  const log = fs.readFileSync(logFile, 'utf8');
  return { longTasks: log.split('[TMPRL1104]').length - 1, late: log.split('Tried to complete untracked local activity').length - 1 };
}

async function transactionCount(system: SystemUnderFault): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from tx`.execute(system.h.services.db);
  return Number(rows[0]?.n ?? 0);
}
