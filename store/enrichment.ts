import { sql } from 'kysely';
import { OPENLINEAGE } from '../domain/vocabulary';
import { lockRows } from './locks';
import type { Db } from './database';
import { appendFacts, appendTx } from './history';

export interface CandidateRow {
  readonly uri: string;
  readonly type: string;
  readonly source: string;
  readonly lookupKey: string;
}

/**
 * A page of entities to hydrate, in URI order after `after`: placeholders, and entities not
 * hydrated since `staleBefore` (their events may have been dropped).
 */
export async function stalePage(db: Db, opts: { after: string; limit: number; staleBefore: Date }): Promise<CandidateRow[]> {
  const rows = await db
    .selectFrom('entities')
    .select(['uri', 'type', 'source', 'lookup_key'])
    .where('uri', '>', opts.after)
    // OpenLineage has no API to hydrate from: its entities are as their events left them.
    .where('source', '<>', OPENLINEAGE)
    .where((eb) =>
      eb.or([
        eb('state', '=', 'placeholder'),
        eb.and([eb('state', 'in', ['hydrated', 'enriched']), eb('last_hydrated_at', '<', opts.staleBefore)]),
      ]),
    )
    .orderBy('uri')
    .limit(opts.limit)
    .execute();
  return rows.map((row) => ({ uri: row.uri, type: row.type, source: row.source, lookupKey: row.lookup_key }));
}

export interface TouchedRow {
  readonly uri: string;
  readonly state: string;
  readonly touchedAt: Date;
}

/** A page of entities changed since they were last enriched (never-enriched ones included). */
export async function touchedPage(db: Db, opts: { after: string; limit: number }): Promise<TouchedRow[]> {
  const rows = await db
    .selectFrom('entities')
    .select(['uri', 'state', 'touched_at'])
    .where('uri', '>', opts.after)
    .where('state', '<>', 'placeholder')
    .where((eb) => eb.or([eb('last_enriched_at', 'is', null), eb('touched_at', '>', eb.ref('last_enriched_at'))]))
    .orderBy('uri')
    .limit(opts.limit)
    .execute();
  return rows.map((row) => ({ uri: row.uri, state: row.state, touchedAt: row.touched_at }));
}

/**
 * Marks entities enriched: hydrated ones change state (a fact), every one gets lastEnrichedAt. An
 * entity written again since it was read is left for the next sweep. The rows are locked as
 * store/locks.ts says, so a hydration landing meanwhile is seen whole or not at all.
 */
export async function markEnriched(db: Db, rows: readonly TouchedRow[], workflowId: string | null): Promise<number> {
  if (rows.length === 0) return 0;
  const readAt = new Map(rows.map((row) => [row.uri, row.touchedAt.getTime()]));
  return db.transaction().execute(async (trx) => {
    const current = [...(await lockRows(trx, readAt.keys())).values()];
    const unchanged = current.filter((row) => row.touched_at.getTime() <= (readAt.get(row.uri) ?? -Infinity));
    if (unchanged.length === 0) return 0;
    const flipped = unchanged.filter((row) => row.state === 'hydrated').map((row) => row.uri);
    const tx = flipped.length > 0 ? await appendTx(trx, { source: 'enrichment', cause: 'sweep', workflowId, eventIds: [] }) : null;
    if (tx) for (const uri of flipped) await appendFacts(trx, tx.id, uri, [{ attribute: 'state', value: 'enriched', op: 'assert' }]);
    await trx
      .updateTable('entities')
      .set({
        last_enriched_at: sql<Date>`clock_timestamp()`,
        state: sql<string>`case when state = 'hydrated' then 'enriched' else state end`,
        ...(tx ? { updated_at: sql<Date>`case when state = 'hydrated' then ${tx.at}::timestamptz else updated_at end` } : {}),
      })
      .where(
        'uri',
        'in',
        unchanged.map((row) => row.uri),
      )
      .execute();
    return unchanged.length;
  });
}
