/**
 * One more process of the pipeline against the configured servers, for scaling out beside `npm start`:
 * `npm run worker` runs the Temporal workers, `npm run consumer` the Kafka ingest consumer, and
 * `tsx workers/main.ts` with no role both. Stops cleanly on SIGINT/SIGTERM.
 */
import { ConfigError, loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { exitOnUnexpected } from '../platform/process';
import { untilDone } from '../platform/retry';
import { openServices } from '../platform/services';
import { migrateToLatest } from '../store/migrate';
import { startPipeline, type PipelineRole } from './pipeline';

const ROLES: readonly PipelineRole[] = ['worker', 'consumer', 'both'];

async function main(): Promise<void> {
  const role = (process.argv[2] ?? 'both') as PipelineRole;
  if (!ROLES.includes(role)) throw new ConfigError(`the role must be one of ${ROLES.join(', ')}, not '${process.argv[2]}'`);
  const config = loadConfig();
  const logger = createLogger(config);
  exitOnUnexpected(logger);
  const services = await openServices(config, logger);
  await untilDone('migrate the database', () => migrateToLatest(services.db), { logger });
  const pipeline = await startPipeline({ services, logger, role });
  logger.info({ role, taskQueue: config.temporal.taskQueue }, 'pipeline process running');
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
