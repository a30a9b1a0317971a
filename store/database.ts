import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export function createDatabase(url: string, opts: { max?: number; statementTimeoutMs?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, statement_timeout: opts.statementTimeoutMs ?? 30_000 });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export async function pingPostgres(db: Db): Promise<{ version: string }> {
  const result = await sql<{ version: string }>`select current_setting('server_version') as version`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error('PostgreSQL returned no row');
  return { version: row.version };
}
