import { SourceClient, type SourceClients } from '../connectors/source-client';
import { SOURCE_NAMES } from '../domain/vocabulary';
import { configuredSources } from '../platform/config';
import type { Services } from '../platform/services';
import { indexNames } from '../search/indices';
import { RateGate } from '../store/rate-gate';
import type { SourceActivity } from '../store/source-activity';
import { requestRefresh } from '../temporal/entity-client';
import type { ActivityDeps } from './index';

/** One HTTP client per configured source system, each behind the shared rate gate. */
export function createSourceClients(config: Services['config'], gate: RateGate, activity?: SourceActivity): SourceClients {
  return Object.fromEntries(
    SOURCE_NAMES.flatMap((source) => {
      const url = config.sources[source].url;
      return url
        ? [
            [
              source,
              new SourceClient(source, url, {
                cacheMs: config.ingest.hydrationCacheMs,
                timeoutMs: config.ingest.sourceTimeoutMs,
                token: config.sources[source].token,
                ca: config.sources[source].caFile?.pem ?? null,
                beforeCall: () => gate.acquire(source),
                afterCall: (outcome) => {
                  activity?.count(source, 'calls');
                  if (outcome === 'failed') activity?.count(source, 'failures');
                  if (outcome === 'throttled') activity?.count(source, 'throttled');
                },
              }),
            ],
          ]
        : [];
    }),
  ) as SourceClients;
}

export function activityDepsFrom(services: Services): ActivityDeps {
  return {
    db: services.db,
    search: services.search,
    indexNames: indexNames(services.config.elasticsearch.indexPrefix),
    sources: createSourceClients(
      services.config,
      new RateGate(services.gateDb, Object.fromEntries(SOURCE_NAMES.map((s) => [s, services.config.sources[s].ratePerSecond])), {
        maxWaitMs: 1_000,
      }),
      services.activity,
    ),
    activity: services.activity,
    sourceQuality: { settings: services.config.sourceQuality, sources: configuredSources(services.config) },
    uriScheme: services.config.uriScheme,
    requestRefresh: (subject, request) => requestRefresh(services.temporal.client, services.config, subject, request),
  };
}
