import { ownerUris } from '../../domain/uri';
import type { SignalCode } from '../../domain/quality';
import { qualityOf, qualitySummary } from '../../graph/quality';
import { sourceQualityOf } from '../../graph/source-quality';
import { likelyDuplicates } from '../../graph/duplicates';
import { configuredSources } from '../../platform/config';
import type { Services } from '../../platform/services';
import { answer, route, type RouteSpec } from '../route-spec';
import * as s from '../schemas';

const errors = {
  400: { description: 'A parameter is invalid; the problem names it', schema: s.problem },
  ...s.refusals('read'),
};

/** Metadata quality: the entities with signals (worst first) and the standing per type, source, team and owner. */
export function qualityRoutes(services: Services): RouteSpec[] {
  const db = services.readDb;
  const { uriScheme } = services.config;
  return [
    route({
      method: 'get',
      path: '/v1/quality',
      tag: 'quality',
      scope: 'read',
      query: s.qualityQuery,
      summary: 'Entities with metadata-quality signals (no owner, an owner who left, no description, stale, never hydrated), worst first',
      responses: { 200: { description: 'The entities, each with its score and signals', schema: s.qualityResponse }, ...errors },
      handler: async ({ query }) =>
        answer(
          200,
          await qualityOf(db, {
            types: query.type ?? [],
            sources: query.source ?? [],
            owners: (query.owner ?? []).flatMap((owner) => ownerUris(owner, ['user'], uriScheme)),
            teams: (query.team ?? []).flatMap((team) => ownerUris(team, ['team'], uriScheme)),
            signals: (query.signal ?? []) as SignalCode[],
            severities: query.severity ?? [],
            limit: query.limit,
            offset: query.offset,
          }),
        ),
    }),
    route({
      method: 'get',
      path: '/v1/quality/summary',
      tag: 'quality',
      scope: 'read',
      summary:
        'The standing of each type, source, team and owner: entities, how many have signals, the mean score, which signals; worst first',
      responses: { 200: { description: 'The aggregates', schema: s.qualitySummaryResponse }, ...errors },
      handler: async () => answer(200, await qualitySummary(db)),
    }),
    route({
      method: 'get',
      path: '/v1/quality/duplicates',
      tag: 'quality',
      scope: 'read',
      query: s.duplicatesQuery,
      summary: 'Pairs of features (or datasets) that are likely one thing recorded twice: names alike, mostly the same sources',
      responses: { 200: { description: 'The likeliest first, each with its reason', schema: s.duplicatesResponse }, ...errors },
      handler: async ({ query }) => answer(200, await likelyDuplicates(db, query.type, query.limit)),
    }),
    route({
      method: 'get',
      path: '/v1/quality/sources',
      tag: 'quality',
      scope: 'read',
      summary: "Each source system's standing: silent (no events for far longer than its rhythm), failing calls, events lost",
      responses: {
        200: { description: 'Every configured source, with its figures and signals', schema: s.sourceQualityResponse },
        ...errors,
      },
      handler: async () =>
        answer(200, { sources: await sourceQualityOf(db, services.config.sourceQuality, configuredSources(services.config)) }),
    }),
  ];
}
