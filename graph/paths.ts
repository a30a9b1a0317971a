import type { Db } from '../store/database';
import { traverse, type Direction, type LineageEdge } from './lineage';

export interface PathsResult {
  /** `downstream`: `to` is downstream of `from`; `upstream`: `to` is upstream of it. Null when unconnected. */
  readonly direction: Direction | null;
  readonly paths: { length: number; edges: LineageEdge[] }[];
  readonly truncated: boolean;
}

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
  for (const direction of ['downstream', 'upstream'] as const) {
    const walk = await traverse(db, from, direction, { depth: opts.maxDepth, nodeCap: opts.nodeCap, asOf: opts.asOf });
    truncated ||= walk.truncated;
    if (!walk.nodes.has(to)) continue;
    const next = new Map<string, { to: string; edge: LineageEdge }[]>();
    for (const step of walk.steps) next.set(step.from, [...(next.get(step.from) ?? []), { to: step.to, edge: step.edge }]);
    const paths: { length: number; edges: LineageEdge[] }[] = [];
    // Breadth-first over partial paths, so the shortest come first.
    let partial: { at: string; edges: LineageEdge[]; visited: Set<string> }[] = [{ at: from, edges: [], visited: new Set([from]) }];
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
    return { direction, paths, truncated: truncated || paths.length >= MAX_PATHS };
  }
  return { direction: null, paths: [], truncated };
}
