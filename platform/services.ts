import { createSearchClient, type SearchClient } from '../search/client';
import { createDatabase, type Db } from '../store/database';
import { connectTemporal, type TemporalClient } from '../temporal/connection';
import type { Config } from './config';

/** The long-lived clients of the four servers, opened once per process and passed down. */
export interface Services {
  readonly config: Config;
  readonly db: Db;
  /** For API reads: its own pool, every statement under the API's statement timeout. */
  readonly readDb: Db;
  readonly search: SearchClient;
  readonly temporal: TemporalClient;
  close(): Promise<void>;
}

export async function openServices(config: Config): Promise<Services> {
  const db = createDatabase(config.postgres.url);
  const readDb = createDatabase(config.postgres.url, { statementTimeoutMs: config.api.statementTimeoutMs });
  const search = createSearchClient(config.elasticsearch.url);
  const temporal = await connectTemporal(config);
  return {
    config,
    db,
    readDb,
    search,
    temporal,
    async close() {
      await Promise.allSettled([db.destroy(), readDb.destroy(), search.close(), temporal.connection.close()]);
    },
  };
}
