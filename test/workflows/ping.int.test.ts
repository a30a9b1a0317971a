import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activityDepsFrom } from '../../activities/deps';
import { createLogger } from '../../platform/logger';
import { createTemporalWorker } from '../../workers/temporal-worker';
import { pingWorkflow } from '../../workflows';
import { openTestServices, uniqueName } from '../support/services';

describe('pingWorkflow', () => {
  it('when started, then a real worker runs it and its activity to completion', async () => {
    const services = await openTestServices();
    const taskQueue = uniqueName('ping');
    const worker = await createTemporalWorker({
      config: services.config,
      logger: createLogger(services.config),
      deps: activityDepsFrom(services),
      taskQueue,
    });
    const running = worker.run();
    try {
      const result = await services.temporal.client.workflow.execute(pingWorkflow, {
        taskQueue,
        workflowId: uniqueName('ping'),
        args: [{ message: 'hello' }],
      });
      assert.deepEqual(result, { message: 'hello', taskQueue, attempt: 1 });
    } finally {
      worker.shutdown();
      await running;
      await services.close();
    }
  });
});
