import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { temporalConnection } from '../platform/server-security';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { installTemporalRuntime } from './temporal-runtime';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface TemporalWorker {
  readonly worker: Worker;
  /** Resolves when the worker has stopped polling (after `shutdown()`), closing the connection. */
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
  const connection = await NativeConnection.connect({ address: config.temporal.address, ...temporalConnection(config.temporal) });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: input.taskQueue ?? config.temporal.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities(input.deps),
    maxConcurrentActivityTaskExecutions: 50,
  });
  return {
    worker,
    async run() {
      try {
        await worker.run();
      } finally {
        await connection.close().catch(() => undefined);
      }
    },
    shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}
