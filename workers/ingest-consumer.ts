import { setTimeout as sleep } from 'node:timers/promises';
import { createConsumer, ensureTopics, type StringConsumer } from '../bus/kafka';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { batches } from './batches';

export interface ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string;
  readonly value: string;
}

/** Handles one message. It resolves only once the message is safe (handed on or dead-lettered). */
export type MessageHandler = (message: ConsumedMessage) => Promise<void>;

export interface IngestConsumer {
  /** Resolves when consumption has stopped. */
  readonly done: Promise<void>;
  close(): Promise<void>;
}

const BATCH = { max: 64, waitMs: 20 };
const RETRY = { firstMs: 250, maxMs: 30_000 };

/**
 * Handles one message until it succeeds: a failure (Temporal or the dead-letter topic unreachable) is
 * retried with exponential backoff instead of stopping consumption, and its offset is not committed
 * meanwhile, so nothing is dropped.
 */
async function handleUntilDone(handle: MessageHandler, message: ConsumedMessage, logger: Logger, stopping: AbortSignal): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await handle(message);
    } catch (error) {
      // Shutting down: leave the message uncommitted; the next consumer gets it again.
      if (stopping.aborted) throw error;
      const delay = Math.min(RETRY.maxMs, RETRY.firstMs * 2 ** attempt);
      logger.warn({ err: error, partition: message.partition, offset: message.offset.toString(), attempt, retryInMs: delay }, 'event not handed on yet; retrying');
      await sleep(delay, undefined, { signal: stopping }).catch(() => undefined);
    }
  }
}

/**
 * Consumes the events topic at least once: messages are handled concurrently in small batches, and a
 * batch's offsets are committed only after the handler resolved for every message in it, so a crash
 * can replay a message but never lose one.
 */
export async function startIngestConsumer(input: { config: Pick<Config, 'kafka'>; logger: Logger; handle: MessageHandler; clientId?: string }): Promise<IngestConsumer> {
  const { kafka } = input.config;
  await ensureTopics(kafka.brokers, [kafka.eventsTopic, kafka.deadLetterTopic]);
  const consumer: StringConsumer = createConsumer(kafka.brokers, input.clientId ?? 'mlg-ingest', kafka.consumerGroup);
  const stream = await consumer.consume({ topics: [kafka.eventsTopic], autocommit: false, mode: 'committed', fallbackMode: 'earliest', sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  const stopping = new AbortController();
  const done = (async () => {
    for await (const batch of batches(stream, BATCH)) {
      await Promise.all(batch.map((m) => handleUntilDone(input.handle, { topic: m.topic, partition: m.partition, offset: m.offset, key: m.key ?? '', value: m.value ?? '' }, input.logger, stopping.signal)));
      // Committing the last message of each partition commits every message before it.
      const last = new Map(batch.map((m) => [`${m.topic}:${m.partition}`, m]));
      await Promise.all([...last.values()].map(async (m) => m.commit()));
    }
  })().catch((error: unknown) => {
    input.logger.error({ err: error }, 'ingest consumer stopped on an error');
    throw error;
  });
  return {
    done,
    async close() {
      stopping.abort();
      await stream.close();
      await consumer.close(true);
      await done.catch(() => {});
    },
  };
}
