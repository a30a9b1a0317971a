import { createHash } from 'node:crypto';
import type { Json, Resolved, ResolvedEntity, ResolvedRef } from '../domain/entity';
import { edgeKey, edgeOf, type Edge } from '../domain/edge';
import type { ChangeVerdict } from '../domain/event-loss';
import { canonicalJson, diffByKey, diffFacts, factsOf, factsOfEntity, type FactChange, type FactMap } from '../domain/facts';
import { SOURCE_OF, type LifecycleState } from '../domain/vocabulary';
import type { EdgeChange } from './history';
import type { EntityRow } from './schema';

/**
 * The plan of a write of hydrated states, decided from the locked rows before anything is written:
 * pure, so that its rules (newest fetch wins, unchanged content records only a read, an enriched
 * entity that changes goes back to hydrated, unknown references become placeholders) are tested
 * without a server. store/persist-hydration.ts reads the rows and applies the plans.
 */

export interface PageItem {
  readonly resolved: Resolved;
  readonly fetchedAt: Date;
}

/** What the changes of a write add to their source's event-loss counts. */
export interface ChangeCounts {
  readonly announced: number;
  readonly unannounced: number;
}

export interface PersistResult {
  /** Whether anything was appended to the history. */
  readonly changed: boolean;
  readonly txId: string | null;
  /** Entities whose search documents may have changed. */
  readonly touched: readonly string[];
  readonly placeholders: readonly string[];
  /** Nothing was written because the stored state was fetched later than this one. */
  readonly superseded?: true;
  /** An entity already read from its source before has a new state (not its first one): what it counts for event loss. */
  readonly revision?: ChangeCounts;
}

export const UNCHANGED = (): PersistResult => ({ changed: false, txId: null, touched: [], placeholders: [] });
export const SUPERSEDED: PersistResult = { ...UNCHANGED(), superseded: true };

/** What one item of a write comes to. */
export type Plan =
  | { readonly kind: 'superseded' }
  | {
      readonly kind: 'unchanged';
      readonly written: readonly string[];
      readonly fetchedAt: Date;
      /** The content hash to record, when the stored row lacks it. */
      readonly hash: { uri: string; value: string } | null;
    }
  | {
      readonly kind: 'changed';
      readonly item: PageItem;
      readonly hash: string;
      readonly facts: ReadonlyMap<string, FactChange[]>;
      /** Written entities whose facts or (the primary's) edges changed: they go back to hydrated. */
      readonly changedUris: ReadonlySet<string>;
      readonly edgeChanges: readonly EdgeChange[];
      readonly missing: readonly ResolvedRef[];
    };

export type ChangedPlan = Extract<Plan, { kind: 'changed' }>;

export const contentHash = (resolved: Resolved): string =>
  createHash('sha256')
    .update(canonicalJson(resolved as unknown as Json))
    .digest('base64url');

/** The facts a projection row stands for: the one mapping from a row back to facts. */
export function factsOfRow(row: EntityRow): FactMap {
  return factsOf({
    name: row.name,
    description: row.description,
    tags: row.tags,
    state: row.state as LifecycleState,
    attributes: row.attributes,
  });
}

/** Whether the entity's state came from its source (it is neither a placeholder nor deleted). */
export const readFromSource = (row: EntityRow | undefined): row is EntityRow => row?.state === 'hydrated' || row?.state === 'enriched';

/** The state an entity keeps when rewritten: hydrated, or enriched if it was enriched. */
export const keptState = (row: EntityRow | undefined): LifecycleState => (row?.state === 'enriched' ? 'enriched' : 'hydrated');

/**
 * The plan of one item, from the locked rows of what it writes, the primary's current declared
 * edges, and the URIs known (rows that exist) among the other ends of its edges.
 */
export function planItem(item: PageItem, rows: ReadonlyMap<string, EntityRow>, current: readonly Edge[], known: ReadonlySet<string>): Plan {
  const { resolved, fetchedAt } = item;
  const hash = contentHash(resolved);
  const written = [resolved.primary, ...resolved.dependents];
  const writtenUris = written.map((w) => w.uri);
  const primaryRow = rows.get(resolved.primary.uri);
  if (primaryRow?.fetched_at && primaryRow.fetched_at > fetchedAt) return { kind: 'superseded' };
  // The entities this payload describes were all just read from the source, changed or not.
  if (primaryRow?.content_hash === hash && readFromSource(primaryRow))
    return { kind: 'unchanged', written: writtenUris, fetchedAt, hash: null };
  const origin = resolved.primary.uri;
  const asKey = (e: Edge): [string, Edge] => [edgeKey(e), edgeOf(e)];
  const edgeDiff = diffByKey(
    new Map(current.map(asKey)),
    new Map(resolved.edges.map((e) => asKey({ subject: e.subject.uri, predicate: e.predicate, object: e.object.uri }))),
  );
  const declared =
    (op: 'assert' | 'retract') =>
    (e: Edge): EdgeChange => ({ ...e, origin, op, inferred: false, rule: null, support: null });
  const edgeChanges: EdgeChange[] = [...edgeDiff.removed.map(declared('retract')), ...edgeDiff.added.map(declared('assert'))];

  const facts = new Map<string, FactChange[]>();
  const changedUris = new Set<string>();
  for (const w of written) {
    const row = rows.get(w.uri);
    const changes = diffFacts(row ? factsOfRow(row) : {}, factsOfEntity(w.entity, keptState(row)));
    const entityChanged = changes.length > 0 || (w === resolved.primary && edgeChanges.length > 0);
    if (entityChanged) changedUris.add(w.uri);
    // New facts or edges call for enrichment again: an enriched entity goes back to hydrated.
    facts.set(
      w.uri,
      entityChanged && row?.state === 'enriched' ? diffFacts(factsOfRow(row), factsOfEntity(w.entity, 'hydrated')) : changes,
    );
  }
  const writtenSet = new Set(writtenUris);
  const missing = [
    ...new Map(
      resolved.edges
        .flatMap((e) => [e.subject, e.object])
        .filter((ref) => !writtenSet.has(ref.uri) && !known.has(ref.uri))
        .map((ref) => [ref.uri, ref]),
    ).values(),
  ];
  const anyFacts = [...facts.values()].some((changes) => changes.length > 0);
  if (!anyFacts && edgeChanges.length === 0 && missing.length === 0) {
    return { kind: 'unchanged', written: writtenUris, fetchedAt, hash: { uri: origin, value: hash } };
  }
  return { kind: 'changed', item, hash, facts, changedUris, edgeChanges, missing };
}

/** A projection row to write for an entity of a changed plan. */
export interface ProjectionEntry {
  readonly w: ResolvedEntity;
  readonly row: EntityRow | undefined;
  readonly changed: boolean;
  readonly hash: string | null;
  readonly fetchedAt: Date;
  readonly verdict: ChangeVerdict | null;
}

/** The projection entries of changed plans: every entity each writes, the primary with its hash and verdict. */
export const projectionEntries = (
  changed: readonly ChangedPlan[],
  rows: ReadonlyMap<string, EntityRow>,
  verdictOf: (uri: string) => ChangeVerdict | null,
): ProjectionEntry[] =>
  changed.flatMap((p) =>
    [p.item.resolved.primary, ...p.item.resolved.dependents].map((w) => {
      const primary = w === p.item.resolved.primary;
      return {
        w,
        row: rows.get(w.uri),
        changed: p.changedUris.has(w.uri),
        hash: primary ? p.hash : null,
        fetchedAt: p.item.fetchedAt,
        verdict: primary ? verdictOf(w.uri) : null,
      };
    }),
  );

/** The values of projection rows, one per entity (a statement may not rewrite the same row twice). */
export function projectionValues(entries: readonly ProjectionEntry[], at: Date) {
  const unique = [...new Map(entries.map((e) => [e.w.uri, e])).values()];
  return unique.map(({ w, row, changed, hash, fetchedAt, verdict }) => {
    const e = w.entity;
    return {
      uri: w.uri,
      type: e.type,
      source: e.source ?? SOURCE_OF[e.type],
      native_id: e.nativeId,
      name: e.name,
      description: e.description,
      state: changed ? 'hydrated' : keptState(row),
      attributes: JSON.stringify(e.attributes),
      tags: JSON.stringify(e.tags),
      lookup_key: e.lookupKey,
      content_hash: hash,
      created_at: at,
      updated_at: changed || !row ? at : row.updated_at,
      last_hydrated_at: at,
      last_enriched_at: null,
      touched_at: at,
      fetched_at: fetchedAt,
      change_period: verdict ? verdict.period : (row?.change_period ?? null),
      change_announced: verdict ? verdict.announced : (row?.change_announced ?? null),
    };
  });
}

/** The row of a placeholder for a reference no source has served yet. */
export const placeholderValues = (ref: ResolvedRef, at: Date) => ({
  uri: ref.uri,
  type: ref.type,
  source: ref.source ?? SOURCE_OF[ref.type],
  native_id: ref.nativeId,
  lookup_key: ref.lookupKey,
  name: ref.nativeId,
  description: null,
  state: 'placeholder',
  attributes: '{}',
  tags: '[]',
  content_hash: null,
  created_at: at,
  updated_at: at,
  last_hydrated_at: null,
  last_enriched_at: null,
  touched_at: at,
});

/** What each plan's item came to, once the changed ones are written in transaction `txId`. */
export function resultsOf(
  plans: readonly Plan[],
  written: { txId: string; placeholders: ReadonlySet<string>; counts: ReadonlyMap<string, ChangeCounts> } | null,
): PersistResult[] {
  return plans.map((p) => {
    if (p.kind === 'superseded') return SUPERSEDED;
    if (p.kind === 'unchanged' || written === null) return UNCHANGED();
    const own = p.missing.map((ref) => ref.uri).filter((uri) => written.placeholders.has(uri));
    const touched = new Set([
      p.item.resolved.primary.uri,
      ...p.item.resolved.dependents.map((d) => d.uri),
      ...own,
      ...p.edgeChanges.flatMap((e) => [e.subject, e.object]),
    ]);
    const count = written.counts.get(p.item.resolved.primary.uri);
    const revised = count ? { revision: { announced: count.announced, unannounced: count.unannounced } } : {};
    return { changed: true, txId: written.txId, touched: [...touched], placeholders: own, ...revised };
  });
}
