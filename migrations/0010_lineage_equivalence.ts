import { sql, type Kysely } from 'kysely';

/**
 * Lineage crosses an equivalence (`same_as`: two records of one physical dataset) without counting a
 * step: what is upstream of one is upstream of the other, at the same distance.
 *
 * `lineage_level` is the walk's level statement of 0007, unchanged, as a function of its own, so that
 * the walk runs it twice per level: once along the lineage predicates, then along the equivalence
 * predicates from what that level reached (a few hops, at the same distance). `lineage_walk` gains an
 * argument, `same_p`; the root's equivalents are listed at distance 0. The 7-argument walk stays, for
 * callers of the old signature.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time and see the database untyped
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function lineage_level(frontier text[], out_p text[], in_p text[], member_p text[], seen text[], room int, as_of timestamptz,
                                  out reached lineage_node[], out truncated boolean, out steps jsonb)
    language plpgsql stable
    set plan_cache_mode = force_generic_plan as $$
    begin
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
        order by f.to_uri collate "C" limit room + 1
      ), kept as (
        select p.to_uri, p.container, p.type, p.name from picked p order by p.to_uri collate "C" limit room
      ), ends as (
        select k.to_uri as uri from kept k union all select v.uri from unnest(seen) v(uri)
      )
      select
        array(select row(k.to_uri, k.type, k.name, k.container)::lineage_node from kept k order by k.to_uri collate "C"),
        (select count(*) from picked) > room,
        coalesce((select jsonb_agg(jsonb_build_array(s.from_uri, s.to_uri, s.subject, s.predicate, s.object, s.inferred))
                  from followed s join ends on ends.uri = s.to_uri), '[]')
      into reached, truncated, steps;
    end
    $$
  `.execute(db);
  await sql`
    create function lineage_walk(root text, out_p text[], in_p text[], member_p text[], same_p text[], max_depth int, node_cap int, as_of timestamptz)
    returns jsonb language plpgsql stable as $$
    declare
      frontier text[] := array[root];
      seen text[] := array[root];
      reached lineage_node[];
      level_steps jsonb;
      level_truncated boolean;
      nodes jsonb := '[]';
      walked jsonb := '[]';
      total int := 0;
      truncated boolean := false;
      members text[];
      hop_frontier text[];
      distance int := 0;
    begin
      if not exists (select 1 from node_at(root, as_of)) then
        return null;
      end if;
      loop
        members := array[]::text[];
        if distance > 0 then
          select * into reached, level_truncated, level_steps from lineage_level(frontier, out_p, in_p, member_p, seen, node_cap - total, as_of);
          truncated := level_truncated;
          total := total + cardinality(reached);
          seen := seen || array(select r.uri from unnest(reached) r);
          nodes := nodes || coalesce((select jsonb_agg(jsonb_build_array(r.uri, r.type, r.name, distance, r.container)) from unnest(reached) r), '[]');
          walked := walked || level_steps;
          members := array(select r.uri from unnest(reached) r where not r.container);
          hop_frontier := members;
        else
          hop_frontier := frontier;
        end if;
        -- The equivalents of what this level reached, at the same distance (a few hops: a chain of
        -- records of one dataset is short).
        for hop in 1 .. 3 loop
          exit when cardinality(same_p) = 0 or cardinality(hop_frontier) = 0 or truncated;
          select * into reached, level_truncated, level_steps from lineage_level(hop_frontier, same_p, same_p, array[]::text[], seen, node_cap - total, as_of);
          truncated := level_truncated;
          total := total + cardinality(reached);
          seen := seen || array(select r.uri from unnest(reached) r);
          nodes := nodes || coalesce((select jsonb_agg(jsonb_build_array(r.uri, r.type, r.name, distance, r.container)) from unnest(reached) r), '[]');
          walked := walked || level_steps;
          hop_frontier := array(select r.uri from unnest(reached) r);
          members := members || hop_frontier;
        end loop;
        frontier := case when distance = 0 then frontier || members else members end;
        distance := distance + 1;
        exit when distance > max_depth or cardinality(frontier) = 0 or truncated;
      end loop;
      return jsonb_build_object('nodes', nodes, 'steps', walked, 'truncated', truncated);
    end
    $$
  `.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists lineage_walk(text, text[], text[], text[], text[], int, int, timestamptz)`.execute(db);
  await sql`drop function if exists lineage_level(text[], text[], text[], text[], text[], int, timestamptz)`.execute(db);
}
