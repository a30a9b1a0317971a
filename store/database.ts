import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../platform/config';
import { postgresConnection } from '../platform/server-security';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface DatabaseOptions {
  readonly max?: number;
  readonly statementTimeoutMs?: number;
  /**
   * Told of an error on an idle connection (the server restarted, a failover): the pool has already
   * dropped that connection and the next query opens a new one, so this is for logging only. Without
   * a listener, pg would raise it as an unhandled 'error' event and end the process.
   */
  readonly onIdleError?: (error: Error) => void;
}

/** How long a query waits for a connection before it fails (and its caller retries or answers 503). */
const CONNECT_TIMEOUT_MS = 5_000;

/** Where PostgreSQL is and how to reach it (TLS, a password apart from the URL). */
export type PostgresAccess = Config['postgres'];

export function createDatabase(postgres: PostgresAccess, opts: DatabaseOptions = {}): Db {
  const pool = new pg.Pool({
    ...postgresConnection(postgres),
    max: opts.max ?? 10,
    statement_timeout: opts.statementTimeoutMs ?? 30_000,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  pool.on('error', opts.onIdleError ?? (() => undefined));
  // A connection lost while checked out (inside a transaction, between its statements) emits 'error'
  // too, and pg-pool listens only while the connection is idle. The query in flight, or the next one,
  // fails with the same error and its caller retries; this listener only keeps the event from ending
  // the process.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export async function pingPostgres(db: Db): Promise<{ version: string }> {
  const result = await sql<{ version: string }>`select current_setting('server_version') as version`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error('PostgreSQL returned no row');
  return { version: row.version };
}

/** SQLSTATEs and socket errors that mean "the server is not there right now", not "the query is wrong". */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300)$/;
const UNAVAILABLE_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const UNAVAILABLE_MESSAGE = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/** Whether an error is PostgreSQL's answer to a statement (a constraint, bad data), not a driver's or another server's. */
export const isDatabaseError = (error: unknown): boolean => error instanceof pg.DatabaseError;

/** Whether an error from a query means that PostgreSQL is unreachable, restarting or out of connections. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_SOCKET.has(code))) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
  return error instanceof AggregateError && error.errors.some(isDatabaseUnavailable);
}
