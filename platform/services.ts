import { createSearchClient, type SearchClient } from '../search/client';
import { createDatabase, type Db } from '../store/database';
import { appendAudit, auditEntries } from '../store/audit';
import { SourceActivity } from '../store/source-activity';
import type { AuditEntry, AuditFilters, AuditRecord } from './audit';
import { connectTemporal, type TemporalClient } from '../temporal/connection';
import type { Config } from './config';
import { createLogger, type Logger } from './logger';

/** The long-lived clients of the four servers, opened once per process and passed down. */
export interface Services {
  readonly config: Config;
  readonly db: Db;
  /** For API reads: its own pool, every statement under the API's statement timeout. */
  readonly readDb: Db;
  /**
   * For the hydration rate gate: its own small pool, because hydrations waiting their turn hold a
   * connection each, and must never starve persisting of connections when a backlog drains.
   */
  readonly gateDb: Db;
  readonly search: SearchClient;
  readonly temporal: TemporalClient;
  /** What each source did (events, calls, changes found), counted for its quality signals. */
  readonly activity: SourceActivity;
  /** The audit trail: `record` never throws (a failure to record is logged), `entries` reads it back. */
  readonly audit: {
    readonly record: (entry: AuditEntry) => Promise<void>;
    readonly entries: (filters: AuditFilters) => Promise<AuditRecord[]>;
  };
  close(): Promise<void>;
}

/**
 * Opens the clients. None of them needs its server to be up: each connects on first use and again
 * after an outage, so a process started while a server is down waits for it instead of failing.
 */
export async function openServices(config: Config, logger: Logger = createLogger(config)): Promise<Services> {
  const onIdleError = (pool: string) => (error: Error) =>
    logger.warn(
      { pool, code: (error as { code?: string }).code, error: error.message },
      'PostgreSQL closed an idle connection; the next query reconnects',
    );
  const db = createDatabase(config.postgres, { onIdleError: onIdleError('main') });
  const readDb = createDatabase(config.postgres, {
    statementTimeoutMs: config.api.statementTimeoutMs,
    onIdleError: onIdleError('api-reads'),
  });
  const gateDb = createDatabase(config.postgres, { max: 6, onIdleError: onIdleError('rate-gate') });
  const search = createSearchClient(config.elasticsearch);
  const temporal = connectTemporal(config);
  const activity = new SourceActivity(db, { bucketMs: config.sourceQuality.bucketMs, flushMs: config.sourceQuality.flushMs });
  return {
    config,
    db,
    readDb,
    gateDb,
    search,
    temporal,
    activity,
    audit: {
      record: (entry) =>
        appendAudit(db, entry).catch((error: unknown) =>
          logger.error({ err: error, action: entry.action, actor: entry.actor.name }, 'an audit entry could not be recorded'),
        ),
      entries: (filters) => auditEntries(readDb, filters),
    },
    async close() {
      await activity.close().catch(() => undefined);
      await Promise.allSettled([db.destroy(), readDb.destroy(), gateDb.destroy(), search.close(), temporal.connection.close()]);
    },
  };
}
