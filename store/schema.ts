import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Edge } from '../domain/edge';
import type { Json } from '../domain/entity';
import type { SyncMode } from '../domain/sync-mode';
import type { Predicate } from '../domain/vocabulary';
import type { ActorKind, AuditOutcome } from '../platform/audit';

/**
 * The database as Kysely sees it: one interface per table. Columns the database fills are
 * `Generated<>`; nullable columns are `T | null`, never optional.
 */
export interface Database {
  tx: TxTable;
  facts: FactsTable;
  edges: EdgesTable;
  entities: EntitiesTable;
  current_edges: CurrentEdgesTable;
  source_calls: SourceCallsTable;
  sync_runs: SyncRunsTable;
  openlineage_events: OpenLineageEventsTable;
  openlineage_records: OpenLineageRecordsTable;
  column_edges: ColumnEdgesTable;
  source_activity: SourceActivityTable;
  quality_signals: QualitySignalsTable;
  audit_trail: AuditTrailTable;
}

/** Migration 0016: the audit trail, append-only. */
export interface AuditTrailTable {
  id: Generated<string>;
  at: Generated<Date>;
  actor: string;
  actor_kind: ActorKind;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  status: number | null;
  remote: string | null;
  details: ColumnType<Record<string, Json>, string | undefined, never>;
}

/** Migration 0013: quality signals as sweeps found them, opened and closed. */
export interface QualitySignalsTable {
  id: Generated<string>;
  subject: string;
  code: string;
  opened_at: Generated<Date>;
  closed_at: Date | null;
}

/** Migration 0012: what each source did, per time bucket. */
export interface SourceActivityTable {
  source: string;
  bucket: Date;
  events: Generated<number>;
  calls: Generated<number>;
  failures: Generated<number>;
  throttled: Generated<number>;
  announced: Generated<number>;
  unannounced: Generated<number>;
}

export interface OpenLineageEventsTable {
  hash: string;
  /** Sortable UTC text with nine fractional digits. */
  event_time: string;
  kind: 'run' | 'job' | 'dataset';
  /** The URI of the entity whose workflow applies it: the run, the job or the dataset. */
  subject: string;
  received_at: Generated<Date>;
  body: JsonColumn;
}

export interface OpenLineageRecordsTable {
  entity_uri: string;
  key: string;
  event_time: string;
  event_hash: string;
  value: JsonColumn | null;
}

export interface ColumnEdgesTable {
  output_uri: string;
  output_field: string;
  input_uri: string;
  input_field: string;
  transformations: JsonColumn;
}

export interface SyncRunsTable {
  id: Generated<string>;
  source: string;
  mode: SyncMode;
  since: Timestamp | null;
  started_at: Generated<Date>;
  finished_at: Timestamp | null;
  status: ColumnType<'running' | 'completed' | 'failed', 'running' | 'completed' | 'failed' | undefined>;
  counts: ColumnType<Record<string, number>, string | undefined, string>;
  message: string | null;
  workflow_id: string | null;
}

export interface SourceCallsTable {
  source: string;
  at: Generated<Date>;
}

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type JsonColumn<T = Json> = ColumnType<T, string, string>;

export interface TxTable {
  id: Generated<string>;
  at: ColumnType<Date, never, never>;
  source: string;
  cause: string;
  workflow_id: string | null;
  event_ids: ColumnType<string[], string[] | undefined, never>;
}

export type Op = 'assert' | 'retract';

export interface FactsTable {
  id: Generated<string>;
  tx_id: string;
  entity_uri: string;
  attribute: string;
  value: JsonColumn | null;
  op: Op;
}

export interface EdgesTable {
  id: Generated<string>;
  tx_id: string;
  subject: string;
  predicate: Predicate;
  object: string;
  origin: string;
  op: Op;
  inferred: boolean;
  rule: string | null;
  support: JsonColumn<Edge[]> | null;
}

export interface EntitiesTable {
  uri: string;
  type: string;
  source: string;
  native_id: string;
  lookup_key: string;
  name: string;
  description: string | null;
  state: string;
  attributes: JsonColumn<Record<string, Json>>;
  tags: JsonColumn<{ tag: string; value: string }[]>;
  content_hash: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_hydrated_at: Timestamp | null;
  last_enriched_at: Timestamp | null;
  touched_at: Timestamp;
  /** When the stored state was read from its source: an older state never replaces a newer one. */
  fetched_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When a listing of its source last returned it (reconciliation). */
  listed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Migration 0014: in which reconciliation period its latest change was counted for event loss, and whether an event announced it. */
  change_period: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  change_announced: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
}

export interface CurrentEdgesTable {
  subject: string;
  predicate: Predicate;
  object: string;
  origin: string;
  inferred: boolean;
  rule: string | null;
  support: JsonColumn<Edge[]> | null;
  tx_id: string;
}

export type EntityRow = Selectable<EntitiesTable>;
export type NewEntityRow = Insertable<EntitiesTable>;
export type CurrentEdgeRow = Selectable<CurrentEdgesTable>;
