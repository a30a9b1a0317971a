import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { FileMigrationProvider, Migrator, type MigrationResult } from 'kysely/migration';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/**
 * Brings the schema to the latest migration. Kysely's migrator reports failures in its result rather
 * than throwing, so the result is checked here and a failure names the migration that broke.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time and see the database untyped
export async function migrateToLatest(db: Kysely<any>, migrationFolder = MIGRATIONS_DIR): Promise<MigrationResult[]> {
  const migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder }) });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((result) => result.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : JSON.stringify(error ?? 'unknown error');
    throw new MigrationError(`migration ${failed?.migrationName ?? '(none)'} failed: ${cause}`);
  }
  return results;
}
