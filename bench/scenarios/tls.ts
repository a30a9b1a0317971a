import { PROFILES } from '../../stack/profiles';
import { useTestProfile } from '../../test/support/profile';
import type { BenchReport } from '../report';
import { ingestScenario } from './ingest';

/** The figure compared: entities hydrated per second by one pipeline. */
const FIGURE = 'entitiesHydratedPerSecond';

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const round = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * What TLS and credentials cost: the ingest scenario on the secure profile (SASL_SSL, mTLS,
 * verify-full, an API key) beside the cluster profile (the same Temporal engine, plaintext), in
 * turns, `repeat` times each, in one run; both stacks stay up throughout, so each turn sees the same
 * machine. Reports the mean and spread of each and the secure ÷ plaintext ratio.
 */
export async function tlsScenario(opts: { size: number; repeat: number; command: string }): Promise<BenchReport> {
  const started = Date.now();
  const runs: Record<'cluster' | 'secure', number[]> = { cluster: [], secure: [] };
  for (let turn = 0; turn < opts.repeat; turn++)
    for (const profile of ['cluster', 'secure'] as const) {
      await useTestProfile((m) => console.log(`[bench] ${m}`), profile);
      const report = await ingestScenario({ size: opts.size, command: opts.command, profile, processes: 0 });
      const value = Number(report.figures[FIGURE]);
      console.log(`[bench] turn ${turn + 1}, ${profile}: ${value} entities/s`);
      runs[profile].push(value);
    }
  const plain = mean(runs.cluster);
  const secure = mean(runs.secure);
  return {
    scenario: 'tls',
    command: opts.command,
    startedAt: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    params: { size: opts.size, repeat: opts.repeat, temporalEngine: PROFILES.secure.temporalEngine, figure: FIGURE },
    figures: {
      plaintextRuns: runs.cluster.map(round),
      secureRuns: runs.secure.map(round),
      plaintextMean: round(plain),
      secureMean: round(secure),
      plaintextSpread: round(Math.max(...runs.cluster) - Math.min(...runs.cluster)),
      secureSpread: round(Math.max(...runs.secure) - Math.min(...runs.secure)),
    },
    ratios: { secureOverPlaintext: round(secure / plain) },
    chart: {
      title: 'Ingest with TLS and credentials beside plaintext (same Temporal engine)',
      unit: 'entities/s',
      bars: [
        ...runs.cluster.map((value, i) => ({ label: `plaintext ${i + 1}`, value })),
        ...runs.secure.map((value, i) => ({ label: `secure ${i + 1}`, value })),
      ],
    },
    notes: [
      "The cluster profile (plaintext, no credentials) and the secure profile (PostgreSQL verify-full with SCRAM, Kafka SASL_SSL SCRAM-SHA-512, Elasticsearch over TLS with an API key through the stack's TLS front, Temporal with mTLS) run the same full Temporal server.",
      'Turns alternate (plaintext, then secure) so that a machine that slows down does so for both.',
    ],
  };
}
