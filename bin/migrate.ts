/**
 * `npm run migrate`: brings the configured database's schema to the latest migration (`npm start` and
 * the workers do this at start-up too) and says which migrations it applied.
 */
import { ConfigError, loadConfig } from '../platform/config';
import { createDatabase } from '../store/database';
import { migrateToLatest } from '../store/migrate';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = createDatabase(config.postgres);
  try {
    const applied = await migrateToLatest(db);
    console.log(applied.length === 0 ? 'the schema is up to date' : `applied: ${applied.map((m) => m.migrationName).join(', ')}`);
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
