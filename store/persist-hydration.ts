import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Json, Resolved, ResolvedEntity, ResolvedRef } from '../domain/entity';
import { canonicalJson, diffByKey, diffFacts, factsOfEntity, type FactChange } from '../domain/facts';
import { SOURCE_OF, type LifecycleState } from '../domain/vocabulary';
import type { Db } from './database';
import { edgeKey, edgeOf, type Edge } from '../domain/edge';
import { appendFacts, appendTx, applyEdgeChanges, factsOfRow, type EdgeChange, type Trx, type TxInput } from './history';
import type { EntityRow } from './schema';

export interface PersistInput {
  /** The entity that was hydrated: the origin of every edge its payload declared. */
  readonly target: ResolvedRef;
  readonly outcome: { readonly kind: 'found'; readonly resolved: Resolved } | { readonly kind: 'gone' };
  readonly tx: TxInput;
  /** When the source served this state: a state fetched before the stored one is not written. */
  readonly fetchedAt: Date;
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
}

const UNCHANGED = (): PersistResult => ({ changed: false, txId: null, touched: [], placeholders: [] });
const SUPERSEDED: PersistResult = { ...UNCHANGED(), superseded: true };

/** The transaction row of a write, appended on first use: a write that changes nothing appends none. */
type TxOf = () => Promise<{ id: string; at: Date }>;

function lazyTx(trx: Trx, input: TxInput): TxOf {
  let tx: Promise<{ id: string; at: Date }> | undefined;
  return () => (tx ??= appendTx(trx, input));
}

export const contentHash = (resolved: Resolved): string =>
  createHash('sha256')
    .update(canonicalJson(resolved as unknown as Json))
    .digest('base64url');

/**
 * Writes one hydration in one transaction: appends a tx row, asserts only the facts that changed and
 * retracts the ones that vanished, asserts and retracts the edges the entity declares, creates
 * placeholders for unknown references, and updates the projections. The same state written twice
 * appends nothing; a 404 (`gone`) marks the entity deleted and retracts its edges.
 */
export async function persistHydration(db: Db, input: PersistInput): Promise<PersistResult> {
  return db.transaction().execute(async (trx) => {
    const txOf = lazyTx(trx, input.tx);
    return input.outcome.kind === 'gone' ? markDeleted(trx, input, txOf) : writeFound(trx, input, input.outcome.resolved, txOf);
  });
}

export interface PageItem {
  readonly resolved: Resolved;
  readonly fetchedAt: Date;
}

export interface PageResult {
  /** Entities whose state changed. */
  readonly changed: number;
  /** Entities not written because a state fetched later was stored already. */
  readonly superseded: number;
  readonly touched: readonly string[];
  /** Every entity the page described (primaries and dependents): what a listing returned. */
  readonly listed: readonly string[];
}

/**
 * Writes a page of a source's listing in one transaction, with the same rules as one hydration each
 * (append-only, nothing written when nothing changed, placeholders, a newer stored state wins) and one
 * transaction row for all of it; every entity the page described is marked listed now.
 */
export async function persistPage(db: Db, items: readonly PageItem[], tx: TxInput): Promise<PageResult> {
  const sorted = [...items].sort((a, b) => (a.resolved.primary.uri < b.resolved.primary.uri ? -1 : 1));
  return db.transaction().execute(async (trx) => {
    const txOf = lazyTx(trx, tx);
    const listed = sorted.flatMap(({ resolved }) => [resolved.primary.uri, ...resolved.dependents.map((d) => d.uri)]);
    // Every entity of the page locked first, in one sorted statement, so that the page and a live
    // refresh never wait on each other in opposite orders.
    await lockUris(trx, listed);
    let [changed, superseded] = [0, 0];
    const touched = new Set<string>();
    for (const { resolved, fetchedAt } of sorted) {
      const primary = resolved.primary;
      const target = {
        uri: primary.uri,
        type: primary.entity.type,
        nativeId: primary.entity.nativeId,
        lookupKey: primary.entity.lookupKey,
      };
      const result = await writeFound(trx, { target, outcome: { kind: 'found', resolved }, tx, fetchedAt }, resolved, txOf);
      if (result.changed) changed += 1;
      if (result.superseded) superseded += 1;
      for (const uri of result.touched) touched.add(uri);
    }
    if (listed.length > 0) {
      await trx
        .updateTable('entities')
        .set({ listed_at: sql<Date>`clock_timestamp()` })
        .where('uri', 'in', listed)
        .execute();
    }
    return { changed, superseded, touched: [...touched], listed };
  });
}

/**
 * Whoever creates an entity's row holds its advisory lock: one writer per entity at a time, even if an
 * activity's retry overlaps a slow first attempt, and one creator per placeholder. Taken in URI order,
 * so that two writers never wait on each other.
 */
async function lockUris(trx: Trx, uris: Iterable<string>): Promise<void> {
  // One statement: unnest yields the sorted array in order, and each row takes its lock in turn.
  const sorted = [...new Set(uris)].sort();
  await sql`select pg_advisory_xact_lock(hashtextextended(u, 0)) from unnest(${sorted}::text[]) u`.execute(trx);
}

/** The rows this transaction rewrites, locked in URI order (the enrichment sweep locks them so too). */
async function lockRows(trx: Trx, uris: readonly string[]): Promise<Map<string, EntityRow>> {
  const rows = await trx.selectFrom('entities').selectAll().where('uri', 'in', uris).orderBy('uri').forUpdate().execute();
  return new Map(rows.map((row) => [row.uri, row]));
}

async function writeFound(trx: Trx, input: PersistInput, resolved: Resolved, txOf: TxOf): Promise<PersistResult> {
  const hash = contentHash(resolved);
  const written = [resolved.primary, ...resolved.dependents];
  const writtenUris = written.map((w) => w.uri);
  const endpoints = new Map<string, ResolvedRef>();
  for (const e of resolved.edges) for (const ref of [e.subject, e.object]) if (!writtenUris.includes(ref.uri)) endpoints.set(ref.uri, ref);
  const knownEndpoints = async (): Promise<Set<string>> =>
    new Set(
      endpoints.size === 0
        ? []
        : (
            await trx
              .selectFrom('entities')
              .select('uri')
              .where('uri', 'in', [...endpoints.keys()])
              .execute()
          ).map((r) => r.uri),
    );
  // Rows are never deleted: an endpoint known now is known under the locks too.
  const before = await knownEndpoints();
  await lockUris(trx, [input.target.uri, ...writtenUris, ...[...endpoints.keys()].filter((uri) => !before.has(uri))]);
  const rows = await lockRows(trx, writtenUris);
  const known = await knownEndpoints();
  const primaryRow = rows.get(resolved.primary.uri);
  if (primaryRow?.fetched_at && primaryRow.fetched_at > input.fetchedAt) return SUPERSEDED;
  // The entities this payload describes were all just read from the source, changed or not.
  const hydratedNow = async (): Promise<void> => {
    await trx
      .updateTable('entities')
      .set({ last_hydrated_at: sql<Date>`clock_timestamp()`, fetched_at: sql<Date>`greatest(fetched_at, ${input.fetchedAt})` })
      .where('uri', 'in', writtenUris)
      .execute();
  };
  if (primaryRow?.content_hash === hash && (primaryRow.state === 'hydrated' || primaryRow.state === 'enriched')) {
    await hydratedNow();
    return UNCHANGED();
  }

  const currentEdges = await trx
    .selectFrom('current_edges')
    .selectAll()
    .where('origin', '=', resolved.primary.uri)
    .where('inferred', '=', false)
    .execute();
  const asKey = (e: Edge): [string, Edge] => [edgeKey(e), edgeOf(e)];
  const edgeDiff = diffByKey(
    new Map(currentEdges.map(asKey)),
    new Map(resolved.edges.map((e) => asKey({ subject: e.subject.uri, predicate: e.predicate, object: e.object.uri }))),
  );
  const origin = resolved.primary.uri;
  const declared =
    (op: 'assert' | 'retract') =>
    (e: Edge): EdgeChange => ({ ...e, origin, op, inferred: false, rule: null, support: null });
  const edgeChanges: EdgeChange[] = [...edgeDiff.removed.map(declared('retract')), ...edgeDiff.added.map(declared('assert'))];

  const factChanges = new Map<string, FactChange[]>();
  for (const w of written) {
    const row = rows.get(w.uri);
    const changes = diffFacts(row ? factsOfRow(row) : {}, factsOfEntity(w.entity, keptState(row)));
    const entityChanged = changes.length > 0 || (w === resolved.primary && edgeChanges.length > 0);
    // New facts or edges call for enrichment again: an enriched entity goes back to hydrated.
    factChanges.set(
      w.uri,
      entityChanged && row?.state === 'enriched' ? diffFacts(factsOfRow(row), factsOfEntity(w.entity, 'hydrated')) : changes,
    );
  }
  const missing = [...endpoints.values()].filter((ref) => !known.has(ref.uri));
  const anyFacts = [...factChanges.values()].some((changes) => changes.length > 0);
  if (!anyFacts && edgeChanges.length === 0 && missing.length === 0) {
    await trx.updateTable('entities').set({ content_hash: hash }).where('uri', '=', origin).execute();
    await hydratedNow();
    return UNCHANGED();
  }

  const tx = await txOf();
  const placeholders = await insertPlaceholders(trx, tx, missing);
  for (const w of written) {
    const changes = factChanges.get(w.uri) ?? [];
    await appendFacts(trx, tx.id, w.uri, changes);
    await upsertProjection(
      trx,
      w,
      rows.get(w.uri),
      tx.at,
      changes.length > 0 || (w === resolved.primary && edgeChanges.length > 0),
      w === resolved.primary ? hash : null,
      input.fetchedAt,
    );
  }
  await applyEdgeChanges(trx, tx.id, edgeChanges);
  const touched = new Set([...writtenUris, ...placeholders, ...edgeChanges.flatMap((e) => [e.subject, e.object])]);
  return { changed: true, txId: tx.id, touched: [...touched], placeholders };
}

/** The state an entity keeps when rewritten: hydrated, or enriched if it was enriched. */
const keptState = (row: EntityRow | undefined): LifecycleState => (row?.state === 'enriched' ? 'enriched' : 'hydrated');

async function insertPlaceholders(trx: Trx, tx: { id: string; at: Date }, refs: readonly ResolvedRef[]): Promise<string[]> {
  if (refs.length === 0) return [];
  const inserted = await trx
    .insertInto('entities')
    .values(
      refs.map((ref) => ({
        uri: ref.uri,
        type: ref.type,
        source: SOURCE_OF[ref.type],
        native_id: ref.nativeId,
        lookup_key: ref.lookupKey,
        name: ref.nativeId,
        description: null,
        state: 'placeholder',
        attributes: '{}',
        tags: '[]',
        content_hash: null,
        created_at: tx.at,
        updated_at: tx.at,
        last_hydrated_at: null,
        last_enriched_at: null,
        touched_at: tx.at,
      })),
    )
    .onConflict((oc) => oc.column('uri').doNothing())
    .returning('uri')
    .execute();
  for (const { uri } of inserted) await appendFacts(trx, tx.id, uri, [{ attribute: 'state', value: 'placeholder', op: 'assert' }]);
  return inserted.map((row) => row.uri);
}

async function upsertProjection(
  trx: Trx,
  w: ResolvedEntity,
  row: EntityRow | undefined,
  at: Date,
  changed: boolean,
  hash: string | null,
  fetchedAt: Date,
): Promise<void> {
  const e = w.entity;
  const state: LifecycleState = changed ? 'hydrated' : keptState(row);
  const values = {
    name: e.name,
    description: e.description,
    state,
    attributes: JSON.stringify(e.attributes),
    tags: JSON.stringify(e.tags),
    lookup_key: e.lookupKey,
    updated_at: changed || !row ? at : row.updated_at,
    last_hydrated_at: at,
    touched_at: at,
    fetched_at: fetchedAt,
    ...(hash ? { content_hash: hash } : {}),
  };
  await trx
    .insertInto('entities')
    .values({
      uri: w.uri,
      type: e.type,
      source: SOURCE_OF[e.type],
      native_id: e.nativeId,
      created_at: at,
      last_enriched_at: null,
      content_hash: hash,
      ...values,
    })
    .onConflict((oc) => oc.column('uri').doUpdateSet(values))
    .execute();
}

async function markDeleted(trx: Trx, input: PersistInput, txOf: TxOf): Promise<PersistResult> {
  await lockUris(trx, [input.target.uri]);
  const row = (await lockRows(trx, [input.target.uri])).get(input.target.uri);
  if (!row || row.state === 'deleted') return UNCHANGED();
  if (row.fetched_at && row.fetched_at > input.fetchedAt) return SUPERSEDED;
  const edges = await trx.selectFrom('current_edges').selectAll().where('origin', '=', row.uri).execute();
  const tx = await txOf();
  await appendFacts(trx, tx.id, row.uri, [{ attribute: 'state', value: 'deleted', op: 'assert' }]);
  await applyEdgeChanges(
    trx,
    tx.id,
    edges.map((e) => ({
      subject: e.subject,
      predicate: e.predicate,
      object: e.object,
      origin: e.origin,
      op: 'retract' as const,
      inferred: e.inferred,
      rule: e.rule,
      support: e.support,
    })),
  );
  await trx
    .updateTable('entities')
    .set({
      state: 'deleted',
      content_hash: null,
      updated_at: tx.at,
      last_hydrated_at: tx.at,
      touched_at: tx.at,
      fetched_at: input.fetchedAt,
    })
    .where('uri', '=', row.uri)
    .execute();
  return { changed: true, txId: tx.id, touched: [row.uri, ...edges.flatMap((e) => [e.subject, e.object])], placeholders: [] };
}
