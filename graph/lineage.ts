import { PREDICATES, type LineageRole, type Predicate } from '../domain/vocabulary';
import type { Db } from '../store/database';
import { edgesAround, nodesOf, type EdgeRow, type NodeRow } from '../store/graph-reader';
import { edgeKey } from '../store/history';

export type Direction = 'upstream' | 'downstream';

export interface LineageNode {
  readonly uri: string;
  readonly type: string;
  readonly name: string;
  readonly distance: number;
  /** Listed because a member it contains was reached; its other members are not followed. */
  readonly container: boolean;
}

export interface LineageEdge {
  readonly subject: string;
  readonly predicate: string;
  readonly object: string;
  readonly inferred: boolean;
}

export interface Traversal {
  readonly nodes: Map<string, LineageNode>;
  readonly edges: Map<string, LineageEdge>;
  /** Each edge as the traversal walked it: from the node it was reached from, to the node it reached. */
  readonly steps: { readonly from: string; readonly to: string; readonly edge: LineageEdge }[];
  readonly truncated: boolean;
}

export interface TraversalOptions {
  readonly depth: number;
  readonly nodeCap: number;
  readonly asOf: Date | null;
  /** Only these predicates are followed (all lineage and containment predicates when absent). */
  readonly predicates?: readonly Predicate[];
}

const byRole = (role: LineageRole): Predicate[] => (Object.keys(PREDICATES) as Predicate[]).filter((p) => PREDICATES[p].lineage === role);

/**
 * Which edges one lineage step follows, by the domain's lineage column: going upstream, out along
 * "object is upstream" edges and in along "object is downstream" ones (and the reverse going
 * downstream); a container steps in to its members; a member lists its container.
 */
function stepPredicates(direction: Direction, allowed: (p: Predicate) => boolean) {
  const [outRole, inRole]: [LineageRole, LineageRole] =
    direction === 'upstream' ? ['object-upstream', 'object-downstream'] : ['object-downstream', 'object-upstream'];
  return {
    out: byRole(outRole).filter(allowed),
    in: byRole(inRole).filter(allowed),
    members: byRole('containment').filter(allowed),
  };
}

/**
 * Breadth-first lineage from a root, one query per level and direction, with a depth bound, a node
 * cap that sets `truncated`, and a visited set that makes cycles harmless. Deleted entities are
 * neither returned nor followed.
 */
export async function traverse(db: Db, root: string, direction: Direction, options: TraversalOptions): Promise<Traversal> {
  const allowed = (p: Predicate): boolean => !options.predicates || options.predicates.includes(p);
  const step = stepPredicates(direction, allowed);
  const nodes = new Map<string, LineageNode>();
  const edges = new Map<string, LineageEdge>();
  const steps: Traversal['steps'][number][] = [];
  const seen = new Set<string>([root]);
  const listedContainers = new Set<string>();
  let frontier = [root];
  let truncated = false;
  const info = new Map<string, NodeRow>();

  for (let distance = 1; distance <= options.depth && frontier.length > 0 && !truncated; distance++) {
    const [outEdges, inEdges, memberEdges, containerEdges] = await Promise.all([
      edgesAround(db, frontier, 'out', step.out, options.asOf),
      edgesAround(db, frontier, 'in', step.in, options.asOf),
      edgesAround(
        db,
        frontier.filter((uri) => !listedContainers.has(uri)),
        'in',
        step.members,
        options.asOf,
      ),
      edgesAround(db, frontier, 'out', step.members, options.asOf),
    ]);
    const candidates: { from: string; next: string; edge: EdgeRow; container: boolean }[] = [
      ...outEdges.map((edge) => ({ from: edge.subject, next: edge.object, edge, container: false })),
      ...inEdges.map((edge) => ({ from: edge.object, next: edge.subject, edge, container: false })),
      ...memberEdges.map((edge) => ({ from: edge.object, next: edge.subject, edge, container: false })),
      ...containerEdges.map((edge) => ({ from: edge.subject, next: edge.object, edge, container: true })),
    ];
    const fresh = [...new Set(candidates.map((c) => c.next).filter((uri) => !seen.has(uri)))];
    for (const [uri, row] of await nodesOf(db, fresh, options.asOf)) info.set(uri, row);
    const next: string[] = [];
    for (const c of candidates) {
      const row = info.get(c.next) ?? (c.next === root ? undefined : null);
      if (row === null || row?.state === 'deleted') continue;
      const edge = { subject: c.edge.subject, predicate: c.edge.predicate, object: c.edge.object, inferred: c.edge.inferred };
      edges.set(edgeKey(edge), edge);
      steps.push({ from: c.from, to: c.next, edge });
      if (seen.has(c.next)) continue;
      if (nodes.size >= options.nodeCap) {
        truncated = true;
        break;
      }
      seen.add(c.next);
      if (row) nodes.set(c.next, { uri: c.next, type: row.type, name: row.name, distance, container: c.container });
      if (c.container) listedContainers.add(c.next);
      else next.push(c.next);
    }
    frontier = next;
  }
  // Edges to nodes dropped by the cap are left out, so every edge joins two returned nodes (or the root).
  const kept = (uri: string): boolean => uri === root || nodes.has(uri);
  for (const [key, e] of edges) if (!kept(e.subject) || !kept(e.object)) edges.delete(key);
  return { nodes, edges, steps: steps.filter((s) => kept(s.from) && kept(s.to)), truncated };
}
