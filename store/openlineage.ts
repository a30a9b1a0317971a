import { sql } from 'kysely';
import type { Json, Normalized } from '../domain/entity';
import { emailsOf, resolveNormalized } from '../domain/resolve';
import type { Db } from './database';
import { usernamesByEmail } from './entity-reader';
import type { TxInput } from './history';
import { lockEntities } from './locks';
import { persistStates } from './persist-hydration';
import type { OpenLineageEventsTable } from './schema';

export interface StoredEvent {
  readonly hash: string;
  readonly eventTime: string;
  readonly kind: OpenLineageEventsTable['kind'];
  readonly subject: string;
  readonly body: Json;
}

/** Keeps accepted events as they came; an event stored already is left as it is. */
export async function storeEvents(db: Db, events: readonly StoredEvent[]): Promise<void> {
  const unique = [...new Map(events.map((e) => [e.hash, e])).values()];
  for (let i = 0; i < unique.length; i += 500) {
    await db
      .insertInto('openlineage_events')
      .values(
        unique.slice(i, i + 500).map((e) => ({
          hash: e.hash,
          event_time: e.eventTime,
          kind: e.kind,
          subject: e.subject,
          body: JSON.stringify(e.body),
        })),
      )
      .onConflict((oc) => oc.column('hash').doNothing())
      .execute();
  }
}

/** The stored events of these hashes, in event-time order. */
export async function storedEvents(db: Db, hashes: readonly string[]): Promise<StoredEvent[]> {
  if (hashes.length === 0) return [];
  const rows = await db
    .selectFrom('openlineage_events')
    .select(['hash', 'event_time', 'kind', 'subject', 'body'])
    .where('hash', 'in', [...hashes])
    .orderBy('event_time')
    .orderBy('hash')
    .execute();
  return rows.map((r) => ({ hash: r.hash, eventTime: r.event_time, kind: r.kind, subject: r.subject, body: r.body }));
}

export interface RecordRow {
  readonly entityUri: string;
  readonly key: string;
  readonly eventTime: string;
  readonly eventHash: string;
  readonly value: Json | null;
}

export interface ColumnEdgeRow {
  readonly outputField: string;
  readonly inputUri: string;
  readonly inputField: string;
  readonly transformations: Json;
}

/** An entity's state as its records now describe it. */
export interface OlEntityState {
  readonly uri: string;
  readonly normalized: Normalized;
  readonly dropped: boolean;
  /** A dataset's column lineage (its columns' inputs); null for jobs and runs. */
  readonly columns: readonly ColumnEdgeRow[] | null;
}

export interface ApplyInput {
  /** Every entity the event names: locked for the whole transaction. */
  readonly uris: readonly string[];
  readonly records: readonly RecordRow[];
  /** Which of two records of one key stands. */
  readonly merge: (current: RecordRow | undefined, incoming: RecordRow) => RecordRow;
  /** The entities' states from their merged records. */
  readonly statesOf: (records: ReadonlyMap<string, ReadonlyMap<string, RecordRow>>) => OlEntityState[];
  /** Owner emails resolved beforehand through identity; the others are looked up among known users. */
  readonly usernames: Readonly<Record<string, string | null>>;
  readonly uriScheme: string;
  readonly tx: TxInput;
}

const recordKey = (r: { entityUri: string; key: string }): string => `${r.entityUri}\t${r.key}`;
const sameRecord = (a: RecordRow, b: RecordRow): boolean => a.eventTime === b.eventTime && a.eventHash === b.eventHash;

/**
 * Applies one OpenLineage event in one transaction, under the locks of every entity it names: merges
 * its records with the stored ones (only winners are written), derives each entity's state from its
 * records, and writes the states that changed (with the rules of a hydration: the same event twice
 * writes nothing) and the datasets' column lineage. A dropped dataset is marked deleted.
 */
export async function applyOpenLineage(db: Db, input: ApplyInput): Promise<{ changed: number; touched: string[] }> {
  return db.transaction().execute(async (trx) => {
    await lockEntities(trx, input.uris);
    const stored = await trx
      .selectFrom('openlineage_records')
      .selectAll()
      .where('entity_uri', 'in', [...input.uris])
      .execute();
    const merged = new Map<string, RecordRow>(
      stored.map((r) => {
        const row = { entityUri: r.entity_uri, key: r.key, eventTime: r.event_time, eventHash: r.event_hash, value: r.value };
        return [recordKey(row), row];
      }),
    );
    const winners = new Map<string, RecordRow>();
    for (const incoming of input.records) {
      const key = recordKey(incoming);
      const current = merged.get(key);
      const winner = input.merge(current, incoming);
      if (current && sameRecord(current, winner)) continue;
      merged.set(key, winner);
      winners.set(key, winner);
    }
    const changed = [...winners.values()];
    for (let i = 0; i < changed.length; i += 1000) {
      await trx
        .insertInto('openlineage_records')
        .values(
          changed.slice(i, i + 1000).map((r) => ({
            entity_uri: r.entityUri,
            key: r.key,
            event_time: r.eventTime,
            event_hash: r.eventHash,
            value: r.value === null ? null : JSON.stringify(r.value),
          })),
        )
        .onConflict((oc) =>
          oc.columns(['entity_uri', 'key']).doUpdateSet((eb) => ({
            event_time: eb.ref('excluded.event_time'),
            event_hash: eb.ref('excluded.event_hash'),
            value: eb.ref('excluded.value'),
          })),
        )
        .execute();
    }
    const byEntity = new Map<string, Map<string, RecordRow>>(input.uris.map((uri) => [uri, new Map()]));
    for (const r of merged.values()) byEntity.get(r.entityUri)?.set(r.key, r);
    const states = input.statesOf(byEntity);

    const emails = [...new Set(states.flatMap((s) => emailsOf(s.normalized)))].filter((e) => !(e in input.usernames));
    const usernames = { ...(await usernamesByEmail(trx, emails)), ...input.usernames };
    const rows = new Map(
      (
        await trx
          .selectFrom('entities')
          .select(['uri', 'state'])
          .where('uri', 'in', [...input.uris])
          .execute()
      ).map((r) => [r.uri, r.state]),
    );
    // A dropped dataset is written (so that it is known, with its facets) and then marked deleted; once
    // deleted, a repeat of its events leaves it as it is.
    const found = states.filter((s) => !(s.dropped && rows.get(s.uri) === 'deleted'));
    const result = await persistStates(trx, {
      found: found.map((s) => resolveNormalized(s.normalized, usernames, input.uriScheme)),
      gone: states.filter((s) => s.dropped && rows.get(s.uri) !== 'deleted').map((s) => s.uri),
      tx: input.tx,
      fetchedAt: new Date(),
    });
    for (const s of states) if (s.columns) await replaceColumnEdges(trx, s.uri, s.columns);
    return result;
  });
}

/** Rewrites a dataset's column lineage when it differs from the stored one. */
async function replaceColumnEdges(trx: Db, outputUri: string, columns: readonly ColumnEdgeRow[]): Promise<void> {
  const key = (c: ColumnEdgeRow): string => `${c.outputField}\t${c.inputUri}\t${c.inputField}\t${JSON.stringify(c.transformations)}`;
  const stored = await trx.selectFrom('column_edges').selectAll().where('output_uri', '=', outputUri).execute();
  const storedKeys = stored
    .map((r) => key({ outputField: r.output_field, inputUri: r.input_uri, inputField: r.input_field, transformations: r.transformations }))
    .sort();
  const unique = [...new Map(columns.map((c) => [`${c.outputField}\t${c.inputUri}\t${c.inputField}`, c])).values()];
  if (JSON.stringify(storedKeys) === JSON.stringify(unique.map(key).sort())) return;
  await trx.deleteFrom('column_edges').where('output_uri', '=', outputUri).execute();
  if (unique.length === 0) return;
  await trx
    .insertInto('column_edges')
    .values(
      unique.map((c) => ({
        output_uri: outputUri,
        output_field: c.outputField,
        input_uri: c.inputUri,
        input_field: c.inputField,
        transformations: JSON.stringify(c.transformations),
      })),
    )
    .execute();
}

export interface ColumnStep {
  readonly outputUri: string;
  readonly outputField: string;
  readonly inputUri: string;
  readonly inputField: string;
  readonly transformations: Json;
  readonly distance: number;
}

/**
 * Column lineage from one column (or every column of a dataset, `field` null), breadth-first in the
 * database up to `depth` steps: upstream follows output → input, downstream input → output. Each
 * step once, with its distance from the start.
 */
export async function walkColumns(
  db: Db,
  input: { uri: string; field: string | null; direction: 'upstream' | 'downstream'; depth: number; limit: number },
): Promise<ColumnStep[]> {
  const up = input.direction === 'upstream';
  const from = up ? sql.raw('output') : sql.raw('input');
  const to = up ? sql.raw('input') : sql.raw('output');
  const { rows } = await sql<{
    output_uri: string;
    output_field: string;
    input_uri: string;
    input_field: string;
    transformations: Json;
    distance: number;
  }>`
    with recursive walk(output_uri, output_field, input_uri, input_field, transformations, distance, path) as (
      select c.output_uri, c.output_field, c.input_uri, c.input_field, c.transformations, 1,
             array[c.${from}_uri || '\t' || c.${from}_field, c.${to}_uri || '\t' || c.${to}_field]
      from column_edges c
      where c.${from}_uri = ${input.uri} and (${input.field}::text is null or c.${from}_field = ${input.field})
      union all
      select c.output_uri, c.output_field, c.input_uri, c.input_field, c.transformations, w.distance + 1,
             w.path || (c.${to}_uri || '\t' || c.${to}_field)
      from walk w join column_edges c on c.${from}_uri = w.${to}_uri and c.${from}_field = w.${to}_field
      where w.distance < ${input.depth} and not (c.${to}_uri || '\t' || c.${to}_field) = any(w.path)
    )
    select distinct on (output_uri, output_field, input_uri, input_field) output_uri, output_field, input_uri, input_field, transformations, distance
    from walk order by output_uri, output_field, input_uri, input_field, distance
    limit ${input.limit}
  `.execute(db);
  return rows
    .map((r) => ({
      outputUri: r.output_uri,
      outputField: r.output_field,
      inputUri: r.input_uri,
      inputField: r.input_field,
      transformations: r.transformations,
      distance: r.distance,
    }))
    .sort(
      (a, b) =>
        a.distance - b.distance ||
        (a.outputUri + a.outputField + a.inputUri + a.inputField).localeCompare(b.outputUri + b.outputField + b.inputUri + b.inputField),
    );
}
