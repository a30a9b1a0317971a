import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { installTemporalRuntime } from './temporal-runtime';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface TemporalWorker {
  readonly worker: Worker;
  /** Resolves when the worker has stopped polling (after `shutdown()`), closing its connection. */
  run(): Promise<void>;
  shutdown(): void;
}

/** Creates a worker on the configured task queue, connected for real to the Temporal server. */
export async function createTemporalWorker(input: { config: Pick<Config, 'temporal'>; logger: Logger; deps: ActivityDeps; taskQueue?: string }): Promise<TemporalWorker> {
  installTemporalRuntime(input.logger);
  const connection = await NativeConnection.connect({ address: input.config.temporal.address });
  const worker = await Worker.create({
    connection,
    namespace: input.config.temporal.namespace,
    taskQueue: input.taskQueue ?? input.config.temporal.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities(input.deps),
  });
  return {
    worker,
    async run() {
      try {
        await worker.run();
      } finally {
        await connection.close();
      }
    },
    shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}
