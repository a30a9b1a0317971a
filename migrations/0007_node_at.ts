import { sql, type Kysely } from 'kysely';

/**
 * `node_at(uri, as_of)`: one entity's type, name and state as they stood at `as_of` (or now), and no
 * row for an entity the graph did not know then. It is the one as-of rule for nodes: the lineage walk
 * looks up each entity it reaches through it, and every other reader that shows nodes reads it too.
 * A single-statement SQL function, so PostgreSQL inlines it into the statement that calls it.
 *
 * `lineage_walk` is redefined to use it, with the same arguments and answer as in 0004.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time and see the database untyped
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function node_at(node_uri text, as_of timestamptz)
    returns table (uri text, type text, name text, state text) language sql stable as $$
      select e.uri, e.type, e.name, e.state from entities e where as_of is null and e.uri = node_uri
      union all
      select e.uri, e.type, coalesce(fn.value #>> '{}', e.native_id), coalesce(fs.value #>> '{}', 'placeholder') from entities e
      left join lateral (select x.value from facts_at(as_of) x where x.entity_uri = e.uri and x.attribute = 'name') fn on true
      left join lateral (select x.value from facts_at(as_of) x where x.entity_uri = e.uri and x.attribute = 'state') fs on true
      where as_of is not null and e.uri = node_uri and exists (select 1 from facts_at(as_of) x where x.entity_uri = e.uri)
    $$
  `.execute(db);
  await sql`
    create or replace function lineage_walk(root text, out_p text[], in_p text[], member_p text[], max_depth int, node_cap int, as_of timestamptz)
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
      if not exists (select 1 from node_at(root, as_of)) then
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
          select f.to_uri, f.container, n.type, n.name
          from fresh f cross join lateral node_at(f.to_uri, as_of) n
          where n.state <> 'deleted'
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
  await sql`drop function if exists node_at(text, timestamptz)`.execute(db);
}
