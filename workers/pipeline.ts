import { activityDepsFrom } from '../activities/deps';
import { createProducer } from '../bus/kafka';
import type { Logger } from '../platform/logger';
import type { Services } from '../platform/services';
import { ensureIndices } from '../search/indices';
import { ensureEnrichmentSchedule } from '../temporal/enrichment-schedule';
import { ensureSearchAttributes } from '../temporal/search-attributes';
import { createEventHandler } from './event-handler';
import { startIngestConsumer } from './ingest-consumer';
import { createTemporalWorker } from './temporal-worker';

export interface Pipeline {
  /** Resolves when the worker and the consumer have stopped. */
  readonly done: Promise<void>;
  close(): Promise<void>;
}

/**
 * The ingestion pipeline of one process: the search indices and Temporal search attributes it needs,
 * the Temporal workers, and the Kafka consumer that hands events to entity workflows.
 */
export async function startPipeline(input: { services: Services; logger: Logger; consumer?: boolean }): Promise<Pipeline> {
  const { services, logger } = input;
  const { config } = services;
  await Promise.all([ensureIndices(services.search, config.elasticsearch.indexPrefix), ensureSearchAttributes(services.temporal, config.temporal.namespace)]);
  await ensureEnrichmentSchedule(services.temporal.client, config);
  const worker = await createTemporalWorker({ config, logger, deps: activityDepsFrom(services) });
  const workerDone = worker.run();
  const producer = createProducer(config.kafka.brokers, 'mlg-dead-letter');
  const consumer =
    input.consumer === false ? null : await startIngestConsumer({ config, logger, handle: createEventHandler({ client: services.temporal.client, config, producer, logger }) });
  return {
    done: Promise.all([workerDone, consumer?.done]).then(() => undefined),
    async close() {
      await consumer?.close();
      await producer.close();
      worker.shutdown();
      await workerDone;
    },
  };
}
