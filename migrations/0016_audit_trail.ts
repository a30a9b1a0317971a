import { sql, type Kysely } from 'kysely';

/**
 * The audit trail: every write and operator action, and every refused credential, with who did it,
 * what, when, from where and how it ended. Append-only: a trigger refuses updates and deletes, so the
 * service itself cannot rewrite what it recorded.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time and see the database untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_trail')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('remote', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await sql`create index audit_trail_at_idx on audit_trail (at)`.execute(db);
  await sql`create index audit_trail_actor_idx on audit_trail (actor, id)`.execute(db);
  await sql`create index audit_trail_action_idx on audit_trail (action, id)`.execute(db);
  await sql`
    create function audit_trail_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'the audit trail is append-only';
    end $$`.execute(db);
  await sql`
    create trigger audit_trail_append_only before update or delete on audit_trail
    for each row execute function audit_trail_append_only()`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_trail').ifExists().execute();
  await sql`drop function if exists audit_trail_append_only()`.execute(db);
}
