import type { Services } from '../../platform/services';
import { triggerEnrichment } from '../../temporal/enrichment-schedule';
import { answer, route, type RouteSpec } from '../route-spec';
import { enrichmentResponse, refusals } from '../schemas';

export function enrichmentRoutes(services: Services): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/v1/enrichment/run',
      tag: 'operations',
      scope: 'admin',
      audit: { action: 'enrichment.run' },
      summary: 'Starts an enrichment sweep now (or answers with the one already running)',
      responses: {
        202: { description: "The sweep's workflow id", schema: enrichmentResponse },
        ...refusals('admin'),
      },
      handler: async () => answer(202, await triggerEnrichment(services.temporal.client, services.config)),
    }),
  ];
}
