/**
 * `npm run worker`: one more worker process (Temporal workers and the Kafka ingest consumer) against
 * the configured servers, for scaling out beside `npm start`. Stops cleanly on SIGINT/SIGTERM.
 */
import { ConfigError, loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { exitOnUnexpected } from '../platform/process';
import { untilDone } from '../platform/retry';
import { openServices } from '../platform/services';
import { migrateToLatest } from '../store/migrate';
import { startPipeline } from './pipeline';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  exitOnUnexpected(logger);
  const services = await openServices(config, logger);
  await untilDone('migrate the database', () => migrateToLatest(services.db), { logger });
  const pipeline = await startPipeline({ services, logger });
  logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
  const stop = async (): Promise<void> => {
    await pipeline.close();
    await services.close();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
