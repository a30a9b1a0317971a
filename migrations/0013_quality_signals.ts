import { sql, type Kysely } from 'kysely';

/**
 * Quality signals as the enrichment sweep found them, with their history: a row per signal of a
 * subject (an entity URI, or `source:<name>` for a source system), opened when the sweep first saw it
 * and closed when a later sweep no longer did. At most one open row per subject and code.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time and see the database untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('quality_signals')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('closed_at', 'timestamptz')
    .execute();
  await sql`create unique index quality_signals_open_idx on quality_signals (subject, code) where closed_at is null`.execute(db);
  await sql`create index quality_signals_subject_idx on quality_signals (subject, opened_at)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('quality_signals').ifExists().execute();
}
