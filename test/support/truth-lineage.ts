import type { GroundTruth } from '../../demo/world/truth';

/**
 * Lineage over the ground truth, written independently of the service's traversal, from the domain
 * table: how each predicate carries lineage.
 */
const ROLE: Record<string, 'up' | 'down' | 'contain' | 'none'> = {
  derived_from: 'up',
  produced_by: 'up',
  reads: 'up',
  uses_feature: 'up',
  writes: 'down',
  executed_for: 'down',
  deployed_to: 'down',
  tested_in: 'down',
  version_of: 'contain',
  run_of: 'contain',
  cell_of: 'contain',
  member_of: 'contain',
  owned_by: 'none',
  owned_by_team: 'none',
};

export function truthLineage(truth: GroundTruth, root: string, direction: 'upstream' | 'downstream', depth: number): Map<string, number> {
  const out = new Map<string, { p: string; o: string }[]>();
  const inn = new Map<string, { p: string; s: string }[]>();
  for (const e of truth.edges) {
    out.set(e.subject, [...(out.get(e.subject) ?? []), { p: e.predicate, o: e.object }]);
    inn.set(e.object, [...(inn.get(e.object) ?? []), { p: e.predicate, s: e.subject }]);
  }
  const forward = direction === 'upstream' ? 'up' : 'down';
  const backward = direction === 'upstream' ? 'down' : 'up';
  const found = new Map<string, number>();
  let frontier = [root];
  const seen = new Set([root]);
  for (let d = 1; d <= depth && frontier.length > 0; d++) {
    const outs = frontier.flatMap((n) => out.get(n) ?? []);
    const ins = frontier.flatMap((n) => inn.get(n) ?? []);
    // Lineage edges first, then a container's members, then a member's container (listed, not followed).
    const reach: [string, boolean][] = [
      ...outs.filter((e) => ROLE[e.p] === forward).map((e) => [e.o, false] as [string, boolean]),
      ...ins.filter((e) => ROLE[e.p] === backward).map((e) => [e.s, false] as [string, boolean]),
      ...ins.filter((e) => ROLE[e.p] === 'contain').map((e) => [e.s, false] as [string, boolean]),
      ...outs.filter((e) => ROLE[e.p] === 'contain').map((e) => [e.o, true] as [string, boolean]),
    ];
    const next: string[] = [];
    for (const [uri, isContainer] of reach) {
      if (seen.has(uri)) continue;
      seen.add(uri);
      found.set(uri, d);
      if (!isContainer) next.push(uri);
    }
    frontier = next;
  }
  return found;
}
