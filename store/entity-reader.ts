import { sql } from 'kysely';
import type { Db } from './database';
import type { EntityRow } from './schema';

/** Reads of entities by what the other rooms know of them: their URI, or (users) their email. */

export async function entityRow(db: Db, uri: string): Promise<EntityRow | undefined> {
  return db.selectFrom('entities').selectAll().where('uri', '=', uri).executeTakeFirst();
}

export async function entityRows(db: Db, uris: readonly string[]): Promise<EntityRow[]> {
  if (uris.length === 0) return [];
  return db
    .selectFrom('entities')
    .selectAll()
    .where('uri', 'in', [...uris])
    .execute();
}

/** Known users by email (their lookup key): email → username (their native id). */
export async function usernamesByEmail(db: Db, emails: readonly string[]): Promise<Record<string, string>> {
  if (emails.length === 0) return {};
  const rows = await db
    .selectFrom('entities')
    .select(['lookup_key', 'native_id'])
    .where('type', '=', 'user')
    .where('lookup_key', 'in', [...emails])
    .execute();
  return Object.fromEntries(rows.map((row) => [row.lookup_key, row.native_id]));
}

/** The URI of a known user by email, or null. */
export async function userUriByEmail(db: Db, email: string): Promise<string | null> {
  const row = await db.selectFrom('entities').select('uri').where('type', '=', 'user').where('lookup_key', '=', email).executeTakeFirst();
  return row?.uri ?? null;
}

/** A current edge of an entity, seen from it, with the name of the entity at its other end. */
export interface Neighbour {
  readonly uri: string;
  readonly predicate: string;
  readonly direction: 'out' | 'in';
  readonly other: string;
  readonly other_name: string;
}

/** Each entity's current neighbours (live ones only), at most `limit` each way (twice that outgoing). */
export async function neighboursOf(db: Db, uris: readonly string[], limit: number): Promise<Neighbour[]> {
  if (uris.length === 0) return [];
  const result = await sql<Neighbour>`
    select u.uri, e.predicate, e.direction, e.other, n.name as other_name
    from unnest(${[...uris]}::text[]) as u(uri)
    cross join lateral (
      (select distinct ce.predicate, 'out' as direction, ce.object as other from current_edges ce where ce.subject = u.uri limit ${limit * 2})
      union all
      (select distinct ce.predicate, 'in' as direction, ce.subject as other from current_edges ce where ce.object = u.uri limit ${limit})
    ) e
    join entities n on n.uri = e.other and n.state <> 'deleted'`.execute(db);
  return result.rows;
}

/** A page of every entity, in URI order after `after`: for rebuilding what is derived from them. */
export async function entityRowPage(db: Db, after: string, limit: number): Promise<EntityRow[]> {
  return db.selectFrom('entities').selectAll().where('uri', '>', after).orderBy('uri').limit(limit).execute();
}

export async function entityCount(db: Db): Promise<number> {
  const row = await db.selectFrom('entities').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The earliest time a write that is not visible yet can carry: the start of the oldest transaction
 * open now (its stamps come from the database's clock and are never earlier), or now when none is.
 * Whatever a reader misses from this moment on is touched at or after it.
 */
export async function oldestOpenWriteTime(db: Db): Promise<Date> {
  const { rows } = await sql<{ at: Date }>`
    select least(clock_timestamp(), min(xact_start)) as at from pg_stat_activity
    where datname = current_database() and xact_start is not null`.execute(db);
  return rows[0]?.at ?? new Date(0);
}

/** URIs of the entities written since a time (the database's), in URI order. */
export async function urisTouchedSince(db: Db, since: Date): Promise<string[]> {
  const rows = await db.selectFrom('entities').select('uri').where('touched_at', '>=', since).orderBy('uri').execute();
  return rows.map((row) => row.uri);
}
