import { sql } from 'kysely';
import type { Db } from './database';

export interface UnusedRow {
  readonly uri: string;
  readonly type: string;
  readonly name: string;
  /** The source's own creation time where it has one, else when the graph first saw the entity. */
  readonly born: Date;
}

/**
 * Live entities (of a type, if given) born by `cutoff` that no edge of the `downstream` predicates
 * leaves, no edge of the `upstream` predicates enters, and none of whose members (by the `containment`
 * predicates) has either: as the graph stood at `asOf`, or now. Oldest first.
 */
export async function unusedRows(
  db: Db,
  q: {
    readonly downstream: readonly string[];
    readonly upstream: readonly string[];
    readonly containment: readonly string[];
    readonly type: string | null;
    readonly cutoff: Date;
    readonly asOf: Date | null;
    readonly limit: number;
    readonly offset: number;
  },
): Promise<UnusedRow[]> {
  // The edges and states that held at the time (the shared as-of rule of migration 0004).
  const edges = sql`edges_at(${q.asOf}::timestamptz)`;
  const states = sql`entity_states_at(${q.asOf}::timestamptz)`;
  const down = [...q.downstream];
  const up = [...q.upstream];
  const members = [...q.containment];
  const { rows } = await sql<UnusedRow>`
    with live as (select uri from ${states} s where s.state in ('hydrated', 'enriched')),
    candidates as (
      select e.uri, e.type, e.name,
        coalesce(case when e.attributes->>'createdAt' ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' then (e.attributes->>'createdAt')::timestamptz end, e.created_at) as born
      from entities e join live on live.uri = e.uri
      where (${q.type}::text is null or e.type = ${q.type})
    ),
    used as (
      select c.uri from candidates c where
        exists (select 1 from ${edges} x where x.subject = c.uri and x.predicate = any(${down}::text[]))
        or exists (select 1 from ${edges} x where x.object = c.uri and x.predicate = any(${up}::text[]))
        or exists (
          select 1 from ${edges} m where m.object = c.uri and m.predicate = any(${members}::text[]) and (
            exists (select 1 from ${edges} x where x.subject = m.subject and x.predicate = any(${down}::text[]))
            or exists (select 1 from ${edges} x where x.object = m.subject and x.predicate = any(${up}::text[]))))
    )
    select c.uri, c.type, c.name, c.born from candidates c
    where c.born <= ${q.cutoff} and not exists (select 1 from used u where u.uri = c.uri)
    order by c.born, c.uri
    limit ${q.limit} offset ${q.offset}`.execute(db);
  return rows;
}
