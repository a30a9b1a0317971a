import { sql, type Kysely } from 'kysely';

/**
 * The as-of rule, once, and lineage in one round trip.
 *
 * `edges_at(t)` and `facts_at(t)` are the graph as it stood at time t: for each edge (by subject,
 * predicate, object and origin) and each fact (by entity and attribute), its latest assertion or
 * retraction at or before t decides whether it held. `edges_at(null)` is the current-edges projection,
 * `entity_states_at(null)` the entities projection. Both are plain SQL functions, which the planner
 * inlines, so a caller's filters on the key columns reach the indexes.
 *
 * `lineage_walk` walks breadth-first from a root inside the database, level by level, with a visited
 * set (so cycles and diamonds cost nothing), a depth bound and a node cap, now or at `as_of`. Which
 * predicates a step follows is the caller's: out along `out_p` (subject → object), in along `in_p`
 * (object → subject), down into members along `member_p`, and up to a member's container, which is
 * listed, not followed. Unknown and deleted entities are neither returned nor followed. It answers
 * null for a root the graph did not know (then), and otherwise one jsonb document: `{nodes: [[uri, type, name, distance, container]], steps: [[from, to, subject,
 * predicate, object, inferred]], truncated}`, nodes in order of distance then URI.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time and see the database untyped
export async function up(db: Kysely<any>): Promise<void> {
  // Walking in along an entity's edges reads only the index: no heap page per edge on a hub.
  await sql`create index current_edges_object_walk_idx on current_edges (object, predicate) include (subject, inferred)`.execute(db);
  await sql`drop index current_edges_object_idx`.execute(db);
  await sql`
    create type lineage_step as (from_uri text, to_uri text, subject text, predicate text, object text, inferred boolean, container boolean)
  `.execute(db);
  await sql`create type lineage_node as (uri text, type text, name text, container boolean)`.execute(db);

  await sql`
    create function edges_at(as_of timestamptz)
    returns table (subject text, predicate text, object text, origin text, inferred boolean, rule text, support jsonb)
    language sql stable as $$
      select c.subject, c.predicate, c.object, c.origin, c.inferred, c.rule, c.support from current_edges c where as_of is null
      union all
      select l.subject, l.predicate, l.object, l.origin, l.inferred, l.rule, l.support from (
        select distinct on (h.subject, h.predicate, h.object, h.origin) h.subject, h.predicate, h.object, h.origin, h.inferred, h.rule, h.support, h.op
        from edges h join tx on tx.id = h.tx_id
        where as_of is not null and tx.at <= as_of
        order by h.subject, h.predicate, h.object, h.origin, h.id desc
      ) l where l.op = 'assert'
    $$
  `.execute(db);
  await sql`
    create function facts_at(as_of timestamptz)
    returns table (entity_uri text, attribute text, value jsonb) language sql stable as $$
      select l.entity_uri, l.attribute, l.value from (
        select distinct on (f.entity_uri, f.attribute) f.entity_uri, f.attribute, f.value, f.op
        from facts f join tx on tx.id = f.tx_id
        where as_of is null or tx.at <= as_of
        order by f.entity_uri, f.attribute, f.id desc
      ) l where l.op = 'assert'
    $$
  `.execute(db);
  await sql`
    create function entity_states_at(as_of timestamptz)
    returns table (uri text, state text) language sql stable as $$
      select e.uri, e.state from entities e where as_of is null
      union all
      select f.entity_uri, f.value #>> '{}' from facts_at(as_of) f where as_of is not null and f.attribute = 'state'
    $$
  `.execute(db);

  // The edges one level follows from the frontier, each as it is walked (an edge with two origins twice).
  await sql`
    create function lineage_steps(frontier text[], out_p text[], in_p text[], member_p text[], as_of timestamptz)
    returns setof lineage_step language sql stable as $$
      select e.subject, e.object, e.subject, e.predicate, e.object, e.inferred, e.predicate = any(member_p)
      from edges_at(as_of) e where e.subject = any(frontier) and e.predicate = any(out_p || member_p)
      union all
      select e.object, e.subject, e.subject, e.predicate, e.object, e.inferred, false
      from edges_at(as_of) e where e.object = any(frontier) and e.predicate = any(in_p || member_p)
    $$
  `.execute(db);

  await sql`
    create function lineage_walk(root text, out_p text[], in_p text[], member_p text[], max_depth int, node_cap int, as_of timestamptz)
    returns jsonb language plpgsql stable
    -- One plan per statement, kept: re-planning the level statement on every call cost more than a small walk.
    set plan_cache_mode = force_generic_plan as $$
    declare
      frontier text[] := array[root];
      seen text[] := array[root];
      reached lineage_node[];
      level_steps jsonb;
      nodes jsonb := '[]';
      walked jsonb := '[]';
      total int := 0;
      truncated boolean := false;
    begin
      if not exists (select 1 from entities e where as_of is null and e.uri = root)
         and not exists (select 1 from facts_at(as_of) x where as_of is not null and x.entity_uri = root) then
        return null;
      end if;
      for distance in 1 .. max_depth loop
        exit when cardinality(frontier) = 0 or truncated;
        -- One statement per level: the edges it follows, the new entities it reaches in URI order (known
        -- then, not deleted, one more than there is room for, to tell truncation: the lookups stop there
        -- however many edges a hub has), and the steps that end at an entity the walk returns.
        with followed as materialized (
          select * from lineage_steps(frontier, out_p, in_p, member_p, as_of)
        ), fresh as (
          select distinct on (s.to_uri collate "C") s.to_uri, s.container
          from followed s left join unnest(seen) v(uri) on v.uri = s.to_uri
          where v.uri is null order by s.to_uri collate "C", s.container
        ), picked as materialized (
          select f.to_uri, f.container, n.type, n.name from fresh f cross join lateral (
            select e.type, e.name from entities e where as_of is null and e.uri = f.to_uri and e.state <> 'deleted'
            union all
            select e.type, coalesce(fn.value #>> '{}', e.native_id) from entities e
            left join lateral (select x.value from facts_at(as_of) x where x.entity_uri = e.uri and x.attribute = 'name') fn on true
            left join lateral (select x.value from facts_at(as_of) x where x.entity_uri = e.uri and x.attribute = 'state') fs on true
            where as_of is not null and e.uri = f.to_uri and coalesce(fs.value #>> '{}', 'placeholder') <> 'deleted'
              and exists (select 1 from facts_at(as_of) x where x.entity_uri = e.uri)
          ) n
          order by f.to_uri collate "C" limit node_cap - total + 1
        ), kept as (
          select p.to_uri, p.container, p.type, p.name from picked p order by p.to_uri collate "C" limit node_cap - total
        ), ends as (
          select k.to_uri as uri from kept k union all select v.uri from unnest(seen) v(uri)
        )
        select
          array(select row(k.to_uri, k.type, k.name, k.container)::lineage_node from kept k order by k.to_uri collate "C"),
          (select count(*) from picked) > node_cap - total,
          coalesce((select jsonb_agg(jsonb_build_array(s.from_uri, s.to_uri, s.subject, s.predicate, s.object, s.inferred))
                    from followed s join ends on ends.uri = s.to_uri), '[]')
        into reached, truncated, level_steps;
        total := total + cardinality(reached);
        seen := seen || array(select r.uri from unnest(reached) r);
        nodes := nodes || coalesce((select jsonb_agg(jsonb_build_array(r.uri, r.type, r.name, distance, r.container)) from unnest(reached) r), '[]');
        walked := walked || level_steps;
        frontier := array(select r.uri from unnest(reached) r where not r.container);
      end loop;
      return jsonb_build_object('nodes', nodes, 'steps', walked, 'truncated', truncated);
    end
    $$
  `.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists lineage_walk(text, text[], text[], text[], int, int, timestamptz)`.execute(db);
  await sql`drop function if exists lineage_steps(text[], text[], text[], text[], timestamptz)`.execute(db);
  await sql`drop function if exists entity_states_at(timestamptz)`.execute(db);
  await sql`drop function if exists facts_at(timestamptz)`.execute(db);
  await sql`drop function if exists edges_at(timestamptz)`.execute(db);
  await sql`drop type if exists lineage_node`.execute(db);
  await sql`drop type if exists lineage_step`.execute(db);
  await sql`create index if not exists current_edges_object_idx on current_edges (object, predicate)`.execute(db);
  await sql`drop index if exists current_edges_object_walk_idx`.execute(db);
}
