import type { Transaction } from 'kysely';
import type { FactChange } from '../domain/facts';
import type { HeldEdge } from '../domain/edge';
import type { Database } from './schema';

export type Trx = Transaction<Database>;

export interface TxInput {
  /** The source system whose state is written, or `enrichment`. */
  readonly source: string;
  /** Why: the event types, `sweep`, a rule. */
  readonly cause: string;
  readonly workflowId: string | null;
  readonly eventIds: readonly string[];
}

/** The transaction row of a write, appended on first use: a write that changes nothing appends none. */
export type TxOf = () => Promise<{ id: string; at: Date }>;

export function lazyTx(trx: Trx, input: TxInput): TxOf {
  let tx: Promise<{ id: string; at: Date }> | undefined;
  return () => (tx ??= appendTx(trx, input));
}

/** Appends a transaction row; everything written with it shares its time. */
export async function appendTx(trx: Trx, input: TxInput): Promise<{ id: string; at: Date }> {
  return trx
    .insertInto('tx')
    .values({
      source: input.source,
      cause: input.cause.slice(0, 1000),
      workflow_id: input.workflowId,
      event_ids: [...new Set(input.eventIds)].slice(0, 100),
    })
    .returning(['id', 'at'])
    .executeTakeFirstOrThrow();
}

export async function appendFacts(trx: Trx, txId: string, uri: string, changes: readonly FactChange[]): Promise<void> {
  await appendFactsOf(trx, txId, [{ uri, changes }]);
}

/** Appends the fact changes of several entities in as few statements as their number allows. */
export async function appendFactsOf(
  trx: Trx,
  txId: string,
  entries: readonly { readonly uri: string; readonly changes: readonly FactChange[] }[],
): Promise<void> {
  const rows = entries.flatMap(({ uri, changes }) =>
    changes.map((c) => ({ tx_id: txId, entity_uri: uri, attribute: c.attribute, value: JSON.stringify(c.value), op: c.op })),
  );
  for (let i = 0; i < rows.length; i += 1000)
    await trx
      .insertInto('facts')
      .values(rows.slice(i, i + 1000))
      .execute();
}

/** An edge asserted or retracted by an origin (the entity that declared it, or a rule). */
export type EdgeChange = HeldEdge & { readonly origin: string; readonly op: 'assert' | 'retract' };

/** Appends edge assertions and retractions and applies them to the current-edges projection. */
export async function applyEdgeChanges(trx: Trx, txId: string, changes: readonly EdgeChange[]): Promise<void> {
  if (changes.length === 0) return;
  const row = (c: EdgeChange) => ({
    subject: c.subject,
    predicate: c.predicate,
    object: c.object,
    origin: c.origin,
    inferred: c.inferred,
    rule: c.rule,
    support: c.support ? JSON.stringify(c.support) : null,
    tx_id: txId,
  });
  for (let i = 0; i < changes.length; i += 1000) {
    const chunk = changes.slice(i, i + 1000);
    await trx
      .insertInto('edges')
      .values(chunk.map((c) => ({ ...row(c), op: c.op })))
      .execute();
    const asserted = chunk.filter((c) => c.op === 'assert');
    const retracted = chunk.filter((c) => c.op === 'retract');
    if (retracted.length > 0) {
      await trx
        .deleteFrom('current_edges')
        .where((eb) =>
          eb.or(
            retracted.map((c) =>
              eb.and([
                eb('subject', '=', c.subject),
                eb('predicate', '=', c.predicate),
                eb('object', '=', c.object),
                eb('origin', '=', c.origin),
              ]),
            ),
          ),
        )
        .execute();
    }
    if (asserted.length > 0) {
      await trx
        .insertInto('current_edges')
        .values(asserted.map(row))
        .onConflict((oc) =>
          oc.columns(['subject', 'predicate', 'object', 'origin']).doUpdateSet((eb) => ({
            inferred: eb.ref('excluded.inferred'),
            rule: eb.ref('excluded.rule'),
            support: eb.ref('excluded.support'),
            tx_id: eb.ref('excluded.tx_id'),
          })),
        )
        .execute();
    }
  }
}
