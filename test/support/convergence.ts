import { runSweepAndWait } from '../../temporal/enrichment-schedule';
import type { EnrichmentCounts } from '../../workflows/enrichment';
import { groundTruth } from '../../demo/world/truth';
import { describeDifference, graphOf, sameSnapshot, truthSnapshot } from './graph';
import type { Harness } from './harness';
import { consumerLag } from '../../bus/kafka';
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

/**
 * Waits until every delivered event is consumed and applied: no lag on the events topic, no entity
 * workflow running, and nothing changing for `quietMs`. A sync any sooner would find their changes
 * first and count them as unannounced.
 */
export async function waitForEventsApplied(h: Harness, quietMs = 1_500): Promise<void> {
  const { kafka, temporal } = h.services.config;
  const pending = async (): Promise<[number, string]> => [
    (
      await h.services.temporal.client.workflow.count(
        `TaskQueue="${temporal.taskQueue}" AND WorkflowType="entityWorkflow" AND ExecutionStatus="Running"`,
      )
    ).count,
    String(await consumerLag(kafka, kafka.consumerGroup, kafka.eventsTopic)),
  ];
  const measure = async () => {
    const row = await h.services.db
      .selectFrom('entities')
      .select((eb) => [eb.fn.max('last_hydrated_at').as('at'), eb.fn.countAll().as('n')])
      .executeTakeFirst();
    const events = await h.services.db
      .selectFrom('source_activity')
      .select((eb) => eb.fn.sum('events').as('n'))
      .executeTakeFirst();
    return JSON.stringify([await pending(), row, events]);
  };
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    await waitForQuiet('the events and their hydrations', measure, { quietMs });
    const [running, lag] = await pending();
    if (running === 0 && lag === '0') return;
  }
  throw new Error('timed out waiting for the delivered events to be applied');
}

/** Runs one enrichment sweep through the schedule and waits for its counts. */
export const runSweep = (h: Harness): Promise<EnrichmentCounts> => runSweepAndWait(h.services.temporal.client, h.services.config);
