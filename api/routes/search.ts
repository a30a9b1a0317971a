import { isEntityType } from '../../domain/vocabulary';
import { ownerUris } from '../../domain/uri';
import type { Services } from '../../platform/services';
import { indexNames } from '../../search/indices';
import { searchEntities, searchOwners } from '../../search/query';
import { answer, route, type RouteSpec } from '../route-spec';
import * as s from '../schemas';

const errors = {
  400: { description: 'A parameter is invalid; the problem names it', schema: s.problem },
  ...s.refusals('read'),
};

/** Search over the entities index (exact name first, typos tolerated, filters) and the owners index. */
export function searchRoutes(services: Services): RouteSpec[] {
  const names = indexNames(services.config.elasticsearch.indexPrefix);
  const scheme = services.config.uriScheme;
  return [
    route({
      method: 'get',
      path: '/v1/search',
      tag: 'search',
      scope: 'read',
      query: s.searchQuery,
      summary: 'Full-text search over entities: an exact name ranks first, typos are tolerated, filters by type, owner and tag combine',
      responses: { 200: { description: 'The hits, best first', schema: s.searchResponse }, ...errors },
      handler: async ({ query }) =>
        answer(
          200,
          await searchEntities(services.search, names, {
            q: query.q,
            types: (query.type ?? []).filter(isEntityType),
            // A username or a team id could be either, so both are tried.
            owners: (query.owner ?? []).flatMap((owner) => ownerUris(owner, ['user', 'team'], scheme)),
            tags: query.tag ?? [],
            limit: query.limit,
            offset: query.offset,
            facets: query.facets,
          }),
        ),
    }),
    route({
      method: 'get',
      path: '/v1/owners/search',
      tag: 'search',
      scope: 'read',
      query: s.ownersQuery,
      summary: 'Search over users and teams',
      responses: { 200: { description: 'The hits, best first', schema: s.ownersResponse }, ...errors },
      handler: async ({ query }) => answer(200, await searchOwners(services.search, names, query)),
    }),
  ];
}
