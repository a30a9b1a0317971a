import { SourceClient } from '../connectors/source-client';
import { SOURCE_NAMES, type SourceName } from '../domain/vocabulary';
import type { Services } from '../platform/services';
import { indexNames } from '../search/indices';
import { RateGate } from '../store/rate-gate';
import { requestRefresh } from '../temporal/entity-client';
import type { ActivityDeps } from './index';

/** One HTTP client per source system, from configuration, each behind the shared rate gate. */
export function createSourceClients(config: Services['config'], gate: RateGate): Record<SourceName, SourceClient> {
  return Object.fromEntries(
    SOURCE_NAMES.map((source) => [
      source,
      new SourceClient(source, config.sources[source].url, {
        cacheMs: config.ingest.hydrationCacheMs,
        timeoutMs: config.ingest.sourceTimeoutMs,
        beforeCall: () => gate.acquire(source),
      }),
    ]),
  ) as Record<SourceName, SourceClient>;
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
    ),
    uriScheme: services.config.uriScheme,
    requestRefresh: (subject, request) => requestRefresh(services.temporal.client, services.config, subject, request),
  };
}
