import { formatUri, parseUri } from '../../domain/uri';
import { SOURCE_OF, type EntityType, type Predicate, type SourceName } from '../../domain/vocabulary';
import { entityHistory, entityView } from '../../graph/entity-view';
import { impactOf, usageOf } from '../../graph/impact';
import { traverse, type Direction, type LineageNode } from '../../graph/lineage';
import { pathsBetween } from '../../graph/paths';
import { unusedEntities } from '../../graph/unused';
import { entityExists } from '../../store/graph-reader';
import type { Services } from '../../platform/services';
import { AppError } from '../../platform/errors';
import { route, type RouteSpec } from '../route-spec';
import * as s from '../schemas';

const ENTITY = '/v1/entities/{type}/{source}/{nativeId}';
const notFound = (uri: string, asOf: Date | undefined) =>
  new AppError('NOT_FOUND', asOf ? `no entity ${uri} was known at ${asOf.toISOString()}` : `no entity ${uri}`, {
    details: { parameter: 'nativeId' },
  });
const errors = {
  400: { description: 'A parameter is invalid; the problem names it', schema: s.problem },
  401: { description: 'No or unknown bearer token', schema: s.problem },
  404: { description: 'Unknown entity', schema: s.problem },
};

/** The graph reads of API v1: every one answers now or, with `asOf`, as the graph stood then. */
export function graphRoutes(services: Services): RouteSpec[] {
  const db = services.readDb;
  const { api, uriScheme } = services.config;
  const uriOf = (params: { type: EntityType; source: SourceName; nativeId: string }): string => {
    const source = SOURCE_OF[params.type];
    if (params.source !== source)
      throw new AppError(
        'BAD_REQUEST',
        `path parameter 'source': entities of type ${params.type} come from ${source}, not ${params.source}`,
        { details: { parameter: 'source', allowed: [source] } },
      );
    return formatUri(params, uriScheme);
  };
  const requireKnown = async (uri: string, asOf: Date | undefined): Promise<void> => {
    if (!(await entityExists(db, uri, asOf ?? null))) throw notFound(uri, asOf);
  };
  const parseParamUri = (value: string, parameter: string): string => {
    try {
      return formatUri(parseUri(value, uriScheme), uriScheme);
    } catch (error) {
      throw new AppError('BAD_REQUEST', `parameter '${parameter}': ${(error as Error).message}`, { details: { parameter } });
    }
  };

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
      handler: async ({ params, query }) => {
        const uri = uriOf(params);
        const view = await entityView(db, uri, query.asOf ?? null);
        if (!view) throw notFound(uri, query.asOf);
        return { status: 200, body: view };
      },
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
      handler: async ({ params, query }) => {
        const uri = uriOf(params);
        await requireKnown(uri, query.asOf);
        return { status: 200, body: { uri, entries: await entityHistory(db, uri, { asOf: query.asOf ?? null, limit: query.limit }) } };
      },
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
      handler: async ({ params, query }) => {
        const uri = uriOf(params);
        await requireKnown(uri, query.asOf);
        const directions: Direction[] = query.direction === 'both' ? ['upstream', 'downstream'] : [query.direction];
        const nodes: (LineageNode & { direction: Direction })[] = [];
        const edges = new Map<string, { subject: string; predicate: string; object: string; inferred: boolean }>();
        let truncated = false;
        for (const direction of directions) {
          const t = await traverse(db, uri, direction, {
            depth: query.depth,
            nodeCap: api.nodeCap,
            asOf: query.asOf ?? null,
            predicates: query.predicates as Predicate[] | undefined,
          });
          truncated ||= t.truncated;
          for (const node of t.nodes.values()) nodes.push({ ...node, direction });
          for (const [key, edge] of t.edges) edges.set(key, edge);
        }
        const types = query.types;
        const kept = types ? nodes.filter((n) => (types as string[]).includes(n.type)) : nodes;
        const keptUris = new Set([uri, ...kept.map((n) => n.uri)]);
        return {
          status: 200,
          body: {
            root: uri,
            direction: query.direction,
            depth: query.depth,
            asOf: query.asOf?.toISOString() ?? null,
            nodes: kept.sort((a, b) => a.distance - b.distance || a.uri.localeCompare(b.uri)),
            edges: [...edges.values()]
              .filter((e) => keptUris.has(e.subject) && keptUris.has(e.object))
              .sort((a, b) => `${a.subject}${a.predicate}${a.object}`.localeCompare(`${b.subject}${b.predicate}${b.object}`)),
            truncated,
          },
        };
      },
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
      handler: async ({ params, query }) => {
        const uri = uriOf(params);
        await requireKnown(uri, query.asOf);
        const impact = await impactOf(db, uri, { depth: query.depth, nodeCap: api.nodeCap, asOf: query.asOf ?? null });
        return {
          status: 200,
          body: {
            root: uri,
            depth: query.depth,
            total: impact.total,
            truncated: impact.truncated,
            notify: impact.notify,
            groups: impact.groups.map((g) => ({
              ...g,
              entities: g.entities.map(({ uri: u, type, name, distance, owners, teams }) => ({
                uri: u,
                type,
                name,
                distance,
                owners,
                teams,
              })),
            })),
          },
        };
      },
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
      handler: async ({ params, query }) => {
        const uri = uriOf(params);
        await requireKnown(uri, query.asOf);
        const usage = await usageOf(db, uri, { depth: api.maxDepth, nodeCap: api.nodeCap, asOf: query.asOf ?? null });
        const brief = ({ uri: u, type, name, distance }: LineageNode) => ({ uri: u, type, name, distance });
        return {
          status: 200,
          body: { root: uri, abTests: usage.abTests.map(brief), services: usage.services.map(brief), truncated: usage.truncated },
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/paths',
      tag: 'traversal',
      scope: 'read',
      query: s.pathsQuery(api.maxDepth),
      summary: 'The lineage paths that connect two entities, shortest first: why is B downstream of A',
      responses: { 200: { description: 'The paths', schema: s.pathsResponse }, ...errors },
      handler: async ({ query }) => {
        const from = parseParamUri(query.from, 'from');
        const to = parseParamUri(query.to, 'to');
        for (const uri of [from, to]) if (!(await entityView(db, uri, query.asOf ?? null))) throw notFound(uri, query.asOf);
        const result = await pathsBetween(db, from, to, { maxDepth: query.maxDepth, nodeCap: api.nodeCap, asOf: query.asOf ?? null });
        return { status: 200, body: { from, to, ...result } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/unused',
      tag: 'traversal',
      scope: 'read',
      query: s.unusedQuery,
      summary: 'Deprecation candidates: entities nothing downstream uses, oldest first',
      responses: { 200: { description: 'The candidates', schema: s.unusedResponse }, ...errors },
      handler: async ({ query }) => ({
        status: 200,
        body: {
          entities: await unusedEntities(db, {
            type: query.type ?? null,
            minAgeDays: query.minAgeDays,
            limit: query.limit,
            offset: query.offset,
            asOf: query.asOf ?? null,
          }),
        },
      }),
    }),
  ];
}
