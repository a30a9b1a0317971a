import type { SourceClients } from '../connectors/source-client';
import type { SearchClient } from '../search/client';
import type { IndexNames } from '../search/indices';
import type { Db } from '../store/database';
import type { SourceActivity } from '../store/source-activity';
import type { SourceQualitySettings } from '../graph/source-quality';
import { createEnrichmentActivities, type RequestRefresh } from './enrichment';
import { withFailureMapping } from './failures';
import { createHydrate } from './hydrate';
import { createIndexEntities } from './index-entities';
import { createApplyOpenLineage } from './openlineage';
import { createPersist } from './persist';
import { createRefresh } from './refresh';
import { ping } from './ping';
import { createResolveEmail } from './resolve-email';
import { createSyncActivities } from './sync';

/** What activities need from the outside world; passed in so that they are testable without globals. */
export interface ActivityDeps {
  readonly db: Db;
  readonly search: SearchClient;
  readonly indexNames: IndexNames;
  readonly sources: SourceClients;
  readonly uriScheme: string;
  /** Hands a refresh to an entity's workflow (requestRefresh). */
  readonly requestRefresh: RequestRefresh;
  /** Counts what each source did, for its quality signals. */
  readonly activity?: SourceActivity;
  /** How sources are judged, for the sweep to record their signals. */
  readonly sourceQuality?: SourceQualitySettings;
}

export function createActivities(deps: ActivityDeps) {
  const enrichment = createEnrichmentActivities(deps);
  const indexEntities = createIndexEntities(deps);
  const resolveEmail = createResolveEmail({ identity: deps.sources.identity });
  const sync = createSyncActivities({ ...deps, resolveEmail, indexEntities });
  return {
    refreshStale: withFailureMapping(enrichment.refreshStale),
    enrichPage: withFailureMapping(enrichment.enrichPage),
    assessQuality: withFailureMapping(enrichment.assessQuality),
    assessSources: withFailureMapping(enrichment.assessSources),
    ping,
    refresh: withFailureMapping(
      createRefresh({
        hydrate: createHydrate(deps),
        resolveEmail,
        persist: createPersist(deps),
        indexEntities,
      }),
    ),
    indexEntities: withFailureMapping(indexEntities),
    applyOpenLineage: withFailureMapping(createApplyOpenLineage({ db: deps.db, uriScheme: deps.uriScheme, resolveEmail, indexEntities })),
    syncBegin: withFailureMapping(sync.syncBegin),
    syncPage: withFailureMapping(sync.syncPage),
    syncUnlisted: withFailureMapping(sync.syncUnlisted),
    syncDeletePage: withFailureMapping(sync.syncDeletePage),
    syncFinish: withFailureMapping(sync.syncFinish),
  };
}

export type Activities = ReturnType<typeof createActivities>;
