import type { Services } from '../../platform/services';
import { checkHealth } from '../health';
import { answer, route, type RouteSpec } from '../route-spec';
import { healthResponse, statusResponse } from '../schemas';
import { systemStatus } from '../status';

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
    route({
      method: 'get',
      path: '/v1/status',
      tag: 'operations',
      scope: 'read',
      summary: "What an operator looks at first: the servers, the consumer's lag, dead letters, running workflows, each source's last sync",
      responses: { 200: { description: 'The status; what a server that is away cannot tell is null', schema: statusResponse } },
      handler: async () => {
        const status = await systemStatus(services);
        return answer(200, {
          ...status,
          lastSyncs:
            status.lastSyncs?.map((r) => ({
              source: r.source,
              mode: r.mode,
              status: r.status,
              startedAt: r.startedAt.toISOString(),
              finishedAt: r.finishedAt?.toISOString() ?? null,
              counts: { ...r.counts },
              message: r.message,
            })) ?? null,
        });
      },
    }),
  ];
}
