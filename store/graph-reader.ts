import type { HeldEdge } from '../domain/edge';
import { sql, type RawBuilder } from 'kysely';
import type { Json } from '../domain/entity';
import type { Db } from './database';

/**
 * Reads of the graph at a point in time. `asOf: null` reads the current-state projections; a time
 * reads the append-only history: for each fact or edge, its latest assertion or retraction at or
 * before that time decides whether it held.
 */
/** An edge as read back: its support is the stored JSON, checked by whoever shows it. */
export type EdgeRow = Omit<HeldEdge, 'support'> & { readonly support: unknown };

export interface NodeRow {
  readonly uri: string;
  readonly type: string;
  readonly name: string;
  readonly state: string;
}

/**
 * The edges that held at `asOf` (or now), as a subquery with the columns of EdgeRow: one row per
 * edge, whatever the number of origins that assert it. The as-of rule itself is the database's
 * `edges_at` (migration 0004), shared by every reader.
 */
function edgeSet(asOf: Date | null, where: (alias: RawBuilder<unknown>) => RawBuilder<unknown>): RawBuilder<EdgeRow> {
  return sql<EdgeRow>`select distinct on (subject, predicate, object) subject, predicate, object, inferred, rule, support
    from edges_at(${asOf}::timestamptz) e where ${where(sql.raw('e'))}
    order by subject, predicate, object, inferred`;
}

/** Edges leaving (`out`) or entering (`in`) any of the nodes, limited to the given predicates. */
export async function edgesAround(
  db: Db,
  nodes: readonly string[],
  direction: 'out' | 'in',
  predicates: readonly string[],
  asOf: Date | null,
): Promise<EdgeRow[]> {
  if (nodes.length === 0 || predicates.length === 0) return [];
  const column = direction === 'out' ? 'subject' : 'object';
  const query = edgeSet(
    asOf,
    (t) => sql`${t}.${sql.raw(column)} = any(${[...nodes]}::text[]) and ${t}.predicate = any(${[...predicates]}::text[])`,
  );
  return (await query.execute(db)).rows;
}

/** Every edge of one entity, both directions, as of a time. */
export async function edgesOf(db: Db, uri: string, asOf: Date | null): Promise<EdgeRow[]> {
  return (await edgeSet(asOf, (t) => sql`(${t}.subject = ${uri} or ${t}.object = ${uri})`).execute(db)).rows;
}

/** The facts of entities as they stood at `asOf` (or now): attribute → value, per entity. */
export async function factsAsOf(db: Db, uris: readonly string[], asOf: Date): Promise<Map<string, Record<string, Json>>> {
  if (uris.length === 0) return new Map();
  const { rows } = await sql<{ entity_uri: string; attribute: string; value: Json }>`
    select entity_uri, attribute, value from facts_at(${asOf}::timestamptz) where entity_uri = any(${[...uris]}::text[])`.execute(db);
  const result = new Map<string, Record<string, Json>>();
  for (const row of rows) {
    const facts = result.get(row.entity_uri) ?? {};
    facts[row.attribute] = row.value;
    result.set(row.entity_uri, facts);
  }
  return result;
}

/**
 * Type, name and state of entities at `asOf` (or now); entities unknown then are absent. The as-of rule
 * is the database's `node_at` (migration 0007), the same one the lineage walk reads.
 */
export async function nodesOf(db: Db, uris: readonly string[], asOf: Date | null): Promise<Map<string, NodeRow>> {
  if (uris.length === 0) return new Map();
  const { rows } = await sql<NodeRow>`
    select n.uri, n.type, n.name, n.state from unnest(${[...new Set(uris)]}::text[]) u cross join lateral node_at(u, ${asOf}::timestamptz) n`.execute(
    db,
  );
  return new Map(rows.map((row) => [row.uri, row]));
}

/** First and last transaction times of an entity's facts at or before `asOf`. */
export async function factTimes(db: Db, uri: string, asOf: Date): Promise<{ first: Date | null; last: Date | null }> {
  const row = await sql<{ first: Date | null; last: Date | null }>`
    select min(tx.at) as first, max(tx.at) as last from facts f join tx on tx.id = f.tx_id where f.entity_uri = ${uri} and tx.at <= ${asOf}`.execute(
    db,
  );
  return row.rows[0] ?? { first: null, last: null };
}

/**
 * Whether the graph knew the entity at `asOf` (or knows it now): a cheap check for the questions
 * that need only to tell an unknown entity (404) from a known one.
 */
export async function entityExists(db: Db, uri: string, asOf: Date | null): Promise<boolean> {
  return (await sql`select 1 from node_at(${uri}, ${asOf}::timestamptz)`.execute(db)).rows.length > 0;
}

/** An entity's fact assertions and retractions up to `until`, oldest first, with their transaction. */
export async function factHistory(db: Db, uri: string, until: Date, limit: number) {
  return db
    .selectFrom('facts')
    .innerJoin('tx', 'tx.id', 'facts.tx_id')
    .select(['facts.id', 'tx.id as txId', 'tx.at', 'tx.source', 'tx.cause', 'facts.op', 'facts.attribute', 'facts.value'])
    .where('facts.entity_uri', '=', uri)
    .where('tx.at', '<=', until)
    .orderBy('facts.id')
    .limit(limit)
    .execute();
}

/** The assertions and retractions of the edges from or to an entity up to `until`, oldest first. */
export async function edgeHistory(db: Db, uri: string, until: Date, limit: number) {
  return db
    .selectFrom('edges')
    .innerJoin('tx', 'tx.id', 'edges.tx_id')
    .select([
      'edges.id',
      'tx.id as txId',
      'tx.at',
      'tx.source',
      'tx.cause',
      'edges.op',
      'edges.subject',
      'edges.predicate',
      'edges.object',
      'edges.inferred',
      'edges.rule',
    ])
    .where((eb) => eb.or([eb('edges.subject', '=', uri), eb('edges.object', '=', uri)]))
    .where('tx.at', '<=', until)
    .orderBy('edges.id')
    .limit(limit)
    .execute();
}
