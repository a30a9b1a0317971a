import { sql, type Kysely } from 'kysely';

/** Finding the inferred edges that rest on a given edge: a GIN index over their supporting edges. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time and see the database untyped
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index current_edges_support_idx on current_edges using gin (support jsonb_path_ops) where support is not null`.execute(
    db,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists current_edges_support_idx`.execute(db);
}
