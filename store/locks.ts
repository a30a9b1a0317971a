import { sql } from 'kysely';
import type { Trx } from './history';
import type { EntityRow } from './schema';

/**
 * The lock protocol of every writer, in one place. A writer of entities takes, in this order:
 * 1. the advisory locks of the entities it writes or creates (`lockEntities`): one writer per entity
 *    at a time, even when an activity's retry overlaps a slow first attempt, and one creator per
 *    placeholder;
 * 2. then their rows, `FOR UPDATE` (`lockRows`), which the enrichment sweep takes alone.
 * Each step takes its locks in URI order and in one statement, so two writers never wait on each
 * other in a cycle. Inference takes its rule's lock (`lockRule`) and no entity's: the edges a rule
 * derives belong to the rule's origin.
 */
export async function lockEntities(trx: Trx, uris: Iterable<string>): Promise<void> {
  const sorted = [...new Set(uris)].sort();
  if (sorted.length === 0) return;
  await sql`select pg_advisory_xact_lock(hashtextextended(u, 0)) from unnest(${sorted}::text[]) u`.execute(trx);
}

/** The rows of entities about to be rewritten, locked in URI order; by URI. */
export async function lockRows(trx: Trx, uris: Iterable<string>): Promise<Map<string, EntityRow>> {
  const sorted = [...new Set(uris)].sort();
  if (sorted.length === 0) return new Map();
  const rows = await trx.selectFrom('entities').selectAll().where('uri', 'in', sorted).orderBy('uri').forUpdate().execute();
  return new Map(rows.map((row) => [row.uri, row]));
}

/** An inference rule's lock, by the origin of the edges it derives: one evaluation of a rule at a time. */
export async function lockRule(trx: Trx, origin: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${origin}, 0))`.execute(trx);
}
