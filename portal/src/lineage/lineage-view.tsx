import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ENTITY_TYPES } from '../../../domain/vocabulary';
import { parseUri } from '../../../domain/uri';
import { getJson, type Lineage } from '../api';
import { withAsOf } from '../as-of';
import { typeLabel } from '../format';
import { apiPath, pathOfUri } from '../links';
import { useApi } from '../use-api';
import { LineageGraph, type GraphNodeIn } from './lineage-graph';
import type { Edge as GraphEdge } from '../../../domain/edge';

const DIRECTIONS = ['upstream', 'downstream', 'both'] as const;
type Direction = (typeof DIRECTIONS)[number];
const MAX_DEPTH = 10;

interface Expansion {
  readonly nodes: GraphNodeIn[];
  readonly edges: GraphEdge[];
}

/** Lineage with its controls (direction, depth, types) in the address, so that a picture can be shared. */
export function LineageView({ uri, name, type, asOf }: { uri: string; name: string; type: string; asOf: string | null }) {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const direction = (DIRECTIONS as readonly string[]).includes(params.get('direction') ?? '')
    ? (params.get('direction') as Direction)
    : 'both';
  const depth = Math.min(MAX_DEPTH, Math.max(1, Number(params.get('depth') ?? 3) || 3));
  const types = params.getAll('types');
  const set = (key: string, values: readonly string[]) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.delete(key);
      for (const v of values) next.append(key, v);
      return next;
    });
  const lineage = useApi<Lineage>(apiPath(parseUri(uri), '/lineage'), { direction, depth, types, asOf });
  const [expanded, setExpanded] = useState<Expansion>({ nodes: [], edges: [] });
  const [expandError, setExpandError] = useState<string | null>(null);
  const answerKey = `${uri} ${direction} ${depth} ${types.join(',')} ${asOf ?? ''}`;
  useEffect(() => setExpanded({ nodes: [], edges: [] }), [answerKey]);
  const expand = useCallback(
    (node: string) => {
      getJson<Lineage>(apiPath(parseUri(node), '/lineage'), { direction, depth: 1, types, asOf }).then(
        (more) =>
          setExpanded((current) => ({
            nodes: [...current.nodes, ...more.nodes],
            edges: [...current.edges, ...more.edges],
          })),
        (error: unknown) => setExpandError(String(error)),
      );
    },
    [direction, types, asOf],
  );
  const open = useCallback(
    (target: string) => {
      const path = pathOfUri(target);
      if (path) void navigate(withAsOf(`${path}?view=lineage`, asOf));
    },
    [navigate, asOf],
  );
  const nodes = dedupe([{ uri, name, type }, ...(lineage.data?.nodes ?? []), ...expanded.nodes]);
  const edges = [
    ...new Map([...(lineage.data?.edges ?? []), ...expanded.edges].map((e) => [`${e.subject} ${e.predicate} ${e.object}`, e])).values(),
  ];
  return (
    <section aria-label="Lineage" className="lineage">
      <form className="lineage-controls" onSubmit={(e) => e.preventDefault()}>
        <label>
          Direction{' '}
          <select value={direction} onChange={(e) => set('direction', [e.target.value])}>
            {DIRECTIONS.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label>
          Depth <input type="number" min={1} max={MAX_DEPTH} value={depth} onChange={(e) => set('depth', [e.target.value])} />
        </label>
        <fieldset>
          <legend>Types</legend>
          {ENTITY_TYPES.filter((t) => t !== 'user' && t !== 'team').map((t) => (
            <label key={t}>
              <input
                type="checkbox"
                checked={types.includes(t)}
                onChange={() => set('types', types.includes(t) ? types.filter((x) => x !== t) : [...types, t])}
              />
              {typeLabel(t)}
            </label>
          ))}
        </fieldset>
      </form>
      {lineage.error && <p role="alert">{lineage.error.message}</p>}
      {expandError && <p role="alert">{expandError}</p>}
      {lineage.data?.truncated && (
        <p className="warning" role="status">
          Truncated: the walk stopped at the node cap. Narrow it with a smaller depth or a type filter.
        </p>
      )}
      {lineage.data ? (
        <>
          <p className="muted">
            {nodes.length} entities, {edges.length} edges
          </p>
          <LineageGraph root={uri} nodes={nodes} edges={edges} onOpen={open} onExpand={expand} />
        </>
      ) : (
        !lineage.error && <p className="muted">Loading…</p>
      )}
    </section>
  );
}

const dedupe = (list: readonly GraphNodeIn[]): GraphNodeIn[] => [...new Map(list.map((n) => [n.uri, n])).values()];
