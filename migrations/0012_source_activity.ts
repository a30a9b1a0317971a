import { sql, type Kysely } from 'kysely';

/**
 * What each source did, in time buckets: events received, calls made to it and how many failed or
 * were throttled, and changes to known entities found by an event (announced) or by reconciliation
 * (unannounced: a sync or the sweep found what no event had brought). The quality signals of a source
 * (silent, failing, losing events) are read from it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time and see the database untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('source_activity')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('bucket', 'timestamptz', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('calls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('throttled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('announced', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unannounced', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('source_activity_pk', ['source', 'bucket'])
    .execute();
  await sql`create index source_activity_bucket_idx on source_activity (bucket)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('source_activity').ifExists().execute();
}
