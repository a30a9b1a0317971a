import type { Services } from '../../platform/services';
import { answer, route, type RouteSpec } from '../route-spec';
import { auditQuery, auditResponse, problem, refusals } from '../schemas';

/** The audit trail, newest first: who did what, when, from where, and how it ended. */
export function auditRoutes(services: Services): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/v1/audit',
      tag: 'operations',
      scope: 'admin',
      audit: { action: 'audit.read' },
      query: auditQuery,
      summary: 'The audit trail: every write, operator action and refused credential, newest first',
      responses: {
        200: { description: 'A page of entries', schema: auditResponse },
        400: { description: 'A parameter is invalid; the problem names it', schema: problem },
        ...refusals('admin'),
      },
      handler: async ({ query }) => {
        const entries = await services.audit.entries(query);
        const last = entries.at(-1);
        return answer(200, {
          entries: entries.map((e) => ({ ...e, at: e.at.toISOString() })),
          next: entries.length === query.limit && last ? last.id : null,
        });
      },
    }),
  ];
}
