import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { SOURCE_OF, type EntityType } from '../domain/vocabulary';
import type { Db } from './database';
import type { HeldEdge } from '../domain/edge';
import { appendTx } from './history';

export interface BulkEntity {
  readonly uri: string;
  readonly type: EntityType;
  readonly nativeId: string;
  readonly name: string;
}

export type BulkEdge = Omit<HeldEdge, 'support'>;

const CHUNK = 10_000;

/**
 * Loads a whole graph in one transaction through the store's tables: one tx row, the facts (name and
 * state), the edge history and the projections, in large batches. For benchmarks and backfills,
 * where hydrating through workflows would only measure the sources.
 */
export async function bulkLoadGraph(
  db: Db,
  graph: { entities: readonly BulkEntity[]; edges: readonly BulkEdge[] },
  onProgress: (done: number, total: number) => void = () => {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const tx = await appendTx(trx, { source: 'bulk-load', cause: 'bulk-load', workflowId: null, eventIds: [] });
    const total = graph.entities.length + graph.edges.length;
    for (let i = 0; i < graph.entities.length; i += CHUNK) {
      const chunk = graph.entities.slice(i, i + CHUNK);
      const uris = chunk.map((e) => e.uri);
      await sql`
        insert into entities (uri, type, source, native_id, lookup_key, name, description, state, attributes, tags, created_at, updated_at, last_hydrated_at, touched_at)
        select u, t, s, n, n, nm, null, 'hydrated', '{}'::jsonb, '[]'::jsonb, ${tx.at}, ${tx.at}, ${tx.at}, ${tx.at}
        from unnest(${uris}::text[], ${chunk.map((e) => e.type)}::text[], ${chunk.map((e) => SOURCE_OF[e.type])}::text[], ${chunk.map((e) => e.nativeId)}::text[], ${chunk.map((e) => e.name)}::text[]) as x(u, t, s, n, nm)
        on conflict (uri) do nothing`.execute(trx);
      await sql`
        insert into facts (tx_id, entity_uri, attribute, value, op)
        select ${tx.id}::bigint, u, a, v, 'assert' from unnest(${uris}::text[]) as x(u), lateral (values ('state', '"hydrated"'::jsonb)) as f(a, v)
        union all
        select ${tx.id}::bigint, u, 'name', to_jsonb(nm), 'assert' from unnest(${uris}::text[], ${chunk.map((e) => e.name)}::text[]) as y(u, nm)`.execute(
        trx,
      );
      onProgress(i + chunk.length, total);
    }
    for (let i = 0; i < graph.edges.length; i += CHUNK) {
      const chunk = graph.edges.slice(i, i + CHUNK);
      const columns = sql`unnest(${chunk.map((e) => e.subject)}::text[], ${chunk.map((e) => e.predicate)}::text[], ${chunk.map((e) => e.object)}::text[], ${chunk.map((e) => (e.inferred ? `rule:${e.rule}` : e.subject))}::text[], ${chunk.map((e) => e.inferred)}::boolean[], ${chunk.map((e) => e.rule)}::text[]) as x(s, p, o, origin, inf, r)`;
      await sql`insert into edges (tx_id, subject, predicate, object, origin, op, inferred, rule) select ${tx.id}::bigint, s, p, o, origin, 'assert', inf, r from ${columns}`.execute(
        trx,
      );
      await sql`insert into current_edges (subject, predicate, object, origin, inferred, rule, tx_id) select s, p, o, origin, inf, r, ${tx.id}::bigint from ${columns} on conflict do nothing`.execute(
        trx,
      );
      onProgress(graph.entities.length + i + chunk.length, total);
    }
  });
  await vacuumAfterBackfill(db);
}

const BACKFILLED = ['entities', 'current_edges', 'edges', 'facts'];

/** Each backfilled table's share of pages that the visibility map marks all-visible (index-only scans skip their heap). */
export async function allVisibleShares(db: Db): Promise<Record<string, number>> {
  const { rows } = await sql<{ table: string; pages: number; visible: number }>`
    select relname as table, relpages as pages, relallvisible as visible
    from pg_class where relname = any(${BACKFILLED}::text[]) and relkind = 'r' and relnamespace = 'public'::regnamespace`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.table, r.pages === 0 ? 1 : Math.min(1, r.visible / r.pages)]));
}

/**
 * As after any backfill: fresh statistics, and a visibility map so that index-only scans skip the
 * heap. A vacuum cannot mark a page all-visible while some snapshot older than the load is open (a
 * transaction of another connection that began before the load committed), and then leaves part of
 * the table to the heap; a table below 99% is vacuumed again, a few times at most.
 */
async function vacuumAfterBackfill(db: Db): Promise<void> {
  let lagging = BACKFILLED;
  for (let attempt = 0; attempt < 5 && lagging.length > 0; attempt++) {
    if (attempt > 0) await sleep(1000);
    for (const table of lagging) await sql`vacuum analyze ${sql.table(table)}`.execute(db);
    const shares = await allVisibleShares(db);
    lagging = lagging.filter((table) => (shares[table] ?? 0) < 0.99);
  }
}
