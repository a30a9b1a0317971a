import { edgeKey, type ShownEdge } from '../domain/edge';
import { predicatesWithRole as byRole, type LineageRole, type Predicate } from '../domain/vocabulary';
import type { Db } from '../store/database';
import { walkLineage, type Walk, type WalkPredicates } from '../store/lineage-reader';
import { unknownEntity } from './known';
import type { LineageAnswer } from './answers';

export type Direction = 'upstream' | 'downstream';

export interface LineageNode {
  readonly uri: string;
  readonly type: string;
  readonly name: string;
  readonly distance: number;
  /** Listed because a member it contains was reached; its other members are not followed. */
  readonly container: boolean;
}

export interface Traversal {
  readonly nodes: Map<string, LineageNode>;
  readonly edges: Map<string, ShownEdge>;
  /** Each edge as the traversal walked it: from the node it was reached from, to the node it reached. */
  readonly steps: { readonly from: string; readonly to: string; readonly edge: ShownEdge }[];
  readonly truncated: boolean;
}

export interface TraversalOptions {
  readonly depth: number;
  /** The request parameter that named the root, for the 404 when the root is unknown. */
  readonly parameter?: string;
  readonly nodeCap: number;
  readonly asOf: Date | null;
  /** Only these predicates are followed (all lineage and containment predicates when absent). */
  readonly predicates?: readonly Predicate[];
}

/**
 * Which edges one lineage step follows, by the domain's lineage column: going upstream, out along
 * "object is upstream" edges and in along "object is downstream" ones (and the reverse going
 * downstream); a container steps in to its members; a member lists its container.
 */
function stepPredicates(direction: Direction, only: readonly Predicate[] | undefined): WalkPredicates {
  const allowed = (p: Predicate): boolean => !only || only.includes(p);
  const [outRole, inRole]: [LineageRole, LineageRole] =
    direction === 'upstream' ? ['object-upstream', 'object-downstream'] : ['object-downstream', 'object-upstream'];
  return {
    out: byRole(outRole).filter(allowed),
    in: byRole(inRole).filter(allowed),
    members: byRole('containment').filter(allowed),
    // Two records of one physical dataset: what is upstream of one is upstream of the other.
    same: byRole('equivalence').filter(allowed),
  };
}

/** The edges of some steps, each once by its key; an edge asserted by two origins is shown declared. */
function edgesOf(steps: Walk['steps']): Map<string, ShownEdge> {
  const edges = new Map<string, ShownEdge>();
  for (const { subject, predicate, object, inferred } of steps) {
    const key = edgeKey({ subject, predicate, object });
    if (!inferred || !edges.has(key)) edges.set(key, { subject, predicate, object, inferred });
  }
  return edges;
}

function traversalOf(walk: Walk): Traversal {
  const nodes = new Map(walk.nodes.map((n) => [n.uri, n]));
  const edges = edgesOf(walk.steps);
  const steps = new Map<string, Traversal['steps'][number]>();
  for (const { from, to, subject, predicate, object } of walk.steps) {
    const key = edgeKey({ subject, predicate, object });
    const edge = edges.get(key);
    if (edge) steps.set(`${from}\t${to}\t${key}`, { from, to, edge });
  }
  return { nodes, edges, steps: [...steps.values()], truncated: walk.truncated };
}

/**
 * Breadth-first walks from a root in each of the directions, with a depth bound, a node cap that
 * sets `truncated`, and a visited set that makes cycles harmless; deleted entities are neither
 * returned nor followed. All directions are walked in the database, in one round trip; an unknown
 * root is a 404.
 */
async function walksFrom(db: Db, root: string, directions: readonly Direction[], options: TraversalOptions): Promise<Walk[]> {
  const walks = await walkLineage(
    db,
    directions.map((direction) => ({
      root,
      predicates: stepPredicates(direction, options.predicates),
      depth: options.depth,
      nodeCap: options.nodeCap,
    })),
    options.asOf,
  );
  return walks.map((walk) => {
    if (!walk) throw unknownEntity(root, options.asOf, options.parameter ?? 'nativeId');
    return walk;
  });
}

/** The walks of `walksFrom`, each with its nodes and edges by key and the steps it took. */
export async function traverseAll(db: Db, root: string, directions: readonly Direction[], options: TraversalOptions): Promise<Traversal[]> {
  return (await walksFrom(db, root, directions, options)).map(traversalOf);
}

export async function traverse(db: Db, root: string, direction: Direction, options: TraversalOptions): Promise<Traversal> {
  const [walk] = await traverseAll(db, root, [direction], options);
  if (!walk) throw new Error('a walk answers one traversal per direction');
  return walk;
}

/**
 * The lineage question: the subgraph upstream, downstream or both ways of a root, optionally only
 * along some predicates and showing only some types; nodes nearest first, edges between shown nodes.
 */
export async function lineageOf(
  db: Db,
  root: string,
  opts: TraversalOptions & { readonly direction: Direction | 'both'; readonly types?: readonly string[] },
): Promise<LineageAnswer> {
  const directions: Direction[] = opts.direction === 'both' ? ['upstream', 'downstream'] : [opts.direction];
  const walks = await walksFrom(db, root, directions, opts);
  const nodes = walks.flatMap((walk, i) => walk.nodes.map((node) => ({ ...node, direction: directions[i] ?? 'downstream' })));
  const kept = opts.types ? nodes.filter((n) => opts.types?.includes(n.type)) : nodes;
  const shown = new Set([root, ...kept.map((n) => n.uri)]);
  const edges = [...edgesOf(walks.flatMap((walk) => walk.steps))].filter(([, e]) => shown.has(e.subject) && shown.has(e.object));
  // Code-unit order, as the database orders each level (collate "C"); edges by their key, computed once.
  const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return {
    root,
    direction: opts.direction,
    depth: opts.depth,
    asOf: opts.asOf?.toISOString() ?? null,
    nodes: kept.sort((a, b) => a.distance - b.distance || byCodeUnits(a.uri, b.uri)),
    edges: edges.sort(([a], [b]) => byCodeUnits(a, b)).map(([, edge]) => edge),
    truncated: walks.some((walk) => walk.truncated),
  };
}
