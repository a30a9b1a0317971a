import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventOfDelivery, signDelivery, verifySignature } from '../../../connectors/mlflow/webhook';

const SECRET = 'a-shared-webhook-secret';
const NOW = Date.parse('2026-11-24T06:00:00Z');
const body = JSON.stringify({ entity: 'model_version', action: 'created', data: { name: 'm', version: '3' } });
const check = (over: Partial<Parameters<typeof verifySignature>[0]> = {}) => {
  const timestamp = String(NOW / 1000 - 10);
  return verifySignature({
    secret: SECRET,
    body: Buffer.from(body),
    deliveryId: 'd-1',
    timestamp,
    signature: signDelivery(SECRET, 'd-1', timestamp, body),
    maxAgeSeconds: 300,
    nowMs: NOW,
    ...over,
  });
};

describe("MLflow's webhook signature", () => {
  it('when a delivery is signed with the secret over its id, time and body, then it is accepted', () => {
    assert.deepEqual(check(), { ok: true });
  });

  it('when the body, the id, the secret or the time differ, then it is refused naming the header at fault', () => {
    assert.equal((check({ body: Buffer.from(`${body} `) }) as any).header, 'X-MLflow-Signature');
    assert.equal((check({ deliveryId: 'd-2' }) as any).header, 'X-MLflow-Signature');
    assert.equal((check({ secret: 'another-secret-entirely' }) as any).header, 'X-MLflow-Signature');
    assert.equal((check({ signature: undefined }) as any).header, 'X-MLflow-Signature');
    assert.equal((check({ nowMs: NOW + 3_600_000 }) as any).header, 'X-MLflow-Timestamp');
    assert.equal((check({ timestamp: 'yesterday' }) as any).header, 'X-MLflow-Timestamp');
    assert.equal((check({ deliveryId: undefined }) as any).header, 'X-MLflow-Delivery-Id');
  });
});

describe("MLflow's webhook deliveries", () => {
  it('when a delivery names a model or a version, then it becomes the thin event of that entity; aliases refresh the model', () => {
    assert.deepEqual(eventOfDelivery({ entity: 'model_version', action: 'created', data: { name: 'm', version: '3' } }, 'd'), {
      event: { event_type: 'mlflow.model_version.created', event_id: 'd', model_version: 'm/3' },
    });
    assert.deepEqual(eventOfDelivery({ entity: 'registered_model', action: 'created', data: { name: 'm' } }, 'd'), {
      event: { event_type: 'mlflow.registered_model.created', event_id: 'd', model_name: 'm' },
    });
    assert.deepEqual(eventOfDelivery({ entity: 'model_version_alias', action: 'deleted', data: { name: 'm', alias: 'champion' } }, 'd'), {
      event: { event_type: 'mlflow.model_version_alias.deleted', event_id: 'd', model_name: 'm' },
    });
  });

  it('when a delivery is about prompts or names nothing, then it is ignored with the reason', () => {
    assert.match(
      (eventOfDelivery({ entity: 'prompt', action: 'created', data: { name: 'p' } }, 'd') as any).ignored,
      /not part of the graph/,
    );
    assert.match((eventOfDelivery({ entity: 'model_version', action: 'created', data: {} }, 'd') as any).ignored, /names no model/);
  });
});
