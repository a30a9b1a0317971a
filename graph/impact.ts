import { PREDICATE_NAMES } from '../domain/vocabulary';
import type { Db } from '../store/database';
import { edgesAround, nodesOf } from '../store/graph-reader';
import { walkColumnsCapped } from './column-lineage';
import { requireKnown } from './known';
import { traverse, type LineageNode } from './lineage';
import type { Impact, Reached, Usage } from './answers';

const reached = ({ uri, type, name, distance }: LineageNode): Reached => ({ uri, type, name, distance });

/** What breaks if the root changes: its downstream entities grouped by type, with their owners. */
export async function impactOf(db: Db, root: string, opts: { depth: number; nodeCap: number; asOf: Date | null }): Promise<Impact> {
  const downstream = await traverse(db, root, 'downstream', opts);
  return impactAnswer(db, root, [...downstream.nodes.values()], downstream.truncated, opts);
}

/** Dataset-level steps a column's impact follows: everything but a run's reads and writes, which name no column. */
const BEYOND_COLUMNS = PREDICATE_NAMES.filter((p) => p !== 'reads' && p !== 'writes');

/**
 * What breaks if one column of a dataset changes: the columns downstream of it (column lineage), and
 * from its dataset and theirs what depends on them as a whole (the same dataset elsewhere, features
 * derived from it, the model instances using those, their A/B tests and services), grouped by type
 * with their owners. Runs that merely read the dataset are left out: they name no column.
 */
export async function columnImpactOf(db: Db, root: string, opts: { field: string; depth: number; nodeCap: number }): Promise<Impact> {
  await requireKnown(db, root, null);
  const { steps, truncated: columnsTruncated } = await walkColumnsCapped(db, { uri: root, direction: 'downstream', ...opts });
  const columns = new Map<string, { dataset: string; field: string; distance: number }>();
  for (const s of steps) {
    const key = `${s.outputUri}\t${s.outputField}`;
    if (!columns.has(key)) columns.set(key, { dataset: s.outputUri, field: s.outputField, distance: s.distance });
  }
  const starts = new Map<string, number>([[root, 0]]);
  for (const c of columns.values()) if (!starts.has(c.dataset)) starts.set(c.dataset, c.distance);
  const nodes = new Map<string, LineageNode>();
  let truncated = columnsTruncated;
  for (const [dataset, offset] of starts) {
    const walk = await traverse(db, dataset, 'downstream', { ...opts, asOf: null, predicates: BEYOND_COLUMNS });
    truncated ||= walk.truncated;
    const own = await nodesOf(db, [dataset], null);
    const reachedHere = [...walk.nodes.values()].map((n) => ({ ...n, distance: n.distance + offset }));
    if (dataset !== root)
      reachedHere.push({ uri: dataset, type: 'dataset', name: own.get(dataset)?.name ?? dataset, distance: offset, container: false });
    for (const n of reachedHere) if (n.uri !== root && (nodes.get(n.uri)?.distance ?? Infinity) > n.distance) nodes.set(n.uri, n);
  }
  const answer = await impactAnswer(db, root, [...nodes.values()], truncated, { depth: opts.depth, asOf: null });
  return { ...answer, columns: [...columns.values()] };
}

async function impactAnswer(
  db: Db,
  root: string,
  reachedNodes: readonly LineageNode[],
  truncated: boolean,
  opts: { depth: number; asOf: Date | null },
): Promise<Impact> {
  const nodes = reachedNodes.filter((n) => !n.container);
  const ownership = await edgesAround(
    db,
    nodes.map((n) => n.uri),
    'out',
    ['owned_by', 'owned_by_team'],
    opts.asOf,
  );
  const ownerNodes = await nodesOf(db, [...new Set(ownership.map((e) => e.object))], opts.asOf);
  const ownersOf = (uri: string, predicate: string) =>
    ownership
      .filter((e) => e.subject === uri && e.predicate === predicate && ownerNodes.has(e.object))
      .map((e) => e.object)
      .sort();
  const byType = Map.groupBy(
    nodes.sort((a, b) => a.distance - b.distance || a.uri.localeCompare(b.uri)),
    (node) => node.type,
  );
  const named = (predicate: string) =>
    [...new Set(ownership.filter((e) => e.predicate === predicate).map((e) => e.object))]
      .flatMap((uri) => (ownerNodes.get(uri) ? [{ uri, name: ownerNodes.get(uri)?.name ?? uri }] : []))
      .sort((a, b) => a.uri.localeCompare(b.uri));
  return {
    root,
    depth: opts.depth,
    groups: [...byType.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, reachedOfType]) => ({
        type,
        count: reachedOfType.length,
        entities: reachedOfType.map((node) => ({
          ...reached(node),
          owners: ownersOf(node.uri, 'owned_by'),
          teams: ownersOf(node.uri, 'owned_by_team'),
        })),
      })),
    notify: { users: named('owned_by'), teams: named('owned_by_team') },
    total: nodes.length,
    truncated,
  };
}

/** The A/B tests and services that use an entity, directly or through its instances (anything downstream). */
export async function usageOf(db: Db, root: string, opts: { depth: number; nodeCap: number; asOf: Date | null }): Promise<Usage> {
  const downstream = await traverse(db, root, 'downstream', opts);
  const ofType = (type: string) =>
    [...downstream.nodes.values()]
      .filter((n) => n.type === type)
      .sort((a, b) => a.distance - b.distance || a.uri.localeCompare(b.uri))
      .map(reached);
  return { root, abTests: ofType('ab-test'), services: ofType('service'), truncated: downstream.truncated };
}
