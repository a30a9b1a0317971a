import { z } from 'zod';
import type { Services } from '../../platform/services';
import { acceptEvents } from '../../intake/events';
import { handedToTemporal } from '../problem';
import { answer, route, type RouteSpec } from '../route-spec';
import { eventsResponse, problem, refusals } from '../schemas';

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
      scope: 'ingest',
      audit: { action: 'events.post', details: ({ body }) => ({ events: Array.isArray(body) ? body.length : 1 }) },
      body,
      summary: 'Accepts one thin event or an array (the same schema as Kafka)',
      responses: {
        202: { description: 'Accepted and rejected counts; each rejection says why', schema: eventsResponse },
        400: { description: 'The body is not an event or an array of them', schema: problem },
        ...refusals('ingest'),
      },
      handler: async ({ body: events }) =>
        answer(
          202,
          await handedToTemporal(
            acceptEvents(services.temporal.client, services.config, Array.isArray(events) ? events : [events], services.activity),
          ),
        ),
    }),
  ];
}
