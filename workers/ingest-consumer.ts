import { createConsumer, ensureTopics, type MessageHandler, type StringConsumer } from '../bus/kafka';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { keepRunning, untilDone } from '../platform/retry';
import { batches } from './batches';

export interface IngestConsumer {
  /** Resolves when consumption has stopped (after `close()`). */
  readonly done: Promise<void>;
  close(): Promise<void>;
}

const BATCH = { max: 64, waitMs: 20 };
const RECONNECT = { firstMs: 500, maxMs: 15_000 };

/**
 * Consumes the events topic at least once and survives the broker: messages are handled concurrently
 * in small batches, identical ones once per batch; a failed hand-off (Temporal or the dead-letter topic away) is retried with backoff
 * and its offset is not committed meanwhile; a batch's offsets are committed only after every message
 * in it is safe. When the broker goes away the consumer is closed and opened again with backoff, and
 * resumes from the last committed offset: a message may be handled twice (handling is idempotent),
 * never skipped.
 */
export async function startIngestConsumer(input: {
  config: Pick<Config, 'kafka'>;
  logger: Logger;
  handle: MessageHandler;
  clientId?: string;
}): Promise<IngestConsumer> {
  const { kafka } = input.config;
  const { logger } = input;
  const stopping = new AbortController();
  let current: StringConsumer | null = null;

  const consumeUntilBroken = async (): Promise<void> => {
    await ensureTopics(kafka, [kafka.eventsTopic, kafka.openLineageTopic, kafka.deadLetterTopic], kafka.partitions);
    const consumer = createConsumer(kafka, input.clientId ?? 'mlg-ingest', kafka.consumerGroup, (error) =>
      logger.warn({ err: error }, 'Kafka consumer error; it rejoins or reconnects'),
    );
    current = consumer;
    try {
      const stream = await consumer.consume({
        topics: [kafka.eventsTopic, kafka.openLineageTopic],
        autocommit: false,
        mode: 'committed',
        fallbackMode: 'earliest',
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
      });
      stream.on('error', () => undefined); // surfaced through the iteration below
      for await (const batch of batches(stream, BATCH)) {
        // The same message twice in a batch (a producer's retry, a replay) is handed on once.
        const distinct = new Map(batch.map((m) => [`${m.key ?? ''}\u0000${m.value ?? ''}`, m]));
        await Promise.all(
          [...distinct.values()].map((m) => {
            const message = { topic: m.topic, partition: m.partition, offset: m.offset, key: m.key ?? '', value: m.value ?? '' };
            return untilDone('hand event on', () => input.handle(message), {
              logger,
              signal: stopping.signal,
              context: { partition: m.partition, offset: m.offset.toString() },
            });
          }),
        );
        // Committing the last message of each partition commits every message before it.
        const last = new Map(batch.map((m) => [`${m.topic}:${m.partition}`, m]));
        await Promise.all([...last.values()].map(async (m) => m.commit()));
        if (stopping.signal.aborted) break;
      }
    } finally {
      current = null;
      await consumer.close(true).catch(() => undefined);
    }
  };

  // Kafka gone: the consumer is closed and opened again, from the last committed offset.
  const done = keepRunning('ingest consumer (Kafka)', consumeUntilBroken, { logger, signal: stopping.signal, ...RECONNECT });

  return {
    done,
    async close() {
      stopping.abort();
      await current?.close(true).catch(() => undefined);
      await done;
    },
  };
}
