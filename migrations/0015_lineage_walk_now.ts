import { sql, type Kysely } from 'kysely';
import { up as lineageWalkOf0010 } from './0010_lineage_equivalence';

/**
 * The lineage walk, made cheaper; same arguments, same walk (0010), a leaner answer.
 *
 * - A walk of the graph as it stands now reads `current_edges` and `entities` directly. The level
 *   statement is planned once per session (a generic plan), and with `edges_at`/`node_at` that plan
 *   carried the history branches too: starting it cost more than a small level's work. A walk at
 *   `asOf` keeps the as-of sources, in a statement of its own built from the same text.
 * - One statement per level or equivalence hop, inside the walk (no nested function call), which
 *   answers exactly what the walk keeps: the URIs reached, the members to go on from, the nodes and
 *   the steps as JSON.
 * - The answer is `json` (text), not `jsonb`: the walk only builds it and the caller only parses it.
 *   `{levels: [[distance, [[uri, type, name, container], ...]], ...], steps: [[[reversed, subject,
 *   predicate, object, inferred], ...], ...], truncated}`; a step goes from the subject to the object,
 *   or from the object to the subject when reversed.
 */
function levelStatement(edges: string, nodeJoin: string): string {
  return `
      with followed as materialized (
        select e.object as to_uri, false as reversed, e.subject, e.predicate, e.object, e.inferred, e.predicate = any(m_p) as container
        from ${edges} e where e.subject = any(from_set) and e.predicate = any(o_p || m_p)
        union all
        select e.subject, true, e.subject, e.predicate, e.object, e.inferred, false
        from ${edges} e where e.object = any(from_set) and e.predicate = any(i_p || m_p)
      ), fresh as (
        select distinct on (s.to_uri collate "C") s.to_uri, s.container
        from followed s left join unnest(seen) v(uri) on v.uri = s.to_uri
        where v.uri is null order by s.to_uri collate "C", s.container
      ), picked as materialized (
        select f.to_uri, f.container, n.type, n.name from fresh f ${nodeJoin}
        where n.state <> 'deleted' order by f.to_uri collate "C" limit node_cap - total + 1
      ), kept as materialized (
        select * from picked p order by p.to_uri collate "C" limit node_cap - total
      )
      select k.reached, k.members, k.nodes, (select count(*) from picked) > node_cap - total,
        (select json_agg(json_build_array(s.reversed, s.subject, s.predicate, s.object, s.inferred)) from followed s
         where s.to_uri in (select r.to_uri from kept r union all select v.uri from unnest(seen) v(uri)))
      into reached, level_members, level_nodes, truncated, level_steps
      from (
        select array_agg(to_uri order by to_uri collate "C") as reached,
               array_agg(to_uri) filter (where not container) as members,
               json_agg(json_build_array(to_uri, type, name, container) order by to_uri collate "C") as nodes
        from kept
      ) k`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time and see the database untyped
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop function lineage_walk(text, text[], text[], text[], text[], int, int, timestamptz)`.execute(db);
  await sql`drop function lineage_level(text[], text[], text[], text[], text[], int, timestamptz)`.execute(db);
  const now = levelStatement('current_edges', 'join entities n on n.uri = f.to_uri');
  const then = levelStatement('edges_at(as_of)', 'cross join lateral node_at(f.to_uri, as_of) n');
  await sql`
    create function lineage_walk(root text, out_p text[], in_p text[], member_p text[], same_p text[], max_depth int, node_cap int, as_of timestamptz)
    returns json language plpgsql stable
    -- One plan per statement, kept: re-planning a level on every call cost more than a small walk.
    set plan_cache_mode = force_generic_plan as $$
    declare
      frontier text[] := array[root];
      seen text[] := array[root];
      none text[] := array[]::text[];
      reached text[];
      level_members text[];
      level_nodes json;
      level_steps json;
      node_levels json[] := array[]::json[];
      step_levels json[] := array[]::json[];
      total int := 0;
      truncated boolean := false;
      members text[] := array[]::text[];
      hop_frontier text[] := array[root];
      distance int := 0;
      -- 0: a lineage step (one more in distance); 1 to 3: equivalence hops from what it reached, at the
      -- same distance (a chain of records of one dataset is short).
      hop int := 1;
      o_p text[];
      i_p text[];
      m_p text[];
      from_set text[];
    begin
      if not exists (select 1 from node_at(root, as_of)) then
        return null;
      end if;
      loop
        if hop = 0 then
          o_p := out_p; i_p := in_p; m_p := member_p; from_set := frontier;
        elsif hop <= 3 and cardinality(same_p) > 0 and cardinality(hop_frontier) > 0 then
          o_p := same_p; i_p := same_p; m_p := none; from_set := hop_frontier;
        else
          -- The level is done: what it reached (and, from the root, the root's equivalents) goes on.
          frontier := case when distance = 0 then frontier || members else members end;
          distance := distance + 1;
          exit when distance > max_depth or cardinality(frontier) = 0;
          members := none;
          hop := 0;
          continue;
        end if;
        if as_of is null then
          ${sql.raw(now)};
        else
          ${sql.raw(then)};
        end if;
        if reached is not null then
          total := total + cardinality(reached);
          seen := seen || reached;
          node_levels := node_levels || json_build_array(distance, level_nodes);
        end if;
        if level_steps is not null then
          step_levels := step_levels || level_steps;
        end if;
        if hop = 0 then
          members := coalesce(level_members, none);
          hop_frontier := members;
        else
          hop_frontier := coalesce(reached, none);
          members := members || hop_frontier;
        end if;
        exit when truncated;
        hop := hop + 1;
      end loop;
      return json_build_object('levels', node_levels, 'steps', step_levels, 'truncated', truncated);
    end
    $$
  `.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists lineage_walk(text, text[], text[], text[], text[], int, int, timestamptz)`.execute(db);
  await lineageWalkOf0010(db);
}
