import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createDatabase, isDatabaseUnavailable, pingPostgres, type Db } from '../../store/database';
import { migrateToLatest, MigrationError } from '../../store/migrate';
import { testConfig, uniqueName } from '../support/services';

describe('PostgreSQL', () => {
  let db: Db;
  before(() => {
    db = createDatabase(testConfig().postgres);
  });
  after(async () => {
    await db.destroy();
  });

  it('when queried, then it answers with its version', async () => {
    const { version } = await pingPostgres(db);
    assert.match(version, /^\d+/);
    assert.ok(Number.parseInt(version, 10) >= 15);
    const result = await sql<{ sum: number }>`select 40 + 2 as sum`.execute(db);
    assert.equal(result.rows[0]?.sum, 42);
  });

  it('when a connection is lost inside a transaction, then the transaction fails and the pool carries on', async () => {
    const killer = createDatabase(testConfig().postgres, { max: 1 });
    try {
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
          await sql`select pg_terminate_backend(${rows[0]?.pid})`.execute(killer);
          // The connection is checked out and idle between statements when the server closes it.
          await new Promise((resolve) => setTimeout(resolve, 300));
          await sql`select 1`.execute(trx);
        }),
        (error: unknown) => isDatabaseUnavailable(error),
      );
      const again = await sql<{ one: number }>`select 1 as one`.execute(db);
      assert.equal(again.rows[0]?.one, 1);
    } finally {
      await killer.destroy();
    }
  });

  it('when migrated twice, then the second run applies nothing', async () => {
    await migrateToLatest(db);
    const again = await migrateToLatest(db);
    assert.deepEqual(again, []);
  });

  it('when a migration fails, then the runner throws and names it', async () => {
    const database = uniqueName('mlg_mig').replaceAll('-', '_');
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mlg-migrations-'));
    fs.writeFileSync(
      path.join(folder, '0001_broken.ts'),
      "export async function up(db) { await db.schema.createTable('t').addColumn('id', 'no_such_type').execute(); }\n",
    );
    await sql`create database ${sql.id(database)}`.execute(db);
    const url = new URL(testConfig().postgres.url);
    url.pathname = `/${database}`;
    const scratch = createDatabase({ ...testConfig().postgres, url: url.toString() });
    try {
      await assert.rejects(
        migrateToLatest(scratch, folder),
        (error: unknown) => error instanceof MigrationError && /0001_broken/.test(error.message),
      );
    } finally {
      await scratch.destroy();
      await sql`drop database ${sql.id(database)}`.execute(db);
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
