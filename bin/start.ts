/**
 * `npm start`: the whole system on its local defaults. Brings up the local stack (only the servers
 * the environment does not point elsewhere), migrates, starts the Temporal worker, the Kafka ingest
 * consumer and the API, prints where to look, and stops everything on Ctrl-C.
 */
import { createApp } from '../api/app';
import { listen } from '../api/server';
import { ConfigError, loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { openServices } from '../platform/services';
import { PROFILES } from '../stack/profiles';
import { localServers } from '../stack/server';
import { down, up } from '../stack/stack';
import { migrateToLatest } from '../store/migrate';
import { startIngestConsumer } from '../workers/ingest-consumer';
import { createTemporalWorker } from '../workers/temporal-worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const local = localServers(process.env);
  if (local.length > 0) await up(PROFILES.dev, local, (message) => logger.info(`[stack] ${message}`));

  const services = await openServices(config);
  const migrations = await migrateToLatest(services.db);
  logger.info({ applied: migrations.map((m) => m.migrationName) }, 'database migrated');

  const worker = await createTemporalWorker({ config, logger, deps: {} });
  const workerDone = worker.run();
  const consumer = await startIngestConsumer({
    config,
    logger,
    handle: async (message) => logger.debug({ offset: message.offset.toString(), key: message.key }, 'event received'),
  });
  const http = await listen(createApp({ services, logger }), config.api.host, config.api.port);

  const api = `http://${config.api.host}:${http.port}`;
  logger.info(`API        ${api}  (health: ${api}/v1/health)`);
  logger.info(`Temporal UI ${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows`);
  logger.info('Ctrl-C stops everything');

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await http.close();
    await consumer.close();
    worker.shutdown();
    await workerDone;
    await services.close();
    if (local.length > 0 && process.env.MLG_KEEP_STACK !== '1') await down(PROFILES.dev, local, (message) => logger.info(`[stack] ${message}`));
    logger.info('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(signal));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
