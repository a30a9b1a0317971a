import { sql } from 'kysely';
import type { ResolvedRef } from '../domain/entity';
import { appendFacts, appendFactsOf, applyEdgeChanges, type Trx, type TxOf } from './history';
import { placeholderValues, projectionValues, SUPERSEDED, UNCHANGED, type PersistResult, type ProjectionEntry } from './hydration-plan';
import { lockEntities, lockRows } from './locks';

/** The statements that apply the plans of a write (store/persist-hydration.ts), inside its transaction. */

/** Records that unchanged entities were read from their source now, and the content hash of those whose hash was missing. */
export async function recordRead(
  trx: Trx,
  reads: readonly { uri: string; fetchedAt: Date }[],
  hashes: readonly { uri: string; value: string }[],
): Promise<void> {
  if (hashes.length > 0) {
    await sql`update entities e set content_hash = v.h from unnest(${hashes.map((h) => h.uri)}::text[], ${hashes.map((h) => h.value)}::text[]) v(u, h) where e.uri = v.u`.execute(
      trx,
    );
  }
  if (reads.length > 0) {
    await sql`
      update entities e set last_hydrated_at = clock_timestamp(), fetched_at = greatest(e.fetched_at, v.f)
      from unnest(${reads.map((r) => r.uri)}::text[], ${reads.map((r) => r.fetchedAt)}::timestamptz[]) v(u, f) where e.uri = v.u`.execute(
      trx,
    );
  }
}

export async function insertPlaceholders(trx: Trx, tx: { id: string; at: Date }, refs: readonly ResolvedRef[]): Promise<string[]> {
  if (refs.length === 0) return [];
  const inserted = await trx
    .insertInto('entities')
    .values(refs.map((ref) => placeholderValues(ref, tx.at)))
    .onConflict((oc) => oc.column('uri').doNothing())
    .returning('uri')
    .execute();
  await appendFactsOf(
    trx,
    tx.id,
    inserted.map(({ uri }) => ({ uri, changes: [{ attribute: 'state', value: 'placeholder', op: 'assert' as const }] })),
  );
  return inserted.map((row) => row.uri);
}

/** Inserts or rewrites the projection rows of written entities, in one statement per thousand. */
export async function upsertProjections(trx: Trx, at: Date, entries: readonly ProjectionEntry[]): Promise<void> {
  const values = projectionValues(entries, at);
  for (let i = 0; i < values.length; i += 1000) {
    await trx
      .insertInto('entities')
      .values(values.slice(i, i + 1000))
      .onConflict((oc) =>
        oc.column('uri').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          description: eb.ref('excluded.description'),
          state: eb.ref('excluded.state'),
          attributes: eb.ref('excluded.attributes'),
          tags: eb.ref('excluded.tags'),
          lookup_key: eb.ref('excluded.lookup_key'),
          updated_at: eb.ref('excluded.updated_at'),
          last_hydrated_at: eb.ref('excluded.last_hydrated_at'),
          touched_at: eb.ref('excluded.touched_at'),
          fetched_at: eb.ref('excluded.fetched_at'),
          change_period: eb.ref('excluded.change_period'),
          change_announced: eb.ref('excluded.change_announced'),
          content_hash: sql<string | null>`coalesce(excluded.content_hash, entities.content_hash)`,
        })),
      )
      .execute();
  }
}

export async function markDeleted(trx: Trx, input: { uri: string; fetchedAt: Date }, txOf: TxOf): Promise<PersistResult> {
  await lockEntities(trx, [input.uri]);
  const row = (await lockRows(trx, [input.uri])).get(input.uri);
  if (!row || row.state === 'deleted') return UNCHANGED();
  if (row.fetched_at && row.fetched_at > input.fetchedAt) return SUPERSEDED;
  const edges = await trx.selectFrom('current_edges').selectAll().where('origin', '=', row.uri).execute();
  const tx = await txOf();
  await appendFacts(trx, tx.id, row.uri, [{ attribute: 'state', value: 'deleted', op: 'assert' }]);
  await applyEdgeChanges(
    trx,
    tx.id,
    edges.map((e) => ({
      subject: e.subject,
      predicate: e.predicate,
      object: e.object,
      origin: e.origin,
      op: 'retract' as const,
      inferred: e.inferred,
      rule: e.rule,
      support: e.support,
    })),
  );
  await trx
    .updateTable('entities')
    .set({
      state: 'deleted',
      content_hash: null,
      updated_at: tx.at,
      last_hydrated_at: tx.at,
      touched_at: tx.at,
      fetched_at: input.fetchedAt,
    })
    .where('uri', '=', row.uri)
    .execute();
  return { changed: true, txId: tx.id, touched: [row.uri, ...edges.flatMap((e) => [e.subject, e.object])], placeholders: [] };
}
