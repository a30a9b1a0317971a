import { sql, type Kysely } from 'kysely';

/**
 * The graph's history and its current state. `tx`, `facts` and `edges` are append-only (a trigger
 * refuses UPDATE and DELETE); `entities` and `current_edges` are projections derived from them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time and see the database untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tx')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('workflow_id', 'text')
    .addColumn('event_ids', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute();
  await db.schema.createIndex('tx_at_idx').on('tx').column('at').execute();

  await db.schema
    .createTable('facts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('tx_id', 'bigint', (c) => c.notNull().references('tx.id'))
    .addColumn('entity_uri', 'text', (c) => c.notNull())
    .addColumn('attribute', 'text', (c) => c.notNull())
    .addColumn('value', 'jsonb')
    .addColumn('op', 'text', (c) => c.notNull().check(sql`op in ('assert', 'retract')`))
    .execute();
  await db.schema.createIndex('facts_entity_idx').on('facts').columns(['entity_uri', 'attribute', 'tx_id']).execute();

  await db.schema
    .createTable('edges')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('tx_id', 'bigint', (c) => c.notNull().references('tx.id'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('predicate', 'text', (c) => c.notNull())
    .addColumn('object', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('op', 'text', (c) => c.notNull().check(sql`op in ('assert', 'retract')`))
    .addColumn('inferred', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('rule', 'text')
    .addColumn('support', 'jsonb')
    .execute();
  await db.schema.createIndex('edges_subject_idx').on('edges').columns(['subject', 'tx_id']).execute();
  await db.schema.createIndex('edges_object_idx').on('edges').columns(['object', 'tx_id']).execute();

  await db.schema
    .createTable('entities')
    .addColumn('uri', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('native_id', 'text', (c) => c.notNull())
    .addColumn('lookup_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('placeholder', 'hydrated', 'enriched', 'deleted')`))
    .addColumn('attributes', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('tags', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('content_hash', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_hydrated_at', 'timestamptz')
    .addColumn('last_enriched_at', 'timestamptz')
    .addColumn('touched_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('entities_type_state_idx').on('entities').columns(['type', 'state']).execute();
  await db.schema.createIndex('entities_state_idx').on('entities').columns(['state', 'last_hydrated_at']).execute();
  await db.schema.createIndex('entities_touched_idx').on('entities').column('touched_at').execute();
  await db.schema.createIndex('entities_lookup_idx').on('entities').columns(['type', 'lookup_key']).execute();

  await db.schema
    .createTable('current_edges')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('predicate', 'text', (c) => c.notNull())
    .addColumn('object', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('inferred', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('rule', 'text')
    .addColumn('support', 'jsonb')
    .addColumn('tx_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('current_edges_pk', ['subject', 'predicate', 'object', 'origin'])
    .execute();
  await db.schema.createIndex('current_edges_object_idx').on('current_edges').columns(['object', 'predicate']).execute();
  await db.schema.createIndex('current_edges_origin_idx').on('current_edges').column('origin').execute();

  await sql`
    create function refuse_history_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only: % is not allowed', tg_table_name, tg_op;
    end $$`.execute(db);
  for (const table of ['tx', 'facts', 'edges']) {
    await sql`create trigger ${sql.id(`${table}_append_only`)} before update or delete on ${sql.table(table)} for each row execute function refuse_history_change()`.execute(
      db,
    );
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['current_edges', 'entities', 'edges', 'facts', 'tx']) await db.schema.dropTable(table).ifExists().execute();
  await sql`drop function if exists refuse_history_change()`.execute(db);
}
