import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { installTemporalRuntime } from './temporal-runtime';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface TemporalWorker {
  readonly workers: readonly Worker[];
  /** Resolves when every worker has stopped polling (after `shutdown()`), closing the connection. */
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * The worker process: one worker on the main task queue, for the workflows and their activities. A
 * refresh runs as a local activity of its entity's workflow; each source's rate limit is held by the
 * shared rate gate in PostgreSQL, across every worker process.
 */
export async function createTemporalWorker(input: {
  config: Pick<Config, 'temporal'>;
  logger: Logger;
  deps: ActivityDeps;
  taskQueue?: string;
}): Promise<TemporalWorker> {
  installTemporalRuntime(input.logger);
  const { config } = input;
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const main = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: input.taskQueue ?? config.temporal.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities(input.deps),
    maxConcurrentActivityTaskExecutions: 50,
  });
  const workers = [main];
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
