import type { LifecycleState, Tag } from '../domain/entity';
import { isPredicate, LIFECYCLE_STATES } from '../domain/vocabulary';
import { attributesFromFacts } from '../domain/facts';
import type { Db } from '../store/database';
import { entityRow } from '../store/entity-reader';
import { edgeHistory, edgesOf, factHistory, factsAsOf, factTimes, nodesOf } from '../store/graph-reader';
import { requireKnown, unknownEntity } from './known';
import { qualityOfEntity } from './quality';
import type { EntityView, HistoryEntry, Relationship } from './answers';
import type { Edge } from '../domain/edge';

/** The stored support of an inferred edge: the edges its rule found (anything else in it is left out). */
const supportOf = (support: unknown): Edge[] | null =>
  Array.isArray(support)
    ? support.flatMap((e: Partial<Record<keyof Edge, unknown>>) =>
        typeof e.subject === 'string' && typeof e.predicate === 'string' && isPredicate(e.predicate) && typeof e.object === 'string'
          ? [{ subject: e.subject, predicate: e.predicate, object: e.object }]
          : [],
      )
    : null;

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
const lifecycleState = (value: unknown): LifecycleState => LIFECYCLE_STATES.find((state) => state === value) ?? 'placeholder';

/**
 * An entity with its attributes, owners, tags, state, timestamps and relationships, now or as it
 * stood at `asOf` (from the history: hydration and enrichment times are not kept historically, so
 * they are null there). Unknown then: a 404.
 */
export async function entityView(db: Db, uri: string, asOf: Date | null): Promise<EntityView> {
  const row = await entityRow(db, uri);
  if (!row) throw unknownEntity(uri, asOf, 'nativeId');
  let core: Pick<
    EntityView,
    'name' | 'description' | 'state' | 'tags' | 'attributes' | 'createdAt' | 'updatedAt' | 'lastHydratedAt' | 'lastEnrichedAt'
  >;
  if (asOf === null) {
    core = {
      name: row.name,
      description: row.description,
      state: lifecycleState(row.state),
      tags: row.tags,
      attributes: row.attributes,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      lastHydratedAt: iso(row.last_hydrated_at),
      lastEnrichedAt: iso(row.last_enriched_at),
    };
  } else {
    const facts = (await factsAsOf(db, [uri], asOf)).get(uri);
    if (!facts) throw unknownEntity(uri, asOf, 'nativeId');
    const times = await factTimes(db, uri, asOf);
    core = {
      name: typeof facts.name === 'string' ? facts.name : row.native_id,
      description: typeof facts.description === 'string' ? facts.description : null,
      state: lifecycleState(facts.state),
      tags: Array.isArray(facts.tags) ? (facts.tags as unknown as Tag[]) : [],
      attributes: attributesFromFacts(facts),
      createdAt: iso(times.first),
      updatedAt: iso(times.last),
      lastHydratedAt: null,
      lastEnrichedAt: null,
    };
  }
  const edges = core.state === 'deleted' ? [] : await edgesOf(db, uri, asOf);
  const others = [...new Set(edges.map((e) => (e.subject === uri ? e.object : e.subject)))];
  const nodes = await nodesOf(db, others, asOf);
  const relationships: Relationship[] = edges.flatMap((e) => {
    const other = e.subject === uri ? e.object : e.subject;
    const node = nodes.get(other);
    if (!node || node.state === 'deleted') return [];
    return [
      {
        predicate: e.predicate,
        direction: e.subject === uri ? ('out' as const) : ('in' as const),
        uri: other,
        type: node.type,
        name: node.name,
        inferred: e.inferred,
        rule: e.rule,
        support: e.inferred ? supportOf(e.support) : null,
      },
    ];
  });
  relationships.sort((a, b) => `${a.predicate} ${a.direction} ${a.uri}`.localeCompare(`${b.predicate} ${b.direction} ${b.uri}`));
  const named = (predicate: string) =>
    relationships.filter((r) => r.direction === 'out' && r.predicate === predicate).map((r) => ({ uri: r.uri, name: r.name }));
  return {
    uri,
    type: row.type,
    source: row.source,
    nativeId: row.native_id,
    ...core,
    owners: named('owned_by'),
    teams: named('owned_by_team'),
    relationships,
    quality: asOf === null ? await qualityOfEntity(db, uri) : null,
  };
}

/** An entity's facts and edges over time, oldest first: every assertion and retraction with its transaction. */
export async function historyOf(
  db: Db,
  uri: string,
  opts: { asOf: Date | null; limit: number },
): Promise<{ uri: string; entries: HistoryEntry[] }> {
  await requireKnown(db, uri, opts.asOf);
  const until = opts.asOf ?? new Date(8.64e15);
  const [facts, edges] = await Promise.all([factHistory(db, uri, until, opts.limit), edgeHistory(db, uri, until, opts.limit)]);
  const entries: (HistoryEntry & { order: number })[] = [
    ...facts.map((f) => ({
      order: Number(f.txId),
      txId: f.txId,
      at: f.at.toISOString(),
      source: f.source,
      cause: f.cause,
      kind: 'fact' as const,
      op: f.op,
      attribute: f.attribute,
      value: f.value,
      edge: null,
    })),
    ...edges.map((e) => ({
      order: Number(e.txId),
      txId: e.txId,
      at: e.at.toISOString(),
      source: e.source,
      cause: e.cause,
      kind: 'edge' as const,
      op: e.op,
      attribute: null,
      value: null,
      edge: { subject: e.subject, predicate: e.predicate, object: e.object, inferred: e.inferred, rule: e.rule },
    })),
  ];
  entries.sort((a, b) => a.order - b.order);
  return { uri, entries: entries.slice(0, opts.limit).map(({ order: _order, ...entry }) => entry) };
}
