import type { Request } from 'express';
import { z } from 'zod';
import { eventOfDelivery, MLFLOW_HEADERS, verifySignature } from '../../connectors/mlflow/webhook';
import { AppError } from '../../platform/errors';
import type { Services } from '../../platform/services';
import { acceptEvents } from '../../intake/events';
import { handedToTemporal } from '../problem';
import { answer, route, type RouteSpec } from '../route-spec';
import { problem } from '../schemas';

export const MLFLOW_WEBHOOK_PATH = '/v1/webhooks/mlflow';

/** The body exactly as it came: MLflow signs the bytes, not the parsed JSON. Kept by the path's JSON parser (api/app.ts). */
export interface RawBodyRequest extends Request {
  rawBody?: Buffer;
}

const delivery = z
  .looseObject({ entity: z.string(), action: z.string(), timestamp: z.string().optional(), data: z.looseObject({}) })
  .describe('An MLflow webhook delivery: {entity, action, timestamp, data}');

const webhookResponse = z.object({
  accepted: z.number().int().describe('1 when the delivery became an event for the entity it names, 0 when it names none of the graph'),
  ignored: z.string().nullable(),
});

/**
 * POST /v1/webhooks/mlflow: MLflow's registry webhooks, verified by their HMAC signature (the secret
 * given when the webhook was created), each turned into the thin event for the entity it names and
 * handed to that entity's workflow before the answer. A bad or stale signature is a 401 and changes nothing.
 */
export function webhookRoutes(services: Services): RouteSpec[] {
  const { webhookSecret: secret, webhookMaxAgeSeconds } = services.config.mlflow;
  return [
    route({
      method: 'post',
      path: MLFLOW_WEBHOOK_PATH,
      tag: 'ingestion',
      scope: 'public',
      // Authenticated by its signature, not a bearer token: the actor is MLflow.
      audit: { action: 'webhook.mlflow', actor: { kind: 'webhook', name: 'mlflow' } },
      body: delivery,
      summary: 'MLflow registry webhooks, verified by their HMAC signature (X-MLflow-Signature)',
      responses: {
        200: { description: 'Verified; the entity it names is being refreshed, or why it names none', schema: webhookResponse },
        400: { description: 'The body is not a delivery', schema: problem },
        401: { description: 'The signature is missing, wrong or stale; the problem names the header', schema: problem },
        404: { description: 'Webhooks are not configured here (MLG_MLFLOW_WEBHOOK_SECRET)', schema: problem },
        503: { description: 'Temporal is away: the delivery was not taken; MLflow retries it', schema: problem },
      },
      handler: async ({ body, req }) => {
        // Not configured, the endpoint is not there: a deployment state, not a server failure.
        if (!secret) throw new AppError('NOT_FOUND', 'MLflow webhooks are not configured here: set MLG_MLFLOW_WEBHOOK_SECRET');
        const header = (name: string) => req.get(name) ?? undefined;
        const deliveryId = header(MLFLOW_HEADERS.deliveryId);
        const verdict = verifySignature({
          secret,
          body: (req as RawBodyRequest).rawBody ?? Buffer.alloc(0),
          signature: header(MLFLOW_HEADERS.signature),
          timestamp: header(MLFLOW_HEADERS.timestamp),
          deliveryId,
          maxAgeSeconds: webhookMaxAgeSeconds,
        });
        if (!verdict.ok) {
          req.log.warn({ deliveryId, header: verdict.header, reason: verdict.reason }, 'MLflow webhook refused');
          throw new AppError('UNAUTHORIZED', `${verdict.header} ${verdict.reason}`, { details: { parameter: verdict.header } });
        }
        const mapped = eventOfDelivery(body, deliveryId ?? '');
        if ('ignored' in mapped) return answer(200, { accepted: 0, ignored: mapped.ignored });
        const result = await handedToTemporal(acceptEvents(services.temporal.client, services.config, [mapped.event], services.activity));
        return answer(200, { accepted: result.accepted, ignored: result.rejected[0]?.reason ?? null });
      },
    }),
  ];
}
