import { Graph, layout } from '@dagrejs/dagre';
import type { Edge } from '../../../domain/edge';
import { PREDICATES } from '../../../domain/vocabulary';

export interface Placed {
  readonly id: string;
  readonly x: number;
  readonly y: number;
}

/** An edge as drawn: from the upstream end (`source`) to the downstream one. */
export type FlowEdge = Pick<Edge, 'predicate'> & { readonly id: string; readonly source: string; readonly target: string };

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 52;

/**
 * The way data flows along an edge, so that the picture reads upstream → downstream, left to right:
 * `uses_feature` (object upstream) is drawn feature → instance, `writes` run → dataset, a member
 * towards its container.
 */
export function flowOf(edge: Edge): FlowEdge {
  const upstreamObject = PREDICATES[edge.predicate].lineage === 'object-upstream';
  const [source, target] = upstreamObject ? [edge.object, edge.subject] : [edge.subject, edge.object];
  return { id: `${edge.subject} ${edge.predicate} ${edge.object}`, source, target, predicate: edge.predicate };
}

/** A layered layout (dagre): each node's top-left corner, flowing left to right. Edges to unknown nodes are left out. */
export function layered(nodeIds: readonly string[], edges: readonly FlowEdge[]): Map<string, Placed> {
  const graph = new Graph<object, { width: number; height: number; x?: number; y?: number }, object>({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 70 });
  graph.setDefaultEdgeLabel(() => ({}));
  const known = new Set(nodeIds);
  for (const id of nodeIds) graph.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of edges)
    if (known.has(e.source) && known.has(e.target) && e.source !== e.target) graph.setEdge(e.source, e.target, {}, e.id);
  layout(graph);
  const placed = new Map<string, Placed>();
  for (const id of nodeIds) {
    const n = graph.node(id);
    placed.set(id, { id, x: (n.x ?? 0) - NODE_WIDTH / 2, y: (n.y ?? 0) - NODE_HEIGHT / 2 });
  }
  return placed;
}
