/**
 * `npm start`: the whole system on its local defaults. Brings up the local stack (only the servers
 * the environment does not point elsewhere), migrates, starts the demo source systems with their
 * world (unless MLG_DEMO=off; the world comes in by a full sync, its changes as events), the Temporal
 * workers, the Kafka ingest consumer and the API, prints where to look, and stops everything on Ctrl-C.
 */
import { createApp } from '../api/app';
import { banner } from './banner';
import { listen } from '../api/server';
import { startDemoSources, type DemoSources } from '../demo/demo-sources';
import { kafkaSink } from '../demo/emit/sinks';
import { mlflowClient } from '../demo/mlflow/mlflow-client';
import { MLFLOW_WEBHOOK_PATH } from '../api/routes/webhooks';
import { triggerEnrichment } from '../temporal/enrichment-schedule';
import { dataPlatformEvents, sendDataPlatformEvents } from '../demo/openlineage/data-platform';
import { EXACT_KNOBS, IMPERFECT_KNOBS } from '../demo/servers/knobs';
import {
  apiCredentialsProblem,
  ConfigError,
  DEMO_CONTROL_PORT,
  DEMO_MLFLOW_WEBHOOK_SECRET,
  demoToken,
  demoTokensInUse,
  loadConfig,
  loadLocalStackSettings,
} from '../platform/config';
import { isLoopback } from '../platform/credentials';
import { createLogger } from '../platform/logger';
import { exitOnUnexpected } from '../platform/process';
import { untilDone } from '../platform/retry';
import { openServices } from '../platform/services';
import { buildPortal } from '../portal/build';
import { PROFILES } from '../stack/profiles';
import { startMlflow, type LocalMlflow } from '../stack/mlflow';
import { localServers } from '../stack/server';
import { down, up } from '../stack/stack';
import { migrateToLatest } from '../store/migrate';
import { startSyncAll } from '../temporal/sync-schedule';
import { startPipeline } from '../workers/pipeline';

async function main(): Promise<void> {
  let config = loadConfig();
  // Before any server is started: an API that would take the README's secrets off loopback does not start.
  const refused = apiCredentialsProblem(config);
  if (refused) throw new ConfigError(refused);
  if (config.demo.mlflow && config.mlflow.webhookSecret === null && !isLoopback(config.api.host))
    throw new ConfigError(
      `MLG_MLFLOW=on with HOST=${config.api.host}: set MLG_MLFLOW_WEBHOOK_SECRET (the demo's is accepted on loopback only)`,
    );
  const logger = createLogger(config);
  exitOnUnexpected(logger);
  const local = localServers(process.env);
  if (local.length > 0) await up(PROFILES.dev, local, (message) => logger.info(`[stack] ${message}`));
  // MLG_MLFLOW=on: a real MLflow beside the demo, unless the environment points at one already.
  let mlflow: LocalMlflow | null = null;
  if (config.demo.mlflow && config.sources.mlflow.url === null) {
    mlflow = await startMlflow('dev');
    logger.info({ url: mlflow.url }, 'local MLflow up');
    config = loadConfig({
      ...process.env,
      MLG_SOURCE_MLFLOW_URL: mlflow.url,
      MLG_MLFLOW_WEBHOOK_SECRET: process.env.MLG_MLFLOW_WEBHOOK_SECRET ?? DEMO_MLFLOW_WEBHOOK_SECRET,
    });
  }

  const services = await openServices(config, logger);
  const migrations = await untilDone('migrate the database', () => migrateToLatest(services.db), { logger });
  logger.info({ applied: migrations.map((m) => m.migrationName) }, 'database migrated');

  let demo: DemoSources | null = null;
  if (config.demo.mode !== 'off') {
    demo = await startDemoSources({
      seed: config.demo.seed,
      size: config.demo.size,
      port: DEMO_CONTROL_PORT,
      knobs: config.demo.mode === 'imperfect' ? IMPERFECT_KNOBS : EXACT_KNOBS,
      // A few known metadata defects, so that the quality pages have something true to show.
      defects: 3,
      sink: kafkaSink(config.kafka, config.kafka.eventsTopic, logger),
      uriScheme: config.uriScheme,
    });
    logger.info(`demo sources: ${demo.world.size()} records; control ${demo.controlUrl}/_admin/truth`);
  }
  const portal = await buildPortal();
  logger.info({ dir: portal.dir, built: portal.built }, 'portal ready');
  const pipeline = await startPipeline({ services, logger });
  const http = await listen(createApp({ services, logger }), config.api.host, config.api.port);
  if (demo) {
    // The demo world is brought in as a new deployment would be: a full sync of every source (a few
    // seconds), not one event per entity; its changes from then on arrive as events.
    await untilDone('start a full sync of the demo sources', () => startSyncAll(services.temporal.client, config, 'full'), {
      logger,
    });
    logger.info('demo world: full sync of every source started');
    if (config.demo.mutationsPerSecond > 0) demo.startStream(config.demo.mutationsPerSecond);
  }

  const api = `http://${config.api.host}:${http.port}`;
  // The demo's producers post with the demo's token: only when it is accepted (no credentials of your own).
  const writeToken = demoTokensInUse(config) ? demoToken('admin') : null;
  if (demo && writeToken) {
    // The data platform upstream of the ML platform reports its jobs as OpenLineage producers do.
    const world = demo.world;
    await untilDone(
      'send the data platform lineage',
      () => sendDataPlatformEvents(api, writeToken, dataPlatformEvents(world, { datasets: 5 })),
      {
        logger,
      },
    );
    logger.info('demo data platform: OpenLineage events sent');
  }
  if (mlflow && config.mlflow.webhookSecret) {
    // The webhook first, so that the seed's registry events arrive as they would from any MLflow.
    const client = mlflowClient(mlflow.venv, mlflow.url);
    const secret = config.mlflow.webhookSecret;
    await untilDone('create the MLflow webhook', () => client.createWebhook(`${api}${MLFLOW_WEBHOOK_PATH}`, secret), { logger });
    const seeded = await untilDone('seed MLflow', () => client.seed(), { logger });
    // Runs and experiments send no webhooks: a sweep hydrates the ones the new versions reference.
    await untilDone('start an enrichment sweep', () => triggerEnrichment(services.temporal.client, config), { logger });
    logger.info({ versions: seeded.created.length }, 'MLflow seeded');
  }
  logger.info({ api, temporalUi: config.temporal.uiUrl, demo: demo?.controlUrl ?? null }, 'ready');
  console.log(
    banner({
      config,
      api,
      demo: demo ? { records: demo.world.size(), truthUrl: `${demo.controlUrl}/_admin/truth` } : null,
      mlflow: mlflow?.url ?? config.sources.mlflow.url,
    }),
  );

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await http.close();
    await demo?.close();
    if (mlflow && !loadLocalStackSettings().keepStack) await mlflow.stop();
    await pipeline.close();
    await services.close();
    if (local.length > 0 && !loadLocalStackSettings().keepStack)
      await down(PROFILES.dev, local, (message) => logger.info(`[stack] ${message}`));
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
