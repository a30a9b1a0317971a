import { z } from 'zod';
import type { Services } from '../../platform/services';
import { AppError } from '../../platform/errors';
import { acceptOpenLineage, openLineageEventShape } from '../../intake/openlineage';
import { handedToTemporal } from '../problem';
import { answer, route, type RouteSpec } from '../route-spec';
import { lineageBatchResponse, problem, refusals } from '../schemas';

/** The path OpenLineage's producers post to by default (Marquez's). */
export const OPENLINEAGE_PATH = '/api/v1/lineage';
const MAX_BATCH = 10_000;

const { anyOf } = z.toJSONSchema(openLineageEventShape, { io: 'input', unrepresentable: 'any' });
/** Validated by the intake (its rejections name the field); the document shows the three kinds. */
const event = z.looseObject({}).meta({ anyOf }).describe('An OpenLineage RunEvent, JobEvent or DatasetEvent (spec 2-0-2)');
const errors = {
  400: {
    description: 'Not an OpenLineage event (the problem names the field), or larger than MLG_OPENLINEAGE_MAX_BODY_MB',
    schema: problem,
  },
  ...refusals('ingest'),
};

/**
 * OpenLineage intake at the path its producers use by default: one event, or a batch answered as the
 * spec's OpenAPI says. An accepted event is stored and handed to Temporal before the answer.
 */
export function openLineageRoutes(services: Services): RouteSpec[] {
  const accept = (events: readonly unknown[]) =>
    handedToTemporal(acceptOpenLineage({ client: services.temporal.client, db: services.db, config: services.config }, events, 'http'));
  return [
    route({
      method: 'post',
      path: OPENLINEAGE_PATH,
      tag: 'openlineage',
      scope: 'ingest',
      audit: { action: 'openlineage.post', details: () => ({ events: 1 }) },
      body: event,
      summary: 'Accepts one OpenLineage event (gzip accepted)',
      responses: { 201: { description: 'Stored and handed to its workflow', schema: z.object({}) }, ...errors },
      handler: async ({ body }) => {
        const { rejected } = await accept([body]);
        const [rejection] = rejected;
        if (rejection) throw new AppError('BAD_REQUEST', rejection.reason, { details: { parameter: rejection.field } });
        return answer(201, {});
      },
    }),
    route({
      method: 'post',
      path: `${OPENLINEAGE_PATH}/batch`,
      tag: 'openlineage',
      scope: 'ingest',
      audit: { action: 'openlineage.post', details: ({ body }) => ({ events: body.length }) },
      body: z.array(z.unknown()).max(MAX_BATCH),
      summary: 'Accepts an array of OpenLineage events; each rejected one is listed with why',
      responses: {
        200: { description: 'Received, successful and failed counts, as the OpenLineage spec says', schema: lineageBatchResponse },
        ...errors,
      },
      handler: async ({ body }) => {
        const { accepted, rejected } = await accept(body);
        return answer(200, {
          status: rejected.length === 0 ? 'success' : 'partial_success',
          summary: { received: body.length, successful: accepted, failed: rejected.length, retriable: 0, non_retriable: rejected.length },
          failed_events: rejected.map((r) => ({ index: r.index, reason: r.reason, retriable: false })),
        });
      },
    }),
  ];
}
