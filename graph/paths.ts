import type { Db } from '../store/database';
import type { ShownEdge } from '../domain/edge';
import { requireKnown } from './known';
import { traverseAll } from './lineage';
import type { PathsResult } from './answers';

const MAX_PATHS = 25;

/**
 * The lineage paths that connect two entities, shortest first: why `to` is downstream (or upstream)
 * of `from`. Paths are simple (no node twice) and at most `maxDepth` edges long.
 */
export async function pathsBetween(
  db: Db,
  from: string,
  to: string,
  opts: { maxDepth: number; nodeCap: number; asOf: Date | null },
): Promise<PathsResult> {
  let truncated = false;
  const directions = ['downstream', 'upstream'] as const;
  const walks = await traverseAll(db, from, directions, {
    depth: opts.maxDepth,
    nodeCap: opts.nodeCap,
    asOf: opts.asOf,
    parameter: 'from',
  });
  await requireKnown(db, to, opts.asOf, 'to');
  for (const [i, direction] of directions.entries()) {
    const walk = walks[i];
    if (!walk) break;
    truncated ||= walk.truncated;
    if (!walk.nodes.has(to)) continue;
    const next = Map.groupBy(walk.steps, (step) => step.from);
    const paths: { length: number; edges: ShownEdge[] }[] = [];
    // Breadth-first over partial paths, so the shortest come first.
    let partial: { at: string; edges: ShownEdge[]; visited: Set<string> }[] = [{ at: from, edges: [], visited: new Set([from]) }];
    while (partial.length > 0 && paths.length < MAX_PATHS) {
      const longer: typeof partial = [];
      for (const p of partial) {
        for (const n of next.get(p.at) ?? []) {
          if (p.visited.has(n.to)) continue;
          const edges = [...p.edges, n.edge];
          if (n.to === to) paths.push({ length: edges.length, edges });
          else if (edges.length < opts.maxDepth) longer.push({ at: n.to, edges, visited: new Set([...p.visited, n.to]) });
          if (paths.length >= MAX_PATHS) break;
        }
        if (paths.length >= MAX_PATHS || longer.length > 10_000) break;
      }
      partial = longer;
    }
    return { from, to, direction, paths, truncated: truncated || paths.length >= MAX_PATHS };
  }
  return { from, to, direction: null, paths: [], truncated };
}
