import { z } from 'zod';
import { validateEvent } from '../../connectors/events';
import { metrics } from '../../platform/metrics';
import type { Services } from '../../platform/services';
import { refreshForEvent } from '../../temporal/entity-client';
import { outage } from '../problem';
import { route, type RouteSpec } from '../route-spec';
import { eventsResponse, problem } from '../schemas';

const MAX_EVENTS = 10_000;

const thinEvent = z
  .looseObject({ event_type: z.string(), event_id: z.string().optional(), emitted_at: z.string().optional() })
  .describe('A thin event: event_type and the id field its type names');
const body = z.union([thinEvent, z.array(z.unknown()).min(1).max(MAX_EVENTS)]);

/**
 * POST /v1/events: one thin event or an array, validated exactly as the Kafka consumer does. Valid
 * events are handed to their entities' workflows before the 202; rejected ones say why.
 */
export function eventRoutes(services: Services): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/v1/events',
      tag: 'ingestion',
      scope: 'write',
      body,
      summary: 'Accepts one thin event or an array (the same schema as Kafka)',
      responses: {
        202: { description: 'Accepted and rejected counts; each rejection says why', schema: eventsResponse },
        400: { description: 'The body is not an event or an array of them', schema: problem },
        401: { description: 'No or unknown bearer token', schema: problem },
        403: { description: 'The token lacks the write scope', schema: problem },
      },
      handler: async ({ body: events }) => {
        const list: unknown[] = Array.isArray(events) ? events : [events];
        const rejected: { index: number; reason: string }[] = [];
        const accepted: Promise<unknown>[] = [];
        list.forEach((raw, index) => {
          const verdict = validateEvent(raw);
          if (!verdict.ok) return void rejected.push({ index, reason: verdict.reason });
          accepted.push(refreshForEvent(services.temporal.client, services.config, verdict.event));
        });
        try {
          await Promise.all(accepted);
        } catch (error) {
          throw outage('temporal', error);
        }
        metrics.events.inc({ channel: 'http', outcome: 'accepted' }, accepted.length);
        metrics.events.inc({ channel: 'http', outcome: 'rejected' }, rejected.length);
        return { status: 202, body: { accepted: accepted.length, rejected } };
      },
    }),
  ];
}
