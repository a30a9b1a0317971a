import fc from 'fast-check';
import { createConsumer, consumerLag, createProducer, topicMessageCount } from '../../bus/kafka';
import { EVENT_CATALOG } from '../../connectors';
import { metrics } from '../../platform/metrics';
import { DEAD_LETTER_HEADERS } from '../../intake/event-handler';
import type { Harness } from '../support/harness';
import { waitFor } from '../support/wait';

export interface EventFuzzResult {
  readonly kafka: {
    sent: number;
    accepted: number;
    deadLettered: number;
    deadLetteredWithReason: number;
    lagAfter: number;
    consumerStopped: boolean;
  };
  readonly http: { sent: number; byStatus: Record<string, number>; serverErrors: number };
  readonly passed: boolean;
}

const eventTypes = Object.keys(EVENT_CATALOG);

/** Thin events as a hostile or broken producer would write them: valid, nearly valid, wrong types, garbage. */
const eventLike = fc.oneof(
  fc
    .record({ event_type: fc.constantFrom(...eventTypes), id: fc.string({ maxLength: 40 }) })
    .map(({ event_type, id }) => ({ event_type, [EVENT_CATALOG[event_type]?.idField ?? 'id']: id })),
  fc.record(
    {
      event_type: fc.oneof(fc.constantFrom(...eventTypes), fc.string()),
      event_id: fc.oneof(fc.string(), fc.integer()),
      emitted_at: fc.oneof(
        fc.string(),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      ),
    },
    { requiredKeys: [] },
  ),
  fc
    .record({ event_type: fc.constantFrom(...eventTypes) })
    .chain((base) => fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 })).map((extra) => ({ ...extra, ...base }))),
  fc.jsonValue({ maxDepth: 4 }),
);

/** Message values: JSON of the above, deep nesting, huge arrays, long strings, bytes that are not UTF-8 JSON. */
const messageValue = fc.oneof(
  { weight: 6, arbitrary: eventLike.map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 50_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 20_000 })
      .map((n) => JSON.stringify(Array.from({ length: n }, () => ({ event_type: 'model_created', model_id: 'x' })))),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 900_000 }).map((n) => JSON.stringify({ event_type: 'model_created', model_id: 'x'.repeat(n) })),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom('', 'null', '{}', '[]', '"model_created"', '{"event_type":null}') },
);

/** HTTP bodies for POST /v1/events: the same, plus arrays past the limit and bodies that are not JSON at all. */
const httpBody = fc.oneof(
  { weight: 5, arbitrary: fc.oneof(eventLike, fc.array(eventLike, { maxLength: 30 })).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 50_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`) },
  // Arrays around the 10,000 limit, of events that each fail validation (valid ones would each start a workflow).
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 9_990, max: 10_010 })
      .map((n) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ event_type: 'model_created', model: `fuzz-${i}` })))),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
);

const counter = async (outcome: 'accepted' | 'rejected'): Promise<number> =>
  (await metrics.events.get()).values.find((v) => v.labels.channel === 'kafka' && v.labels.outcome === outcome)?.value ?? 0;

/**
 * Fuzzes both ways in: `kafkaMessages` generated messages to the events topic (each must be handed on or
 * dead-lettered with its reason, and the consumer must keep going), and `httpRequests` generated bodies
 * to POST /v1/events (none may get a 5xx). The harness's pipeline must run in this process.
 */
export async function fuzzEvents(
  h: Harness,
  api: string,
  opts: { seed: number; kafkaMessages: number; httpRequests: number; token: string },
): Promise<EventFuzzResult> {
  const { kafka } = h.services.config;
  const values = fc.sample(messageValue, { seed: opts.seed, numRuns: opts.kafkaMessages });
  const acceptedBefore = await counter('accepted');
  const rejectedBefore = await counter('rejected');
  const dlqBefore = await topicMessageCount(kafka, kafka.deadLetterTopic).catch(() => 0n);
  const producer = createProducer(kafka, 'mlg-fuzz');
  try {
    // Large values go one to a request: a record batch over the broker's message size is refused whole.
    const messages = values.map((value, i) => ({ topic: kafka.eventsTopic, key: `fuzz-${i}`, value }));
    for (const message of messages.filter((m) => m.value.length > 100_000)) await producer.send({ messages: [message] });
    const small = messages.filter((m) => m.value.length <= 100_000);
    for (let i = 0; i < small.length; i += 50) await producer.send({ messages: small.slice(i, i + 50) });
  } finally {
    await producer.close();
  }
  await waitFor(
    'every fuzzed message to be handled',
    async () => (await consumerLag(kafka, kafka.consumerGroup, kafka.eventsTopic)) === 0n,
    { timeoutMs: 600_000, intervalMs: 1000 },
  ).catch(() => undefined);
  const lagAfter = Number(await consumerLag(kafka, kafka.consumerGroup, kafka.eventsTopic));
  const deadLettered = Number((await topicMessageCount(kafka, kafka.deadLetterTopic)) - dlqBefore);
  const consumerStopped = await Promise.race([
    ...h.pipelines.map(async (p) => p.done.then(() => true)),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 100)),
  ]);

  // Every dead letter carries its reason.
  let withReason = 0;
  const reader = createConsumer(kafka, 'mlg-fuzz-dlq', `${kafka.consumerGroup}-fuzz-dlq`);
  try {
    const stream = await reader.consume({ topics: [kafka.deadLetterTopic], autocommit: false, mode: 'earliest' });
    let seen = 0;
    const total = Number(dlqBefore) + deadLettered;
    if (total > 0) {
      for await (const message of stream) {
        if (++seen > Number(dlqBefore) && (message.headers.get(DEAD_LETTER_HEADERS.reason) ?? '').length > 0) withReason++;
        if (seen >= total) break;
      }
    }
    await stream.close();
  } finally {
    await reader.close(true);
  }

  const bodies = fc.sample(httpBody, { seed: opts.seed + 1, numRuns: opts.httpRequests });
  const byStatus: Record<string, number> = {};
  for (const body of bodies) {
    const response = await fetch(`${api}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(60_000),
    });
    await response.arrayBuffer();
    byStatus[response.status] = (byStatus[response.status] ?? 0) + 1;
  }
  const serverErrors = Object.entries(byStatus).reduce((n, [status, count]) => n + (Number(status) >= 500 ? count : 0), 0);
  const accepted = (await counter('accepted')) - acceptedBefore;
  const rejected = (await counter('rejected')) - rejectedBefore;
  const kafkaResult = { sent: values.length, accepted, deadLettered, deadLetteredWithReason: withReason, lagAfter, consumerStopped };
  return {
    kafka: kafkaResult,
    http: { sent: bodies.length, byStatus, serverErrors },
    passed:
      lagAfter === 0 &&
      !consumerStopped &&
      accepted + rejected >= values.length &&
      deadLettered === rejected &&
      withReason === deadLettered &&
      serverErrors === 0,
  };
}
