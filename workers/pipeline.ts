import { activityDepsFrom } from '../activities/deps';
import { createProducer } from '../bus/kafka';
import type { Logger } from '../platform/logger';
import { keepRunning, untilDone } from '../platform/retry';
import type { Services } from '../platform/services';
import { ensureIndices } from '../search/indices';
import { ensureEnrichmentSchedule } from '../temporal/enrichment-schedule';
import { ensureSearchAttributes } from '../temporal/search-attributes';
import { ensureSyncSchedules } from '../temporal/sync-schedule';
import { createEventHandler } from '../intake/event-handler';
import { startIngestConsumer, type IngestConsumer } from './ingest-consumer';
import { createTemporalWorker, type TemporalWorker } from './temporal-worker';

/** What a process runs: the Temporal workers, the Kafka ingest consumer, or both (the default). */
export type PipelineRole = 'worker' | 'consumer' | 'both';

export interface Pipeline {
  /** Resolves when the worker and the consumer have stopped (after `close()`). */
  readonly done: Promise<void>;
  close(): Promise<void>;
}

const RESTART = { firstMs: 1_000, maxMs: 30_000 };

/**
 * The ingestion pipeline of one process: the search indices and Temporal search attributes it needs,
 * the Temporal workers, and the Kafka consumer that hands events to entity workflows. Each set-up step
 * waits for its server; a worker that stops on its own (its server gone for too long) is created
 * again with backoff, so an outage never ends the process.
 */
export async function startPipeline(input: { services: Services; logger: Logger; role?: PipelineRole }): Promise<Pipeline> {
  const { services, logger } = input;
  const role = input.role ?? 'both';
  const { config } = services;
  const stopping = new AbortController();
  const retry = { logger, signal: stopping.signal, firstMs: RESTART.firstMs, maxMs: RESTART.maxMs };
  await Promise.all([
    untilDone('create the search indices', () => ensureIndices(services.search, config.elasticsearch.indexPrefix), retry),
    untilDone('register the Temporal search attributes', () => ensureSearchAttributes(services.temporal, config.temporal.namespace), retry),
  ]);
  await untilDone('create the enrichment schedule', () => ensureEnrichmentSchedule(services.temporal.client, config), retry);
  await untilDone('create the sync schedules', () => ensureSyncSchedules(services.temporal.client, config), retry);

  const workers = role === 'consumer' ? null : await startWorkers(services, logger, retry);
  const producer = createProducer(config.kafka, 'mlg-dead-letter');
  let consumer: IngestConsumer | null = null;
  if (role !== 'worker')
    consumer = await startIngestConsumer({
      config,
      logger,
      handle: createEventHandler({
        client: services.temporal.client,
        db: services.db,
        config,
        producer,
        logger,
        activity: services.activity,
      }),
    });
  return {
    done: Promise.all([workers?.done, consumer?.done]).then(() => undefined),
    async close() {
      stopping.abort();
      await consumer?.close();
      await producer.close();
      await workers?.close();
    },
  };
}

/** The Temporal workers; a worker set that stops on its own (its server gone for too long) is created again. */
async function startWorkers(
  services: Services,
  logger: Logger,
  retry: Parameters<typeof keepRunning>[2],
): Promise<{ done: Promise<void>; close(): Promise<void> }> {
  const deps = activityDepsFrom(services);
  const create = () => createTemporalWorker({ config: services.config, logger, deps });
  let worker: TemporalWorker = await untilDone('connect the Temporal worker', create, retry);
  let started = false;
  const done = keepRunning(
    'Temporal worker',
    async () => {
      if (started) worker = await create();
      started = true;
      await worker.run();
    },
    retry,
  );
  return {
    done,
    async close() {
      worker.shutdown();
      await done;
    },
  };
}
