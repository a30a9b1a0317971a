import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProducer } from '../../bus/kafka';
import { createLogger } from '../../platform/logger';
import { startIngestConsumer } from '../../workers/ingest-consumer';
import { testConfig, uniqueName } from '../support/services';
import { waitFor } from '../support/wait';

describe('the ingest consumer', () => {
  it('when handing a message on fails, then it is retried with backoff and consumption carries on; nothing is committed before success', async () => {
    const name = uniqueName('consumer');
    const config = testConfig({
      MLG_EVENTS_TOPIC: `${name}.events`,
      MLG_DEAD_LETTER_TOPIC: `${name}.dlq`,
      MLG_CONSUMER_GROUP: `${name}-group`,
    });
    const logger = createLogger({ logLevel: 'silent' });
    const handled: string[] = [];
    let failures = 0;
    const consumer = await startIngestConsumer({
      config,
      logger,
      handle: async (message) => {
        if (message.value === 'b' && failures < 2) {
          failures += 1;
          throw new Error('Temporal is unreachable');
        }
        handled.push(message.value);
      },
    });
    const producer = createProducer(config.kafka, 'consumer-test');
    try {
      await producer.send({ messages: ['a', 'b', 'c'].map((value) => ({ topic: config.kafka.eventsTopic, key: 'same-key', value })) });
      await waitFor('every message to be handled', async () => handled.length === 3, { timeoutMs: 30_000 });
      assert.deepEqual(handled.sort(), ['a', 'b', 'c']);
      assert.equal(failures, 2);
    } finally {
      await consumer.close();
    }
    // A new consumer in the same group starts after the committed offsets: nothing is handed on twice.
    const again: string[] = [];
    const second = await startIngestConsumer({ config, logger, handle: async (message) => void again.push(message.value) });
    try {
      await producer.send({ messages: [{ topic: config.kafka.eventsTopic, key: 'same-key', value: 'd' }] });
      await waitFor('the new message to be handled', async () => again.length > 0, { timeoutMs: 30_000 });
      assert.deepEqual(again, ['d']);
    } finally {
      await second.close();
      await producer.close();
    }
  });
});
