import { sql } from 'kysely';
import type { SyncMode } from '../domain/sync-mode';
import type { Db } from './database';
export type SyncStatus = 'running' | 'completed' | 'failed';

export interface SyncRun {
  readonly id: string;
  readonly source: string;
  readonly mode: SyncMode;
  readonly since: Date | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly status: SyncStatus;
  readonly counts: Readonly<Record<string, number>>;
  readonly message: string | null;
  readonly workflowId: string | null;
}

/**
 * Records the start of a sync. An incremental sync without an explicit `since` lists what changed
 * since the start of the source's last completed sync (of either mode); with none, it lists everything.
 */
export async function beginSyncRun(
  db: Db,
  input: { source: string; mode: SyncMode; since: Date | null; workflowId: string },
): Promise<{ id: string; startedAt: Date; since: Date | null }> {
  let since = input.since;
  if (input.mode === 'incremental' && since === null) {
    const last = await db
      .selectFrom('sync_runs')
      .select('started_at')
      .where('source', '=', input.source)
      .where('status', '=', 'completed')
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    since = last?.started_at ?? null;
  }
  const row = await db
    .insertInto('sync_runs')
    .values({ source: input.source, mode: input.mode, since, workflow_id: input.workflowId })
    .returning(['id', 'started_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, startedAt: row.started_at, since };
}

export async function finishSyncRun(
  db: Db,
  id: string,
  outcome: { status: Exclude<SyncStatus, 'running'>; counts: Readonly<Record<string, number>>; message: string | null },
): Promise<void> {
  await db
    .updateTable('sync_runs')
    .set({
      status: outcome.status,
      counts: JSON.stringify(outcome.counts),
      message: outcome.message,
      finished_at: sql<Date>`clock_timestamp()`,
    })
    .where('id', '=', id)
    .execute();
}

/** The latest sync of each source, newest first. */
export async function latestSyncRuns(db: Db): Promise<SyncRun[]> {
  const rows = await db.selectFrom('sync_runs').selectAll().distinctOn('source').orderBy('source').orderBy('started_at', 'desc').execute();
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    mode: r.mode,
    since: r.since,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    counts: r.counts,
    message: r.message,
    workflowId: r.workflow_id,
  }));
}

export interface UnlistedQuery {
  readonly source: string;
  readonly types: readonly string[];
  /** When the full listing started: what it did not return since then, and the graph knew before, is gone. */
  readonly listingStartedAt: Date;
}

/**
 * The written entities of a source's listed types that the graph knew before the listing started,
 * that the listing did not return, and that nothing fetched since.
 */
const unlisted = (db: Db, q: UnlistedQuery) =>
  db
    .selectFrom('entities')
    .where('source', '=', q.source)
    .where('type', 'in', [...q.types])
    .where('state', 'in', ['hydrated', 'enriched'])
    .where('created_at', '<', q.listingStartedAt)
    .where((eb) => eb.or([eb('listed_at', 'is', null), eb('listed_at', '<', q.listingStartedAt)]))
    // Fetched live after the listing started: that answer is newer than the listing's silence.
    .where((eb) => eb.or([eb('fetched_at', 'is', null), eb('fetched_at', '<=', q.listingStartedAt)]));

/** How many entities a full sync would delete, out of how many written entities of those types. */
export async function unlistedShare(db: Db, q: UnlistedQuery): Promise<{ unlisted: number; total: number }> {
  const [gone, all] = await Promise.all([
    unlisted(db, q).select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    db
      .selectFrom('entities')
      .select(db.fn.countAll<string>().as('n'))
      .where('source', '=', q.source)
      .where('type', 'in', [...q.types])
      .where('state', 'in', ['hydrated', 'enriched'])
      .executeTakeFirstOrThrow(),
  ]);
  return { unlisted: Number(gone.n), total: Number(all.n) };
}

/** A page of the entities a full sync found unlisted, with their types and lookup keys. */
export async function unlistedPage(db: Db, q: UnlistedQuery, limit: number) {
  return unlisted(db, q).select(['uri', 'type', 'lookup_key']).orderBy('uri').limit(limit).execute();
}

/** When the source's last completed sync started: changes since then are what its next sync reconciles. */
export async function lastCompletedSyncStart(db: Db, source: string): Promise<Date | null> {
  const row = await db
    .selectFrom('sync_runs')
    .select('started_at')
    .where('source', '=', source)
    .where('status', '=', 'completed')
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.started_at ?? null;
}
