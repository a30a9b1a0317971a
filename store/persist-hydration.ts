import { sql } from 'kysely';
import type { Resolved, ResolvedRef } from '../domain/entity';
import { countChange, type ChangeCount } from '../domain/event-loss';
import type { Db } from './database';
import { appendFactsOf, applyEdgeChanges, lazyTx, type Trx, type TxInput, type TxOf } from './history';
import { insertPlaceholders, markDeleted, recordRead, upsertProjections } from './hydration-writes';
import {
  planItem,
  projectionEntries,
  readFromSource,
  resultsOf,
  UNCHANGED,
  type ChangeCounts,
  type ChangedPlan,
  type PageItem,
  type PersistResult,
} from './hydration-plan';
import { lockEntities, lockRows } from './locks';
import type { EntityRow } from './schema';
import { lastCompletedSyncStart } from './sync-runs';

/**
 * Persistence of hydrated states: reads and locks what a write touches (store/locks.ts), plans each
 * item in memory (store/hydration-plan.ts), and applies the plans in one transaction.
 */

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

async function knownUris(trx: Trx, uris: readonly string[]): Promise<Set<string>> {
  if (uris.length === 0) return new Set();
  return new Set((await trx.selectFrom('entities').select('uri').where('uri', 'in', uris).execute()).map((r) => r.uri));
}

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
  await lockEntities(trx, [...written, ...[...endpoints.keys()].filter((uri) => !before.has(uri))]);
  const rows = await lockRows(trx, written);
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
  if (changed.length === 0) return resultsOf(plans, null);

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
    projectionEntries(changed, rows, (uri) => counts.get(uri)?.verdict ?? null),
  );
  await applyEdgeChanges(
    trx,
    tx.id,
    changed.flatMap((p) => p.edgeChanges),
  );
  return resultsOf(plans, { txId: tx.id, placeholders, counts });
}

/**
 * What the changed entities that had a state from their source before count for event loss, and the
 * verdict each keeps; the period's start is read under the same locks.
 */
async function countChanges(
  trx: Trx,
  changed: readonly ChangedPlan[],
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
