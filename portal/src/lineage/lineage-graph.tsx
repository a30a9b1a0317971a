import { Background, Controls, Handle, MiniMap, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import { useMemo } from 'react';
import { typeLabel } from '../format';
import { flowOf, layered, NODE_HEIGHT, NODE_WIDTH } from './layout';
import type { Edge as GraphEdge } from '../../../domain/edge';

export interface GraphNodeIn {
  readonly uri: string;
  readonly type: string;
  readonly name: string;
}

interface EntityData extends Record<string, unknown> {
  readonly entity: GraphNodeIn;
  readonly root: boolean;
  readonly expand: ((uri: string) => void) | null;
}
type EntityNode = Node<EntityData, 'entity'>;

function EntityNodeView({ data }: NodeProps<EntityNode>) {
  const { entity, root, expand } = data;
  return (
    <div className={`flow-node t-${entity.type}${root ? ' root' : ''}`} style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}>
      <Handle type="target" position={Position.Left} />
      <span className="flow-type">{typeLabel(entity.type)}</span>
      <span className="flow-name" title={entity.name}>
        {entity.name}
      </span>
      {expand && (
        <button
          type="button"
          className="expand nodrag"
          aria-label={`Expand ${entity.name}`}
          title="Expand in place"
          onClick={(event) => {
            event.stopPropagation();
            expand(entity.uri);
          }}
        >
          +
        </button>
      )}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

const NODE_TYPES = { entity: EntityNodeView };
/** Above this many edges, edges go without their predicate's label, and the overview map is left out. */
const LABELLED_EDGES = 150;

/** The lineage picture: a layered layout (dagre) drawn with React Flow; click a node to open it, + to expand it here. */
export function LineageGraph(props: {
  root: string;
  nodes: readonly GraphNodeIn[];
  edges: readonly GraphEdge[];
  onOpen: (uri: string) => void;
  onExpand: ((uri: string) => void) | null;
}) {
  const { root, nodes, edges, onOpen, onExpand } = props;
  const flow = useMemo(() => {
    const flowEdges = edges.map(flowOf);
    const ids = nodes.map((n) => n.uri);
    const placed = layered(ids, flowEdges);
    const known = new Set(ids);
    const drawnNodes: EntityNode[] = nodes.map((n) => ({
      id: n.uri,
      type: 'entity',
      position: { x: placed.get(n.uri)?.x ?? 0, y: placed.get(n.uri)?.y ?? 0 },
      // Known sizes: React Flow draws the nodes at once instead of measuring each first.
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      data: { entity: n, root: n.uri === root, expand: n.uri === root ? null : onExpand },
      ariaLabel: `${typeLabel(n.type)} ${n.name}`,
    }));
    // Edge labels are measured one by one by the browser: past a few hundred edges they cost more than they tell.
    const labelled = flowEdges.length <= LABELLED_EDGES;
    const drawnEdges: Edge[] = flowEdges
      .filter((e) => known.has(e.source) && known.has(e.target))
      .map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        className: `e-${e.predicate}`,
        ...(labelled ? { label: e.predicate.replace(/_/g, ' ') } : {}),
      }));
    return { nodes: drawnNodes, edges: drawnEdges };
  }, [root, nodes, edges, onExpand]);
  return (
    <div className="lineage-canvas" data-nodes={flow.nodes.length} data-edges={flow.edges.length}>
      <ReactFlow
        nodes={flow.nodes}
        edges={flow.edges}
        nodeTypes={NODE_TYPES}
        onNodeClick={(_event, node) => onOpen(node.id)}
        nodesConnectable={false}
        nodesDraggable={false}
        fitView
        minZoom={0.05}
      >
        <Background />
        <Controls showInteractive={false} />
        {flow.edges.length <= LABELLED_EDGES && <MiniMap pannable zoomable ariaLabel="Overview of the lineage picture" />}
      </ReactFlow>
    </div>
  );
}
