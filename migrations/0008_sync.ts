import { sql, type Kysely } from 'kysely';

/**
 * Reconciliation with the sources. Each entity records when its stored state was fetched from its
 * source (`fetched_at`: a state fetched earlier never replaces one fetched later, whichever path
 * brought it) and when a listing last returned it (`listed_at`: a full sync marks deleted what its
 * listing no longer returns). `sync_runs` keeps each sync's mode, window, outcome and counts: the
 * next incremental sync starts from the last successful one's start.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time and see the database untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('entities').addColumn('fetched_at', 'timestamptz').addColumn('listed_at', 'timestamptz').execute();
  await db.schema
    .createTable('sync_runs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('full', 'incremental')`))
    .addColumn('since', 'timestamptz')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('running')
        .check(sql`status in ('running', 'completed', 'failed')`),
    )
    .addColumn('counts', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('message', 'text')
    .addColumn('workflow_id', 'text')
    .execute();
  await db.schema.createIndex('sync_runs_source_idx').on('sync_runs').columns(['source', 'started_at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sync_runs').ifExists().execute();
  await db.schema.alterTable('entities').dropColumn('listed_at').dropColumn('fetched_at').execute();
}
