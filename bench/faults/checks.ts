import { sql } from 'kysely';
import { consumerLag, topicMessageCount } from '../../bus/kafka';
import { groundTruth, type GroundTruth } from '../../demo/world/truth';
import { parseUri } from '../../domain/uri';
import type { EntityDocument } from '../../search/documents';
import { indexNames } from '../../search/indices';
import { graphOf, truthSnapshot, type GraphSnapshot } from '../../test/support/graph';
import type { SystemUnderFault } from './system';

/** What the graph, the index and Kafka hold against the ground truth once the system settled. */
export interface Verdict {
  readonly truthEntities: number;
  readonly truthEdges: number;
  /** Through the public API: entities the API does not serve as the truth has them (name, owners, tags). */
  readonly entitiesMissing: number;
  readonly ownersMissing: number;
  /** Through the public API: declared and inferred edges of the truth that the API does not show. */
  readonly edgesMissing: number;
  /** In the database: entities and edges the truth does not have. */
  readonly entitiesExtra: number;
  readonly edgesExtra: number;
  /** In the search index: truth entities without a document, or with one that disagrees on name or owners. */
  readonly documentsMissing: number;
  /** The same fact or edge asserted (or retracted) twice in a row, with nothing new: an event applied twice. */
  readonly duplicatedFacts: number;
  readonly duplicatedEdges: number;
  /** Transactions that wrote nothing: a re-processed event that still left a trace. */
  readonly emptyTransactions: number;
  /** Events in Kafka that the consumer group did not commit. */
  readonly eventsLeftInKafka: number;
  /** Valid events sent to the dead-letter topic (the demo sends only valid ones). */
  readonly deadLettered: number;
  readonly samples: readonly string[];
}

export const isClean = (v: Verdict): boolean =>
  v.entitiesMissing +
    v.ownersMissing +
    v.edgesMissing +
    v.entitiesExtra +
    v.edgesExtra +
    v.documentsMissing +
    v.duplicatedFacts +
    v.duplicatedEdges +
    v.emptyTransactions +
    v.eventsLeftInKafka +
    v.deadLettered ===
  0;

interface ApiEntity {
  uri: string;
  name: string;
  state: string;
  owners: { uri: string }[];
  tags: { tag: string; value: string }[];
  relationships: { predicate: string; direction: 'in' | 'out'; uri: string; inferred: boolean }[];
}

/** The graph as the public API serves it, entity by entity, in the shape the truth is compared in. */
async function graphThroughApi(system: SystemUnderFault, truth: GroundTruth): Promise<{ snapshot: GraphSnapshot; failures: string[] }> {
  const entities: GraphSnapshot['entities'] = [];
  const edges: string[] = [];
  const failures: string[] = [];
  const queue = [...truth.entities];
  const worker = async (): Promise<void> => {
    for (let next = queue.pop(); next; next = queue.pop()) {
      const { type, source, nativeId } = parseUri(next.uri);
      const response = await system.get(`/v1/entities/${type}/${source}/${encodeURIComponent(nativeId)}`);
      if (response.status !== 200) {
        failures.push(`${next.uri}: ${response.status}`);
        continue;
      }
      const view = response.body as ApiEntity;
      entities.push({
        uri: view.uri,
        type,
        name: view.state === 'placeholder' ? `(placeholder) ${view.name}` : view.name,
        owners: view.owners.map((o) => o.uri).sort(),
        tags: view.tags.map((t) => `${t.tag}::${t.value}`).sort(),
      });
      for (const r of view.relationships) if (r.direction === 'out') edges.push(`${view.uri} ${r.predicate} ${r.uri}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { snapshot: { entities: entities.sort((a, b) => a.uri.localeCompare(b.uri)), edges: [...new Set(edges)].sort() }, failures };
}

async function documentsMissing(system: SystemUnderFault, truth: GroundTruth): Promise<string[]> {
  const index = indexNames(system.h.services.config.elasticsearch.indexPrefix).entities;
  await system.h.services.search.indices.refresh({ index });
  const missing: string[] = [];
  for (let i = 0; i < truth.entities.length; i += 1000) {
    const chunk = truth.entities.slice(i, i + 1000);
    const { docs } = await system.h.services.search.mget<EntityDocument>({ index, ids: chunk.map((e) => e.uri) });
    docs.forEach((doc, j) => {
      const expected = chunk[j];
      if (!expected) return;
      const source = 'found' in doc && doc.found ? doc._source : undefined;
      const sameOwners = source && JSON.stringify([...source.owners].sort()) === JSON.stringify([...expected.owners].sort());
      if (!source || source.name !== expected.name || !sameOwners) missing.push(expected.uri);
    });
  }
  return missing;
}

async function duplicates(system: SystemUnderFault): Promise<{ facts: string[]; edges: string[]; emptyTx: string[] }> {
  const db = system.h.services.db;
  const facts = await sql<{ what: string }>`
    select entity_uri || ' ' || attribute || ' ' || op || ' tx ' || tx_id as what from (
      select entity_uri, attribute, tx_id, op, value, lag(op) over w as prev_op, lag(value) over w as prev_value
      from facts window w as (partition by entity_uri, attribute order by tx_id, id)) f
    where prev_op = op and (op = 'retract' or value is not distinct from prev_value)`.execute(db);
  // An inferred edge asserted again with other support is a provenance update, not a duplicate.
  const edges = await sql<{ what: string }>`
    select subject || ' ' || predicate || ' ' || object || ' ' || op || ' tx ' || tx_id as what from (
      select subject, predicate, object, tx_id, op, support, lag(op) over w as prev_op, lag(support) over w as prev_support
      from edges window w as (partition by subject, predicate, object, origin, inferred order by tx_id, id)) e
    where prev_op = op and (op = 'retract' or support is not distinct from prev_support)`.execute(db);
  const empty = await sql<{ what: string }>`
    select 'tx ' || id || ' ' || coalesce(tx.cause, '') as what from tx
    where not exists (select 1 from facts where tx_id = tx.id) and not exists (select 1 from edges where tx_id = tx.id)`.execute(db);
  const what = (rows: { what: string }[]): string[] => rows.map((r) => r.what);
  return { facts: what(facts.rows), edges: what(edges.rows), emptyTx: what(empty.rows) };
}

const missingFrom = (expected: readonly string[], actual: readonly string[]): string[] => {
  const have = new Set(actual);
  return expected.filter((item) => !have.has(item));
};

/** Compares the settled system with the ground truth, through the API, the index, the tables and Kafka. */
export async function verify(system: SystemUnderFault): Promise<Verdict> {
  const truth = groundTruth(system.h.demo.world);
  const expected = truthSnapshot(truth, { inferred: true });
  const { snapshot: served, failures } = await graphThroughApi(system, truth);
  const stored = await graphOf(system.h.services.db, { inferred: true });
  const servedByUri = new Map(served.entities.map((e) => [e.uri, e]));
  const entitiesMissing = expected.entities.filter((e) => {
    const s = servedByUri.get(e.uri);
    return !s || s.name !== e.name || JSON.stringify(s.tags) !== JSON.stringify(e.tags);
  });
  const ownersMissing = expected.entities.flatMap((e) =>
    missingFrom(e.owners, servedByUri.get(e.uri)?.owners ?? []).map((o) => `${e.uri} owned_by ${o}`),
  );
  const edgesMissing = missingFrom(expected.edges, served.edges);
  const entitiesExtra = missingFrom(
    stored.entities.map((e) => e.uri),
    expected.entities.map((e) => e.uri),
  );
  const edgesExtra = missingFrom(stored.edges, expected.edges);
  const docs = await documentsMissing(system, truth);
  const dup = await duplicates(system);
  const { kafka } = system.h.services.config;
  const lag = await consumerLag(kafka, kafka.consumerGroup, kafka.eventsTopic);
  const dead = await topicMessageCount(kafka, kafka.deadLetterTopic).catch(() => 0n);
  const sample = (label: string, items: readonly string[]): string[] =>
    items.length > 0 ? [`${label}: ${items.slice(0, 3).join(' | ')}`] : [];
  return {
    truthEntities: expected.entities.length,
    truthEdges: expected.edges.length,
    entitiesMissing: entitiesMissing.length,
    ownersMissing: ownersMissing.length,
    edgesMissing: edgesMissing.length,
    entitiesExtra: entitiesExtra.length,
    edgesExtra: edgesExtra.length,
    documentsMissing: docs.length,
    duplicatedFacts: dup.facts.length,
    duplicatedEdges: dup.edges.length,
    emptyTransactions: dup.emptyTx.length,
    eventsLeftInKafka: Number(lag),
    deadLettered: Number(dead),
    samples: [
      ...sample('API failures', failures),
      ...sample(
        'entities missing',
        entitiesMissing.map((e) => e.uri),
      ),
      ...sample('owners missing', ownersMissing),
      ...sample('edges missing', edgesMissing),
      ...sample('entities extra', entitiesExtra),
      ...sample('edges extra', edgesExtra),
      ...sample('documents missing', docs),
      ...sample('facts duplicated', dup.facts),
      ...sample('edges duplicated', dup.edges),
      ...sample('empty transactions', dup.emptyTx),
      ...(lag > 0n ? [`events left in Kafka: ${lag}`] : []),
      ...(dead > 0n ? [`events dead-lettered: ${dead}`] : []),
    ],
  };
}
