import { withIdentity } from './resolve-email';
import { indexOrHandBack } from './index-entities';
import { parseOpenLineageEvent } from '../connectors/openlineage/event';
import { olStateOf } from '../connectors/openlineage/normalize';
import { mergeRecord, recordsOf, type OlRecord, type OlRef } from '../connectors/openlineage/records';
import type { ColumnLineage } from '../connectors/openlineage/column-lineage';
import { emailsOf } from '../domain/resolve';
import { uriAt } from '../domain/uri';
import { OPENLINEAGE } from '../domain/vocabulary';
import type { Db } from '../store/database';
import { usernamesByEmail } from '../store/entity-reader';
import type { TxInput } from '../store/history';
import { applyOpenLineage, storedEvents, type ColumnEdgeRow, type OlEntityState, type RecordRow } from '../store/openlineage';
import { AppError } from '../platform/errors';

export interface ApplyOpenLineageInput {
  /** The stored events to apply (their hashes), in any order. */
  readonly hashes: readonly string[];
  readonly workflowId: string | null;
}

export interface ApplyOpenLineageResult {
  readonly applied: number;
  readonly changed: number;
  /** Entities whose documents still have to be written: indexing failed (Elasticsearch away). */
  readonly unindexed: readonly string[];
}

/** The graph URI of an OpenLineage entity. */
export const olUri = (ref: OlRef, scheme: string): string => uriAt(ref.type, OPENLINEAGE, ref.nativeId, scheme);

/**
 * Applies a batch of one subject's stored OpenLineage events in one transaction: the records they
 * say, merged with what earlier events said, become the states of the runs, jobs and datasets they
 * name, written like a hydration (nothing when nothing changed), then indexed. Owner emails go through identity first.
 * Idempotent and order-proof: the records' merge is a maximum per key.
 */
export function createApplyOpenLineage(deps: {
  db: Db;
  uriScheme: string;
  resolveEmail: (input: { email: string }) => Promise<string | null>;
  indexEntities: (input: { uris: readonly string[] }) => Promise<unknown>;
}) {
  const scheme = deps.uriScheme;
  const toRow = (r: OlRecord): RecordRow => ({
    entityUri: olUri(r, scheme),
    key: r.key,
    eventTime: r.eventTime,
    eventHash: r.eventHash,
    value: r.value,
  });

  /** The usernames of the owner emails this event names: known users first, identity for the rest. */
  async function usernamesFor(records: readonly OlRecord[]): Promise<Record<string, string | null>> {
    const byRef = new Map<string, Map<string, OlRecord>>();
    for (const r of records) {
      const key = `${r.type}\t${r.nativeId}`;
      const recs = byRef.get(key) ?? new Map<string, OlRecord>();
      byRef.set(key, recs.set(r.key, mergeRecord(recs.get(r.key), r)));
    }
    const emails = [
      ...new Set(
        [...byRef.values()].flatMap((recs) => {
          const first = recs.values().next().value as OlRecord;
          return emailsOf(olStateOf(first, recs).normalized);
        }),
      ),
    ];
    return withIdentity(await usernamesByEmail(deps.db, emails), emails, deps.resolveEmail);
  }

  function statesOf(refs: ReadonlyMap<string, OlRef>, records: ReadonlyMap<string, ReadonlyMap<string, RecordRow>>): OlEntityState[] {
    return [...records].map(([uri, rows]) => {
      const ref = refs.get(uri) as OlRef;
      const olRecords = new Map(
        [...rows].map(([key, r]) => [key, { ...ref, key, eventTime: r.eventTime, eventHash: r.eventHash, value: r.value }]),
      );
      const { normalized, dropped } = olStateOf(ref, olRecords);
      return { uri, normalized, dropped, columns: ref.type === 'dataset' ? columnsOf(normalized.primary.attributes.columnLineage) : null };
    });
  }

  function columnsOf(value: unknown): ColumnEdgeRow[] {
    const lineage = value as ColumnLineage | undefined;
    if (!lineage) return [];
    return Object.entries(lineage.fields).flatMap(([outputField, inputs]) =>
      inputs.map((i) => ({
        outputField,
        inputUri: olUri({ type: 'dataset', nativeId: i.dataset }, scheme),
        inputField: i.field,
        transformations: i.transformations as unknown as ColumnEdgeRow['transformations'],
      })),
    );
  }

  return async function applyOpenLineageEvents(input: ApplyOpenLineageInput): Promise<ApplyOpenLineageResult> {
    const events = await storedEvents(deps.db, input.hashes);
    if (events.length === 0) return { applied: 0, changed: 0, unindexed: [] };
    const parsed = events.map((stored) => {
      const verdict = parseOpenLineageEvent(stored.body);
      // Stored events passed this check on the way in: one that fails now is a bug, not a retry.
      if (!verdict.ok) throw new AppError('BAD_REQUEST', `stored OpenLineage event ${stored.hash} no longer parses: ${verdict.reason}`);
      return verdict.event;
    });
    // The events of a batch (one subject's) are applied together: their records merge as they would
    // one after another, and the history gets one transaction for them.
    const records = parsed.flatMap(recordsOf);
    // Activities run side by side in one worker: each batch's references are its own.
    const refs = new Map(records.map((r) => [olUri(r, scheme), { type: r.type, nativeId: r.nativeId }] as const));
    const tx: TxInput = {
      source: OPENLINEAGE,
      cause: [...new Set(parsed.map((e) => `openlineage:${e.kind === 'run' ? e.eventType : e.kind}`))].sort().join(','),
      workflowId: input.workflowId,
      eventIds: parsed.map((e) => e.hash),
    };
    const { changed, touched } = await applyOpenLineage(deps.db, {
      uris: [...refs.keys()].sort(),
      records: records.map(toRow),
      merge: (current, incoming) => {
        const ref = refs.get(incoming.entityUri) as OlRef;
        const asOl = (r: RecordRow): OlRecord => ({ ...ref, key: r.key, eventTime: r.eventTime, eventHash: r.eventHash, value: r.value });
        return toRow(mergeRecord(current && asOl(current), asOl(incoming)));
      },
      statesOf: (merged) => statesOf(refs, merged),
      usernames: await usernamesFor(records),
      uriScheme: scheme,
      tx,
    });
    return { applied: events.length, changed, unindexed: await indexOrHandBack(deps.indexEntities, touched) };
  };
}
