import { runSweepAndWait } from '../../temporal/enrichment-schedule';
import type { EnrichmentCounts } from '../../workflows/enrichment';
import { groundTruth } from '../../demo/world/truth';
import { describeDifference, graphOf, sameSnapshot, truthSnapshot } from './graph';
import type { Harness } from './harness';
import { waitFor, waitForQuiet } from './wait';

/** Waits until the service's graph equals the demo world's ground truth (declared edges, or all). */
export async function waitForConvergence(
  h: Harness,
  opts: { inferred?: boolean; timeoutMs?: number; maxShare?: number } = {},
): Promise<void> {
  const inferred = opts.inferred ?? false;
  const snapshots = async () =>
    [await graphOf(h.services.db, { inferred }), truthSnapshot(groundTruth(h.demo.world), { inferred })] as const;
  await waitFor(
    'the graph to equal the ground truth',
    async () => {
      const [actual, expected] = await snapshots();
      return sameSnapshot(actual, expected);
    },
    { timeoutMs: opts.timeoutMs ?? 120_000, maxShare: opts.maxShare, explain: async () => describeDifference(...(await snapshots())) },
  );
}

/** Waits until nothing has been hydrated for `quietMs`: in-flight work has landed. */
export async function waitForPipelineQuiet(h: Harness, quietMs = 2000): Promise<void> {
  const lastWrite = async () =>
    JSON.stringify(
      await h.services.db
        .selectFrom('entities')
        .select((eb) => [eb.fn.max('last_hydrated_at').as('at'), eb.fn.countAll().as('n')])
        .executeTakeFirst(),
    );
  await waitForQuiet('the pipeline', lastWrite, { quietMs });
}

/** Runs one enrichment sweep through the schedule and waits for its counts. */
export const runSweep = (h: Harness): Promise<EnrichmentCounts> => runSweepAndWait(h.services.temporal.client, h.services.config);
