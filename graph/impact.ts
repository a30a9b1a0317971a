import type { Db } from '../store/database';
import { edgesAround, nodesOf } from '../store/graph-reader';
import { traverse, type LineageNode } from './lineage';

/** An entity as the impact and usage answers list it. */
export interface Reached {
  readonly uri: string;
  readonly type: string;
  readonly name: string;
  readonly distance: number;
}

const reached = ({ uri, type, name, distance }: LineageNode): Reached => ({ uri, type, name, distance });

export interface ImpactGroup {
  readonly type: string;
  readonly count: number;
  readonly entities: (Reached & { owners: string[]; teams: string[] })[];
}

export interface Impact {
  readonly root: string;
  readonly depth: number;
  readonly groups: ImpactGroup[];
  /** The users and teams to notify: owners of anything downstream. */
  readonly notify: { users: { uri: string; name: string }[]; teams: { uri: string; name: string }[] };
  readonly total: number;
  readonly truncated: boolean;
}

/** What breaks if the root changes: its downstream entities grouped by type, with their owners. */
export async function impactOf(db: Db, root: string, opts: { depth: number; nodeCap: number; asOf: Date | null }): Promise<Impact> {
  const downstream = await traverse(db, root, 'downstream', opts);
  const nodes = [...downstream.nodes.values()].filter((n) => !n.container);
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
  const byType = new Map<string, ImpactGroup['entities']>();
  for (const node of nodes.sort((a, b) => a.distance - b.distance || a.uri.localeCompare(b.uri))) {
    byType.set(node.type, [
      ...(byType.get(node.type) ?? []),
      { ...reached(node), owners: ownersOf(node.uri, 'owned_by'), teams: ownersOf(node.uri, 'owned_by_team') },
    ]);
  }
  const named = (predicate: string) =>
    [...new Set(ownership.filter((e) => e.predicate === predicate).map((e) => e.object))]
      .flatMap((uri) => (ownerNodes.get(uri) ? [{ uri, name: ownerNodes.get(uri)?.name ?? uri }] : []))
      .sort((a, b) => a.uri.localeCompare(b.uri));
  return {
    root,
    depth: opts.depth,
    groups: [...byType.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, entities]) => ({ type, count: entities.length, entities })),
    notify: { users: named('owned_by'), teams: named('owned_by_team') },
    total: nodes.length,
    truncated: downstream.truncated,
  };
}

export interface Usage {
  readonly root: string;
  readonly abTests: Reached[];
  readonly services: Reached[];
  readonly truncated: boolean;
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
