import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../api/app';
import { listen } from '../../api/server';
import { createLogger } from '../../platform/logger';
import type { Services } from '../../platform/services';
import { openTestServices } from '../support/services';

async function getHealth(
  services: Services,
): Promise<{ status: number; body: { status: string; components: Record<string, { status: string; detail: Record<string, unknown> }> } }> {
  const http = await listen(createApp({ services, logger: createLogger({ logLevel: 'silent' }) }), '127.0.0.1', 0);
  try {
    const response = await fetch(`http://127.0.0.1:${http.port}/v1/health`);
    return { status: response.status, body: (await response.json()) as never };
  } finally {
    await http.close();
  }
}

describe('GET /v1/health', () => {
  let services: Services;
  before(async () => {
    services = await openTestServices();
  });
  after(async () => {
    await services.close();
  });

  it('when all four servers answer, then each is up and the status is 200', async () => {
    const { status, body } = await getHealth(services);
    assert.equal(status, 200);
    assert.equal(body.status, 'up');
    assert.deepEqual(Object.keys(body.components).sort(), ['elasticsearch', 'kafka', 'postgres', 'temporal']);
    for (const component of Object.values(body.components)) assert.equal(component.status, 'up');
    assert.match(String(body.components.postgres?.detail.version), /^\d+/);
  });

  it('when Elasticsearch and Kafka do not answer, then they are down with a reason and the status is 503', async () => {
    const broken = await openTestServices({ ELASTICSEARCH_URL: 'http://127.0.0.1:1', KAFKA_BROKERS: '127.0.0.1:1' });
    try {
      const { status, body } = await getHealth(broken);
      assert.equal(status, 503);
      assert.equal(body.status, 'down');
      assert.equal(body.components.elasticsearch?.status, 'down');
      assert.equal(body.components.kafka?.status, 'down');
      assert.equal(typeof body.components.elasticsearch?.detail.error, 'string');
      assert.equal(body.components.postgres?.status, 'up');
      assert.equal(body.components.temporal?.status, 'up');
    } finally {
      await broken.close();
    }
  });
});
