import { formatUri, parseUri } from '../../domain/uri';
import { sourcesOf, type EntityType } from '../../domain/vocabulary';
import { entityView, historyOf } from '../../graph/entity-view';
import { columnLineageOf } from '../../graph/column-lineage';
import { columnImpactOf, impactOf, usageOf } from '../../graph/impact';
import { lineageOf } from '../../graph/lineage';
import { pathsBetween } from '../../graph/paths';
import { SIMILARITY_TYPES, similarTo, suggestionsFor } from '../../graph/suggestions';
import { DUPLICATE_TYPES, likelyDuplicatesOf } from '../../graph/duplicates';
import { unusedEntities } from '../../graph/unused';
import type { Services } from '../../platform/services';
import { AppError } from '../../platform/errors';
import { answer, route, type RouteSpec } from '../route-spec';
import * as s from '../schemas';

const ENTITY = '/v1/entities/{type}/{source}/{nativeId}';
const errors = {
  400: { description: 'A parameter is invalid; the problem names it', schema: s.problem },
  ...s.refusals('read'),
  404: { description: 'Unknown entity', schema: s.problem },
};

/** The graph reads of API v1: every one answers now or, with `asOf`, as the graph stood then. */
export function graphRoutes(services: Services): RouteSpec[] {
  const db = services.readDb;
  const { api, uriScheme } = services.config;
  const uriOf = (params: { type: EntityType; source: string; nativeId: string }): string => {
    const allowed = sourcesOf(params.type);
    const source = allowed.find((s) => s === params.source);
    if (!source)
      throw new AppError(
        'BAD_REQUEST',
        `path parameter 'source': entities of type ${params.type} come from ${allowed.join(' or ')}, not ${params.source}`,
        { details: { parameter: 'source', allowed } },
      );
    return formatUri({ ...params, source }, uriScheme);
  };
  const parseParamUri = (value: string, parameter: string): string => {
    try {
      return formatUri(parseUri(value, uriScheme), uriScheme);
    } catch (error) {
      throw new AppError('BAD_REQUEST', `parameter '${parameter}': ${(error as Error).message}`, { details: { parameter } });
    }
  };
  const limits = { nodeCap: api.nodeCap };

  return [
    route({
      method: 'get',
      path: ENTITY,
      tag: 'entities',
      scope: 'read',
      params: s.entityPath,
      query: s.historyQuery.pick({ asOf: true }),
      summary: 'An entity: attributes, owners, tags, state, timestamps, relationships',
      responses: { 200: { description: 'The entity', schema: s.entityResponse }, ...errors },
      handler: async ({ params, query }) => answer(200, await entityView(db, uriOf(params), query.asOf ?? null)),
    }),
    route({
      method: 'get',
      path: `${ENTITY}/history`,
      tag: 'entities',
      scope: 'read',
      params: s.entityPath,
      query: s.historyQuery,
      summary: "An entity's facts and edges over time: assertions and retractions with their transaction",
      responses: { 200: { description: 'The history, oldest first', schema: s.historyResponse }, ...errors },
      handler: async ({ params, query }) =>
        answer(200, await historyOf(db, uriOf(params), { asOf: query.asOf ?? null, limit: query.limit })),
    }),
    route({
      method: 'get',
      path: `${ENTITY}/lineage`,
      tag: 'traversal',
      scope: 'read',
      params: s.entityPath,
      query: s.lineageQuery(api.maxDepth),
      summary: 'The lineage subgraph, upstream, downstream or both',
      description:
        'Containers cover their members (upstream of a model is the upstream of its instances); a reached member lists its container. Stops at the node cap with truncated: true.',
      responses: { 200: { description: 'The lineage', schema: s.lineageResponse }, ...errors },
      handler: async ({ params, query }) =>
        answer(
          200,
          await lineageOf(db, uriOf(params), {
            ...limits,
            direction: query.direction,
            depth: query.depth,
            asOf: query.asOf ?? null,
            predicates: query.predicates,
            types: query.types,
          }),
        ),
    }),
    route({
      method: 'get',
      path: '/v1/entities/dataset/{source}/{nativeId}/column-lineage',
      tag: 'traversal',
      scope: 'read',
      params: s.datasetPath,
      query: s.columnLineageQuery(api.maxDepth),
      summary: "A dataset's column lineage: the upstream or downstream columns of one column, or of all, with each step's transformation",
      description: 'Column lineage comes from the OpenLineage columnLineage facet; it is answered as the graph stands now.',
      responses: { 200: { description: 'The columns and steps', schema: s.columnLineageResponse }, ...errors },
      handler: async ({ params, query }) =>
        answer(
          200,
          await columnLineageOf(db, uriOf({ ...params, type: 'dataset' }), {
            field: query.field ?? null,
            direction: query.direction,
            depth: query.depth,
            nodeCap: api.nodeCap,
          }),
        ),
    }),
    route({
      method: 'get',
      path: `${ENTITY}/impact`,
      tag: 'traversal',
      scope: 'read',
      params: s.entityPath,
      query: s.depthQuery(api.maxDepth),
      summary: 'What breaks if this changes: downstream entities by type, with the owners to notify',
      responses: { 200: { description: 'The impact', schema: s.impactResponse }, ...errors },
      handler: async ({ params, query }) =>
        answer(200, await impactOf(db, uriOf(params), { ...limits, depth: query.depth, asOf: query.asOf ?? null })),
    }),
    route({
      method: 'get',
      path: '/v1/entities/dataset/{source}/{nativeId}/column-impact',
      tag: 'traversal',
      scope: 'read',
      params: s.datasetPath,
      query: s.columnImpactQuery(api.maxDepth),
      summary: 'What breaks if one column changes: the columns downstream of it, and what depends on their datasets as a whole',
      description: 'Column lineage comes from the OpenLineage columnLineage facet; it is answered as the graph stands now.',
      responses: { 200: { description: 'The impact', schema: s.impactResponse }, ...errors },
      handler: async ({ params, query }) =>
        answer(200, await columnImpactOf(db, uriOf({ ...params, type: 'dataset' }), { ...limits, field: query.field, depth: query.depth })),
    }),
    route({
      method: 'get',
      path: `${ENTITY}/usage`,
      tag: 'traversal',
      scope: 'read',
      params: s.entityPath,
      query: s.historyQuery.pick({ asOf: true }),
      summary: 'The A/B tests and services that use this entity, directly or through its instances',
      responses: { 200: { description: 'The usage', schema: s.usageResponse }, ...errors },
      handler: async ({ params, query }) =>
        answer(200, await usageOf(db, uriOf(params), { ...limits, depth: api.maxDepth, asOf: query.asOf ?? null })),
    }),
    route({
      method: 'get',
      path: '/v1/paths',
      tag: 'traversal',
      scope: 'read',
      query: s.pathsQuery(api.maxDepth, uriScheme),
      summary: 'The lineage paths that connect two entities, shortest first: why is B downstream of A',
      responses: { 200: { description: 'The paths', schema: s.pathsResponse }, ...errors },
      handler: async ({ query }) =>
        answer(
          200,
          await pathsBetween(db, parseParamUri(query.from, 'from'), parseParamUri(query.to, 'to'), {
            ...limits,
            maxDepth: query.maxDepth,
            asOf: query.asOf ?? null,
          }),
        ),
    }),
    route({
      method: 'get',
      path: '/v1/unused',
      tag: 'traversal',
      scope: 'read',
      query: s.unusedQuery,
      summary: 'Deprecation candidates: entities nothing downstream uses, oldest first',
      responses: { 200: { description: 'The candidates', schema: s.unusedResponse }, ...errors },
      handler: async ({ query }) =>
        answer(
          200,
          await unusedEntities(db, {
            type: query.type ?? null,
            minAgeDays: query.minAgeDays,
            limit: query.limit,
            offset: query.offset,
            asOf: query.asOf ?? null,
          }),
        ),
    }),
    route({
      method: 'get',
      path: `${ENTITY}/similar`,
      tag: 'suggestions',
      scope: 'read',
      params: s.entityPathOf(SIMILARITY_TYPES),
      query: s.suggestionQuery,
      summary:
        'Models (or model instances) like this one by the features they use, rarer shared features counting more; a suggestion, never a graph edge',
      responses: { 200: { description: 'The most similar first, each with the features it shares', schema: s.similarResponse }, ...errors },
      handler: async ({ params, query }) => answer(200, await similarTo(db, uriOf(params), params.type, query.limit)),
    }),
    route({
      method: 'get',
      path: `${ENTITY}/suggestions`,
      tag: 'suggestions',
      scope: 'read',
      params: s.entityPathOf(SIMILARITY_TYPES),
      query: s.suggestionQuery,
      summary: 'Features to consider for a model (or model instance): those its most similar peers use and it does not',
      responses: {
        200: { description: 'The features, best first, each with the peers that use it', schema: s.suggestionsResponse },
        ...errors,
      },
      handler: async ({ params, query }) => answer(200, await suggestionsFor(db, uriOf(params), params.type, query.limit)),
    }),
    route({
      method: 'get',
      path: `${ENTITY}/duplicates`,
      tag: 'suggestions',
      scope: 'read',
      params: s.entityPathOf(DUPLICATE_TYPES),
      query: s.suggestionQuery,
      summary:
        'Features (or datasets) that are likely this one recorded twice: names alike once case and separators are set aside, mostly the same sources',
      responses: { 200: { description: 'The likeliest first, each with its reason', schema: s.duplicatesOfResponse }, ...errors },
      handler: async ({ params, query }) => answer(200, await likelyDuplicatesOf(db, uriOf(params), params.type, query.limit)),
    }),
  ];
}
