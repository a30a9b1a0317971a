import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ThinEvent } from '../../domain/events';
import { versionId } from './index';

/** MLflow's webhook headers (mlflow/webhooks/constants.py). */
export const MLFLOW_HEADERS = {
  signature: 'x-mlflow-signature',
  timestamp: 'x-mlflow-timestamp',
  deliveryId: 'x-mlflow-delivery-id',
} as const;

export type SignatureVerdict = { readonly ok: true } | { readonly ok: false; readonly header: string; readonly reason: string };

/**
 * Checks a delivery as MLflow signs it: `v1,` + base64 of HMAC-SHA256 over `{delivery id}.{timestamp}.{body}`
 * with the shared secret, the timestamp (Unix seconds) no older than `maxAgeSeconds` (nor as far ahead).
 */
export function verifySignature(input: {
  readonly secret: string;
  readonly body: Buffer;
  readonly signature: string | undefined;
  readonly timestamp: string | undefined;
  readonly deliveryId: string | undefined;
  readonly maxAgeSeconds: number;
  readonly nowMs?: number;
}): SignatureVerdict {
  const { signature, timestamp, deliveryId } = input;
  if (!deliveryId) return { ok: false, header: 'X-MLflow-Delivery-Id', reason: 'is missing' };
  if (!timestamp || !/^\d{1,12}$/.test(timestamp))
    return { ok: false, header: 'X-MLflow-Timestamp', reason: 'is missing or not Unix seconds' };
  const age = (input.nowMs ?? Date.now()) / 1000 - Number(timestamp);
  if (Math.abs(age) > input.maxAgeSeconds)
    return { ok: false, header: 'X-MLflow-Timestamp', reason: `is ${Math.round(age)} s away from now (at most ${input.maxAgeSeconds} s)` };
  if (!signature?.startsWith('v1,')) return { ok: false, header: 'X-MLflow-Signature', reason: 'is missing or not v1' };
  const expected = createHmac('sha256', input.secret).update(`${deliveryId}.${timestamp}.`).update(input.body).digest();
  const given = Buffer.from(signature.slice(3), 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, header: 'X-MLflow-Signature', reason: 'does not match the body' };
  return { ok: true };
}

/** Signs a delivery as MLflow does: what tests and the demo's own deliveries use. */
export function signDelivery(secret: string, deliveryId: string, timestamp: string, body: string): string {
  return `v1,${createHmac('sha256', secret).update(`${deliveryId}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * The thin event a delivery stands for (`{entity, action, data}`), or why it stands for none: prompt
 * and budget events are not part of the graph.
 */
export function eventOfDelivery(delivery: unknown, deliveryId: string): { event: ThinEvent } | { ignored: string } {
  const d = (delivery ?? {}) as { entity?: unknown; action?: unknown; data?: { name?: unknown; version?: unknown } };
  const name = typeof d.data?.name === 'string' ? d.data.name : null;
  const version = typeof d.data?.version === 'string' || typeof d.data?.version === 'number' ? String(d.data.version) : null;
  const type = `mlflow.${String(d.entity)}.${String(d.action)}`;
  if (!name) return { ignored: `${type} names no model` };
  const base = { event_type: type, event_id: deliveryId };
  switch (type) {
    case 'mlflow.registered_model.created':
    case 'mlflow.model_version_alias.created':
    case 'mlflow.model_version_alias.deleted':
      return { event: { ...base, model_name: name } };
    case 'mlflow.model_version.created':
    case 'mlflow.model_version_tag.set':
    case 'mlflow.model_version_tag.deleted':
      return version ? { event: { ...base, model_version: versionId(name, version) } } : { ignored: `${type} names no version` };
    default:
      return { ignored: `${type} is not part of the graph` };
  }
}
