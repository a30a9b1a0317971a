import type { Services } from '../../platform/services';
import { checkHealth } from '../health';
import { answer, route, type RouteSpec } from '../route-spec';
import { healthResponse } from '../schemas';

export function healthRoutes(services: Services): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/v1/health',
      tag: 'operations',
      scope: 'public',
      summary: 'Each of the four servers, up or down, by actually talking to it',
      responses: {
        200: { description: 'All up', schema: healthResponse },
        503: { description: 'At least one is down', schema: healthResponse },
      },
      handler: async () => {
        const health = await checkHealth(services);
        return health.status === 'up' ? answer(200, health) : answer(503, health);
      },
    }),
  ];
}
