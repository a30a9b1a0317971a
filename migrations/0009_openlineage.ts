import { sql, type Kysely } from 'kysely';

/**
 * OpenLineage intake. `openlineage_events` keeps every accepted event as it came (one row per distinct
 * event: its hash is the key), written before the producer hears 201, so that the workflow that applies
 * it can always read it back. `openlineage_records` holds what the events said about each entity, one
 * record per key (a facet, a run's state, a dataset read), the winner by the key's rule: the state of
 * an OpenLineage entity is derived from its records, whatever order the events came in.
 * `column_edges` is the current column lineage (output column ← input column), rewritten with its
 * output dataset, so that a column's downstream is one index lookup per step.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time and see the database untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('openlineage_events')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('event_time', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('run', 'job', 'dataset')`))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('openlineage_events_subject_idx').on('openlineage_events').columns(['subject', 'event_time']).execute();
  await db.schema
    .createTable('openlineage_records')
    .addColumn('entity_uri', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('event_time', 'text', (c) => c.notNull())
    .addColumn('event_hash', 'text', (c) => c.notNull())
    .addColumn('value', 'jsonb')
    .addPrimaryKeyConstraint('openlineage_records_pk', ['entity_uri', 'key'])
    .execute();
  await db.schema
    .createTable('column_edges')
    .addColumn('output_uri', 'text', (c) => c.notNull())
    .addColumn('output_field', 'text', (c) => c.notNull())
    .addColumn('input_uri', 'text', (c) => c.notNull())
    .addColumn('input_field', 'text', (c) => c.notNull())
    .addColumn('transformations', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('column_edges_pk', ['output_uri', 'output_field', 'input_uri', 'input_field'])
    .execute();
  await db.schema.createIndex('column_edges_input_idx').on('column_edges').columns(['input_uri', 'input_field']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('column_edges').ifExists().execute();
  await db.schema.dropTable('openlineage_records').ifExists().execute();
  await db.schema.dropTable('openlineage_events').ifExists().execute();
}
