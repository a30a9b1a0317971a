import { sql } from 'kysely';
import { startDemoSources, type DemoSources } from '../../demo/demo-sources';
import { kafkaSink } from '../../demo/emit/sinks';
import type { Knobs } from '../../demo/servers/knobs';
import { REFERENCE_SOURCES, type ReferenceSource } from '../../domain/vocabulary';
import { createLogger } from '../../platform/logger';
import type { Services } from '../../platform/services';
import { dropIndices } from '../../search/indices';
import type { Db } from '../../store/database';
import { migrateToLatest } from '../../store/migrate';
import { enrichmentScheduleId } from '../../temporal/enrichment-schedule';
import { syncScheduleId } from '../../temporal/sync-schedule';
import { startPipeline, type Pipeline } from '../../workers/pipeline';
import { openTestServices, uniqueName } from './services';

export interface Harness {
  /** The environment the pipeline runs with: for starting worker processes of its own. */
  readonly env: NodeJS.ProcessEnv;
  readonly services: Services;
  readonly demo: DemoSources;
  readonly pipelines: Pipeline[];
  /** Empties the graph again (the pipeline keeps running). */
  reset(): Promise<void>;
  /** Starts one more worker process's worth of pipeline (workers and consumer) on the same queues. */
  addPipeline(): Promise<Pipeline>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly seed: number;
  readonly size: number;
  readonly knobs?: Partial<Knobs>;
  /** Hydration calls per second allowed per source (the Temporal task-queue limit). */
  readonly ratePerSecond?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Start a pipeline in this process (default), or leave it to the test. */
  readonly inProcessPipeline?: boolean;
}

/** Empties the graph: the history tables are append-only, so a test run starts them afresh. */
export async function resetDatabase(db: Db): Promise<void> {
  await migrateToLatest(db);
  await sql`truncate tx, facts, edges, entities, current_edges, sync_runs, openlineage_events, openlineage_records, column_edges, source_activity, quality_signals restart identity`.execute(
    db,
  );
}

/** Terminates entity workflows left running by an earlier test, so their ids are free again. */
async function terminateRunningWorkflows(services: Services): Promise<void> {
  for await (const workflow of services.temporal.client.workflow.list({ query: 'ExecutionStatus="Running"' })) {
    await services.temporal.client.workflow
      .getHandle(workflow.workflowId, workflow.runId)
      .terminate('test reset')
      .catch(() => undefined);
  }
}

/**
 * A whole ingestion setup on the real test stack: demo sources over a generated world sending to a
 * fresh Kafka topic, a fresh graph, fresh indices and task queues, and a running pipeline.
 */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const run = uniqueName('ingest');
  const topic = `${run}.events`;
  const probe = await openTestServices({ MLG_EVENTS_TOPIC: topic });
  const demo = await startDemoSources({
    seed: options.seed,
    size: options.size,
    port: 0,
    knobs: options.knobs,
    sink: kafkaSink(probe.config.kafka, topic),
  });
  await probe.close();
  const sourceEnv = Object.fromEntries(
    REFERENCE_SOURCES.flatMap((source: ReferenceSource) => [
      [`MLG_SOURCE_${source.toUpperCase()}_URL`, demo.urls[source] ?? ''],
      [`MLG_SOURCE_${source.toUpperCase()}_RATE_LIMIT`, String(options.ratePerSecond ?? 200)],
    ]),
  );
  const env = {
    ...sourceEnv,
    MLG_EVENTS_TOPIC: topic,
    MLG_DEAD_LETTER_TOPIC: `${run}.dlq`,
    MLG_CONSUMER_GROUP: `${run}-group`,
    TEMPORAL_TASK_QUEUE: run,
    MLG_INDEX_PREFIX: `mlg-test-${run.toLowerCase()}-`,
    MLG_DEBOUNCE_MS: '100',
    MLG_HYDRATION_CACHE_MS: '0',
    MLG_GONE_RECHECKS: '2',
    MLG_GONE_RECHECK_MS: '300',
    MLG_ENRICHMENT_INTERVAL_MS: String(3_600_000),
    // No scheduled syncs: a test (or a benchmark) that crosses the hour would otherwise meet one.
    MLG_SYNC_INTERVAL_MS: '0',
    MLG_FULL_SYNC_INTERVAL_MS: '0',
    ...options.env,
  };
  const services = await openTestServices(env);
  await resetDatabase(services.db);
  await terminateRunningWorkflows(services);
  const logger = createLogger(services.config);
  const pipelines: Pipeline[] = [];
  const opened: Services[] = [services];
  const harness: Harness = {
    env: { ...process.env, ...env },
    services,
    demo,
    pipelines,
    reset: () => resetDatabase(services.db),
    async addPipeline() {
      const own = await openTestServices(env);
      opened.push(own);
      const pipeline = await startPipeline({ services: own, logger });
      pipelines.push(pipeline);
      return pipeline;
    },
    async close() {
      for (const id of [
        enrichmentScheduleId(services.config),
        syncScheduleId(services.config, 'incremental'),
        syncScheduleId(services.config, 'full'),
      ])
        await services.temporal.client.schedule
          .getHandle(id)
          .delete()
          .catch(() => undefined);
      await demo.close();
      await Promise.all(pipelines.map((p) => p.close()));
      await dropIndices(services.search, services.config.elasticsearch.indexPrefix);
      await Promise.all(opened.map((s) => s.close()));
    },
  };
  if (options.inProcessPipeline !== false) await harness.addPipeline();
  return harness;
}
