import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Json, Resolved, ResolvedEntity, ResolvedRef } from '../domain/entity';
import { canonicalJson, diffByKey, diffFacts, factsOfEntity, type FactChange } from '../domain/facts';
import { SOURCE_OF, type LifecycleState } from '../domain/vocabulary';
import type { Db } from './database';
import { edgeKey, edgeOf, type Edge } from '../domain/edge';
import { appendFacts, appendFactsOf, appendTx, applyEdgeChanges, factsOfRow, type EdgeChange, type Trx, type TxInput } from './history';
import type { EntityRow } from './schema';
import { lastCompletedSyncStart } from './sync-runs';
import { countChange, type ChangeCount, type ChangeVerdict } from '../domain/event-loss';

export interface HydrationWrite {
  /** The entity that was hydrated: the origin of every edge its payload declared. */
  readonly target: ResolvedRef;
  readonly outcome: { readonly kind: 'found'; readonly resolved: Resolved } | { readonly kind: 'gone' };
  readonly tx: TxInput;
  /** When the source served this state: a state fetched before the stored one is not written. */
  readonly fetchedAt: Date;
  /** How a change to a known entity counts for event loss; without it, it is not counted. */
  readonly countAs?: ChangeCounting;
}

/** Whether an event brought this write (announced) or reconciliation found it (unannounced). */
export type ChangeCounting = 'announced' | 'unannounced';

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
export async function persistHydration(db: Db, input: HydrationWrite): Promise<PersistResult> {
  if (input.outcome.kind === 'gone') {
    return db
      .transaction()
      .execute(async (trx) => markDeleted(trx, { uri: input.target.uri, fetchedAt: input.fetchedAt }, lazyTx(trx, input.tx)));
  }
  const { resolved } = input.outcome;
  return db.transaction().execute(async (trx) => {
    const [result] = await writeFound(trx, [{ resolved, fetchedAt: input.fetchedAt }], lazyTx(trx, input.tx), input.countAs ?? null);
    return result ?? UNCHANGED();
  });
}

export interface PageItem {
  readonly resolved: Resolved;
  readonly fetchedAt: Date;
}

export interface PageResult {
  /** Entities whose state changed. */
  readonly changed: number;
  /** Of those, entities that had a state from their source before (changes some event should have announced). */
  readonly revised: number;
  /** What those changes add to their source's event-loss counts. */
  readonly counted: ChangeCounts;
  /** Entities not written because a state fetched later was stored already. */
  readonly superseded: number;
  readonly touched: readonly string[];
  /** Every entity the page described (primaries and dependents): what a listing returned. */
  readonly listed: readonly string[];
}

/**
 * Writes a page of a source's listing in one transaction, with the rules of one hydration each (the
 * same code: a hydration is a page of one) and one transaction row for all of it; every entity the
 * page described is marked listed now.
 */
export async function persistPage(db: Db, items: readonly PageItem[], tx: TxInput, countAs?: ChangeCounting): Promise<PageResult> {
  return db.transaction().execute(async (trx) => {
    const results = await writeFound(trx, items, lazyTx(trx, tx), countAs ?? null);
    const listed = items.flatMap(({ resolved }) => [resolved.primary.uri, ...resolved.dependents.map((d) => d.uri)]);
    if (listed.length > 0) {
      await trx
        .updateTable('entities')
        .set({ listed_at: sql<Date>`clock_timestamp()` })
        .where('uri', 'in', listed)
        .execute();
    }
    return {
      changed: results.filter((r) => r.changed).length,
      revised: results.filter((r) => r.revision).length,
      counted: {
        announced: results.reduce((n, r) => n + (r.revision?.announced ?? 0), 0),
        unannounced: results.reduce((n, r) => n + (r.revision?.unannounced ?? 0), 0),
      },
      superseded: results.filter((r) => r.superseded).length,
      touched: [...new Set(results.flatMap((r) => r.touched))],
      listed,
    };
  });
}

/**
 * Writes the states of a push source (OpenLineage) inside the caller's transaction, which holds the
 * entities' locks: the found ones with the rules of a hydration, the gone ones (a dataset dropped)
 * marked deleted; one transaction row for all of it, none when nothing changed.
 */
export async function persistStates(
  trx: Trx,
  input: { readonly found: readonly Resolved[]; readonly gone: readonly string[]; readonly tx: TxInput; readonly fetchedAt: Date },
): Promise<{ changed: number; touched: string[] }> {
  const txOf = lazyTx(trx, input.tx);
  const results = [
    ...(await writeFound(
      trx,
      input.found.map((resolved) => ({ resolved, fetchedAt: input.fetchedAt })),
      txOf,
      null,
    )),
  ];
  for (const uri of input.gone) results.push(await markDeleted(trx, { uri, fetchedAt: input.fetchedAt }, txOf));
  return { changed: results.filter((r) => r.changed).length, touched: [...new Set(results.flatMap((r) => r.touched))] };
}

/** Takes the advisory locks of entities that are about to be written, in URI order (see lockUris). */
export const lockEntities = (trx: Trx, uris: Iterable<string>): Promise<void> => lockUris(trx, uris);

/**
 * Whoever creates an entity's row holds its advisory lock: one writer per entity at a time, even if an
 * activity's retry overlaps a slow first attempt, and one creator per placeholder. Taken in URI order,
 * in one statement, so that two writers never wait on each other.
 */
async function lockUris(trx: Trx, uris: Iterable<string>): Promise<void> {
  const sorted = [...new Set(uris)].sort();
  if (sorted.length === 0) return;
  await sql`select pg_advisory_xact_lock(hashtextextended(u, 0)) from unnest(${sorted}::text[]) u`.execute(trx);
}

/** The rows this transaction rewrites, locked in URI order (the enrichment sweep locks them so too). */
async function lockRows(trx: Trx, uris: readonly string[]): Promise<Map<string, EntityRow>> {
  if (uris.length === 0) return new Map();
  const rows = await trx.selectFrom('entities').selectAll().where('uri', 'in', uris).orderBy('uri').forUpdate().execute();
  return new Map(rows.map((row) => [row.uri, row]));
}

async function knownUris(trx: Trx, uris: readonly string[]): Promise<Set<string>> {
  if (uris.length === 0) return new Set();
  return new Set((await trx.selectFrom('entities').select('uri').where('uri', 'in', uris).execute()).map((r) => r.uri));
}

/** What one item of a write comes to, decided from the locked rows before anything is written. */
type Plan =
  | { readonly kind: 'superseded' }
  | {
      readonly kind: 'unchanged';
      readonly written: readonly string[];
      readonly fetchedAt: Date;
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

/**
 * Writes hydrated states: reads and locks everything the items touch in a few statements, decides
 * each item's changes in memory, and writes them all in a few more. An item whose stored state was
 * fetched later is skipped; one whose content did not change only records that it was read.
 */
async function writeFound(trx: Trx, items: readonly PageItem[], txOf: TxOf, countAs: ChangeCounting | null): Promise<PersistResult[]> {
  if (items.length === 0) return [];
  const written = new Set(items.flatMap(({ resolved }) => [resolved.primary.uri, ...resolved.dependents.map((d) => d.uri)]));
  const endpoints = new Map<string, ResolvedRef>();
  for (const { resolved } of items)
    for (const e of resolved.edges) for (const ref of [e.subject, e.object]) if (!written.has(ref.uri)) endpoints.set(ref.uri, ref);
  // Rows are never deleted: an endpoint known now is known under the locks too.
  const before = await knownUris(trx, [...endpoints.keys()]);
  await lockUris(trx, [...written, ...[...endpoints.keys()].filter((uri) => !before.has(uri))]);
  const rows = await lockRows(trx, [...written].sort());
  const known = new Set([
    ...before,
    ...(await knownUris(
      trx,
      [...endpoints.keys()].filter((uri) => !before.has(uri)),
    )),
  ]);
  const origins = items.map(({ resolved }) => resolved.primary.uri);
  const currentEdges = await trx
    .selectFrom('current_edges')
    .selectAll()
    .where('origin', 'in', origins)
    .where('inferred', '=', false)
    .execute();
  const edgesByOrigin = Map.groupBy(currentEdges, (e) => e.origin);

  const plans = items.map((item) => planItem(item, rows, edgesByOrigin.get(item.resolved.primary.uri) ?? [], known));
  const unchanged = plans.flatMap((p) => (p.kind === 'unchanged' ? [p] : []));
  const changed = plans.flatMap((p) => (p.kind === 'changed' ? [p] : []));
  await recordRead(
    trx,
    unchanged.flatMap((p) => p.written.map((uri) => ({ uri, fetchedAt: p.fetchedAt }))),
    unchanged.flatMap((p) => (p.hash ? [p.hash] : [])),
  );
  if (changed.length === 0) return plans.map((p) => (p.kind === 'superseded' ? SUPERSEDED : UNCHANGED()));

  const tx = await txOf();
  const counts = await countChanges(trx, changed, rows, countAs);
  const missing = new Map(changed.flatMap((p) => p.missing.map((ref) => [ref.uri, ref] as const)));
  const placeholders = new Set(await insertPlaceholders(trx, tx, [...missing.values()]));
  await appendFactsOf(
    trx,
    tx.id,
    changed.flatMap((p) => [...p.facts].map(([uri, changes]) => ({ uri, changes }))),
  );
  await upsertProjections(
    trx,
    tx.at,
    changed.flatMap((p) => {
      const all = [p.item.resolved.primary, ...p.item.resolved.dependents];
      return all.map((w) => ({
        w,
        row: rows.get(w.uri),
        changed: p.changedUris.has(w.uri),
        hash: w === p.item.resolved.primary ? p.hash : null,
        fetchedAt: p.item.fetchedAt,
        verdict: w === p.item.resolved.primary ? (counts.get(w.uri)?.verdict ?? null) : null,
      }));
    }),
  );
  await applyEdgeChanges(
    trx,
    tx.id,
    changed.flatMap((p) => p.edgeChanges),
  );
  return plans.map((p) => {
    if (p.kind === 'superseded') return SUPERSEDED;
    if (p.kind === 'unchanged') return UNCHANGED();
    const own = p.missing.map((ref) => ref.uri).filter((uri) => placeholders.has(uri));
    const touched = new Set([
      p.item.resolved.primary.uri,
      ...p.item.resolved.dependents.map((d) => d.uri),
      ...own,
      ...p.edgeChanges.flatMap((e) => [e.subject, e.object]),
    ]);
    const count = counts.get(p.item.resolved.primary.uri);
    const revised = count ? { revision: { announced: count.announced, unannounced: count.unannounced } } : {};
    return { changed: true, txId: tx.id, touched: [...touched], placeholders: own, ...revised };
  });
}

const readFromSource = (row: EntityRow | undefined): row is EntityRow => row?.state === 'hydrated' || row?.state === 'enriched';

/**
 * What the changed entities that had a state from their source before count for event loss, and the
 * verdict each keeps; the period's start is read under the same locks.
 */
async function countChanges(
  trx: Trx,
  changed: readonly { readonly item: PageItem }[],
  rows: ReadonlyMap<string, EntityRow>,
  countAs: ChangeCounting | null,
): Promise<Map<string, ChangeCount>> {
  const counts = new Map<string, ChangeCount>();
  if (countAs === null) return counts;
  const periods = new Map<string, Date | null>();
  for (const { item } of changed) {
    const row = rows.get(item.resolved.primary.uri);
    if (!readFromSource(row)) continue;
    if (!periods.has(row.source)) periods.set(row.source, await lastCompletedSyncStart(trx, row.source));
    const previous = { period: row.change_period, announced: row.change_announced };
    counts.set(row.uri, countChange(previous, countAs === 'announced', periods.get(row.source) ?? null));
  }
  return counts;
}

function planItem(item: PageItem, rows: ReadonlyMap<string, EntityRow>, current: readonly Edge[], known: ReadonlySet<string>): Plan {
  const { resolved, fetchedAt } = item;
  const hash = contentHash(resolved);
  const written = [resolved.primary, ...resolved.dependents];
  const writtenUris = written.map((w) => w.uri);
  const primaryRow = rows.get(resolved.primary.uri);
  if (primaryRow?.fetched_at && primaryRow.fetched_at > fetchedAt) return { kind: 'superseded' };
  // The entities this payload describes were all just read from the source, changed or not.
  if (primaryRow?.content_hash === hash && (primaryRow.state === 'hydrated' || primaryRow.state === 'enriched')) {
    return { kind: 'unchanged', written: writtenUris, fetchedAt, hash: null };
  }
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

/** Records that unchanged entities were read from their source now, and the content hash of those whose hash was missing. */
async function recordRead(
  trx: Trx,
  reads: readonly { uri: string; fetchedAt: Date }[],
  hashes: readonly { uri: string; value: string }[],
): Promise<void> {
  if (hashes.length > 0) {
    await sql`update entities e set content_hash = v.h from unnest(${hashes.map((h) => h.uri)}::text[], ${hashes.map((h) => h.value)}::text[]) v(u, h) where e.uri = v.u`.execute(
      trx,
    );
  }
  if (reads.length > 0) {
    await sql`
      update entities e set last_hydrated_at = clock_timestamp(), fetched_at = greatest(e.fetched_at, v.f)
      from unnest(${reads.map((r) => r.uri)}::text[], ${reads.map((r) => r.fetchedAt)}::timestamptz[]) v(u, f) where e.uri = v.u`.execute(
      trx,
    );
  }
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
        source: ref.source ?? SOURCE_OF[ref.type],
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
  await appendFactsOf(
    trx,
    tx.id,
    inserted.map(({ uri }) => ({ uri, changes: [{ attribute: 'state', value: 'placeholder', op: 'assert' as const }] })),
  );
  return inserted.map((row) => row.uri);
}

/** Inserts or rewrites the projection rows of written entities, in one statement per thousand. */
async function upsertProjections(
  trx: Trx,
  at: Date,
  entries: readonly {
    w: ResolvedEntity;
    row: EntityRow | undefined;
    changed: boolean;
    hash: string | null;
    fetchedAt: Date;
    verdict: ChangeVerdict | null;
  }[],
): Promise<void> {
  // One row per entity: a statement may not rewrite the same row twice.
  const unique = [...new Map(entries.map((e) => [e.w.uri, e])).values()];
  const values = unique.map(({ w, row, changed, hash, fetchedAt, verdict }) => {
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
  for (let i = 0; i < values.length; i += 1000) {
    await trx
      .insertInto('entities')
      .values(values.slice(i, i + 1000))
      .onConflict((oc) =>
        oc.column('uri').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          description: eb.ref('excluded.description'),
          state: eb.ref('excluded.state'),
          attributes: eb.ref('excluded.attributes'),
          tags: eb.ref('excluded.tags'),
          lookup_key: eb.ref('excluded.lookup_key'),
          updated_at: eb.ref('excluded.updated_at'),
          last_hydrated_at: eb.ref('excluded.last_hydrated_at'),
          touched_at: eb.ref('excluded.touched_at'),
          fetched_at: eb.ref('excluded.fetched_at'),
          change_period: eb.ref('excluded.change_period'),
          change_announced: eb.ref('excluded.change_announced'),
          content_hash: sql<string | null>`coalesce(excluded.content_hash, entities.content_hash)`,
        })),
      )
      .execute();
  }
}

async function markDeleted(trx: Trx, input: { uri: string; fetchedAt: Date }, txOf: TxOf): Promise<PersistResult> {
  await lockUris(trx, [input.uri]);
  const row = (await lockRows(trx, [input.uri])).get(input.uri);
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
