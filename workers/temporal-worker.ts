import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { SOURCE_NAMES } from '../domain/vocabulary';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { hydrateTaskQueue } from '../temporal/entity-client';
import { installTemporalRuntime } from './temporal-runtime';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface TemporalWorker {
  readonly workers: readonly Worker[];
  /** Resolves when every worker has stopped polling (after `shutdown()`), closing the connection. */
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * The worker process: one worker on the main task queue (workflows, persist, index) and one per
 * source on that source's hydration queue, whose `maxTaskQueueActivitiesPerSecond` is the source's
 * rate limit. Temporal enforces that limit on the server, across every worker process.
 */
export async function createTemporalWorker(input: {
  config: Pick<Config, 'temporal' | 'sources'>;
  logger: Logger;
  deps: ActivityDeps;
  taskQueue?: string;
}): Promise<TemporalWorker> {
  installTemporalRuntime(input.logger);
  const { config } = input;
  const taskQueue = input.taskQueue ?? config.temporal.taskQueue;
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const activities = createActivities(input.deps);
  const main = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: {
      ping: activities.ping,
      persist: activities.persist,
      indexEntities: activities.indexEntities,
      refreshStale: activities.refreshStale,
      enrichPage: activities.enrichPage,
    },
    maxConcurrentActivityTaskExecutions: 50,
  });
  const hydrators = await Promise.all(
    SOURCE_NAMES.map((source) =>
      Worker.create({
        connection,
        namespace: config.temporal.namespace,
        taskQueue: hydrateTaskQueue({ temporal: { ...config.temporal, taskQueue } }, source),
        activities:
          source === 'identity' ? { hydrate: activities.hydrate, resolveEmail: activities.resolveEmail } : { hydrate: activities.hydrate },
        maxTaskQueueActivitiesPerSecond: config.sources[source].ratePerSecond,
        maxConcurrentActivityTaskExecutions: 20,
      }),
    ),
  );
  const workers = [main, ...hydrators];
  return {
    workers,
    async run() {
      // When one worker fails, the others are shut down too, so that a restart starts from none.
      const stopOthers = (error: unknown): never => {
        for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
        throw error;
      };
      const results = await Promise.allSettled(workers.map((worker) => worker.run().catch(stopOthers)));
      await connection.close().catch(() => undefined);
      const failure = results.find((result) => result.status === 'rejected');
      if (failure) throw failure.reason;
    },
    shutdown() {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}
