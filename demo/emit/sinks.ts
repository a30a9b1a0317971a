import { createProducer, type KafkaAccess, type StringProducer } from '../../bus/kafka';
import { eventId } from '../../connectors/events';
import type { ThinEvent } from '../../domain/events';
import type { Logger } from '../../platform/logger';
import { untilDone } from '../../platform/retry';

/** Where the demo's thin events go: Kafka (key = entity id) or the service's POST /v1/events. */
export interface EventSink {
  send(events: readonly ThinEvent[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Sends to a Kafka topic at least once, as a well-behaved source does: while the broker is away a
 * send is retried with backoff until it lands (or the sink is closed), so a broker restart loses none
 * of the demo's events.
 */
export function kafkaSink(kafka: KafkaAccess, topic: string, logger?: Logger): EventSink {
  const producer: StringProducer = createProducer(kafka, 'mlg-demo-sources');
  const closing = new AbortController();
  return {
    async send(events) {
      if (events.length === 0) return;
      const messages = events.map((event) => ({ topic, key: eventId(event), value: JSON.stringify(event) }));
      await untilDone('send demo events to Kafka', () => producer.send({ messages }), {
        signal: closing.signal,
        maxMs: 5_000,
        ...(logger ? { logger } : {}),
      });
    },
    async close() {
      closing.abort();
      await producer.close();
    },
  };
}

export function httpSink(url: string, token?: string): EventSink {
  return {
    async send(events) {
      if (events.length === 0) return;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(events),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`POST ${url} answered ${response.status}`);
    },
    async close() {},
  };
}

/** Keeps the events in memory: for tests that look at the stream itself. */
export function memorySink(): EventSink & { readonly sent: ThinEvent[] } {
  const sent: ThinEvent[] = [];
  return {
    sent,
    async send(events) {
      sent.push(...events);
    },
    async close() {},
  };
}
