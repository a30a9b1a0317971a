import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createConsumer, ensureTopics } from '../../../bus/kafka';
import { httpSink, kafkaSink } from '../../../demo/emit/sinks';
import { thinEvent } from '../../../connectors/events';
import { testConfig, uniqueName } from '../../support/services';
import express from 'express';
import { listen } from '../../../api/server';

describe('event sinks', () => {
  it('when events go to Kafka, then each arrives keyed by its entity id', async () => {
    const kafka = testConfig().kafka;
    const topic = uniqueName('sink');
    await ensureTopics(kafka, [topic], 1);
    const sink = kafkaSink(kafka, topic);
    const consumer = createConsumer(kafka, 'sink-test', uniqueName('sink-group'));
    try {
      await sink.send([thinEvent('model_instance_created', 'ranking-model-v5-20XX0101'), thinEvent('user_updated', 'alice@netflix.com')]);
      const stream = await consumer.consume({ topics: [topic], autocommit: false, mode: 'earliest' });
      const got: [string, unknown][] = [];
      for await (const message of stream) {
        got.push([message.key, JSON.parse(message.value)]);
        if (got.length === 2) break;
      }
      await stream.close();
      assert.deepEqual(got, [
        ['ranking-model-v5-20XX0101', { event_type: 'model_instance_created', instance_id: 'ranking-model-v5-20XX0101' }],
        ['alice@netflix.com', { event_type: 'user_updated', email: 'alice@netflix.com' }],
      ]);
    } finally {
      await sink.close();
      await consumer.close(true);
    }
  });

  it('when events go over HTTP, then they are posted as one array, and a refusal is an error', async () => {
    const received: unknown[] = [];
    const app = express();
    app.use(express.json());
    app.post('/v1/events', (req, res) => {
      received.push(req.body);
      res.status(received.length === 1 ? 202 : 503).end();
    });
    const server = await listen(app, '127.0.0.1', 0);
    try {
      const sink = httpSink(`http://127.0.0.1:${server.port}/v1/events`);
      await sink.send([thinEvent('dataset_created', 'member-viewing-history')]);
      assert.deepEqual(received, [[{ event_type: 'dataset_created', dataset_id: 'member-viewing-history' }]]);
      await assert.rejects(sink.send([thinEvent('dataset_created', 'x')]), /503/);
    } finally {
      await server.close();
    }
  });
});
