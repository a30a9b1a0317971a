import { sql } from 'kysely';
import { PREDICATES, type Predicate } from '../domain/vocabulary';
import type { Db } from '../store/database';

export interface UnusedEntity {
  readonly uri: string;
  readonly type: string;
  readonly name: string;
  readonly createdAt: string;
}

const withRole = (role: string): string[] => (Object.keys(PREDICATES) as Predicate[]).filter((p) => PREDICATES[p].lineage === role);

/**
 * Deprecation candidates: live entities that nothing downstream uses (no lineage edge leads
 * downstream from them or from any of their members), created at least `minAgeDays` ago by their
 * source's own creation time where it has one, oldest first.
 */
export async function unusedEntities(
  db: Db,
  opts: { type: string | null; minAgeDays: number; limit: number; offset: number; asOf: Date | null },
): Promise<UnusedEntity[]> {
  const downOut = withRole('object-downstream');
  const upIn = withRole('object-upstream');
  const members = withRole('containment');
  const at = opts.asOf ?? new Date();
  const cutoff = new Date(at.getTime() - opts.minAgeDays * 86_400_000);
  // The edges that held at the time: current ones, or the latest assertion in the history.
  const edges =
    opts.asOf === null
      ? sql`current_edges`
      : sql`(select * from (select distinct on (h.subject, h.predicate, h.object, h.origin) h.subject, h.predicate, h.object, h.op from edges h join tx on tx.id = h.tx_id where tx.at <= ${opts.asOf} order by h.subject, h.predicate, h.object, h.origin, h.id desc) l where l.op = 'assert')`;
  const states =
    opts.asOf === null
      ? sql`(select uri, state from entities)`
      : sql`(select distinct on (f.entity_uri) f.entity_uri as uri, f.value #>> '{}' as state from facts f join tx on tx.id = f.tx_id where f.attribute = 'state' and f.op = 'assert' and tx.at <= ${opts.asOf} order by f.entity_uri, f.id desc)`;
  const { rows } = await sql<{ uri: string; type: string; name: string; born: Date }>`
    with live as (select uri from ${states} s where s.state in ('hydrated', 'enriched')),
    candidates as (
      select e.uri, e.type, e.name,
        coalesce(case when e.attributes->>'createdAt' ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' then (e.attributes->>'createdAt')::timestamptz end, e.created_at) as born
      from entities e join live on live.uri = e.uri
      where (${opts.type}::text is null or e.type = ${opts.type})
    ),
    used as (
      select c.uri from candidates c where
        exists (select 1 from ${edges} x where x.subject = c.uri and x.predicate = any(${downOut}::text[]))
        or exists (select 1 from ${edges} x where x.object = c.uri and x.predicate = any(${upIn}::text[]))
        or exists (
          select 1 from ${edges} m where m.object = c.uri and m.predicate = any(${members}::text[]) and (
            exists (select 1 from ${edges} x where x.subject = m.subject and x.predicate = any(${downOut}::text[]))
            or exists (select 1 from ${edges} x where x.object = m.subject and x.predicate = any(${upIn}::text[]))))
    )
    select c.uri, c.type, c.name, c.born from candidates c
    where c.born <= ${cutoff} and not exists (select 1 from used u where u.uri = c.uri)
    order by c.born, c.uri
    limit ${opts.limit} offset ${opts.offset}`.execute(db);
  return rows.map((row) => ({ uri: row.uri, type: row.type, name: row.name, createdAt: row.born.toISOString() }));
}
