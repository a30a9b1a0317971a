import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createConsumer, createProducer, ensureTopics, pingKafka } from '../../bus/kafka';
import { testConfig, uniqueName } from '../support/services';

describe('Kafka', () => {
  const kafka = testConfig().kafka;

  it('when a message is produced, then a consumer group receives it with its key and headers', async () => {
    const topic = uniqueName('smoke');
    await ensureTopics(kafka, [topic], 1);
    const producer = createProducer(kafka, 'smoke-producer');
    const consumer = createConsumer(kafka, 'smoke-consumer', uniqueName('smoke-group'));
    try {
      const value = JSON.stringify({ event_type: 'model_created', model_id: 'ranking-model' });
      await producer.send({ messages: [{ topic, key: 'ranking-model', value, headers: { origin: 'test' } }] });
      const stream = await consumer.consume({ topics: [topic], autocommit: false, mode: 'earliest' });
      let received: { key: string; value: string; origin: string | undefined } | undefined;
      for await (const message of stream) {
        received = { key: message.key, value: message.value, origin: message.headers.get('origin') };
        await message.commit();
        break;
      }
      await stream.close();
      assert.deepEqual(received, { key: 'ranking-model', value, origin: 'test' });
    } finally {
      await producer.close();
      await consumer.close(true);
    }
  });

  it('when pinged, then the topic just created is listed', async () => {
    const { topics } = await pingKafka(kafka);
    assert.ok(topics >= 1);
  });
});
