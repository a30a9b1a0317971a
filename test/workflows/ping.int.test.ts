import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../platform/logger';
import { connectTemporal } from '../../temporal/connection';
import { createTemporalWorker } from '../../workers/temporal-worker';
import { pingWorkflow } from '../../workflows';
import { testConfig, uniqueName } from '../support/services';

describe('pingWorkflow', () => {
  it('when started, then a real worker runs it and its activity to completion', async () => {
    const config = testConfig();
    const taskQueue = uniqueName('ping');
    const worker = await createTemporalWorker({ config, logger: createLogger(config), deps: {}, taskQueue });
    const running = worker.run();
    const temporal = await connectTemporal(config);
    try {
      const result = await temporal.client.workflow.execute(pingWorkflow, { taskQueue, workflowId: uniqueName('ping'), args: [{ message: 'hello' }] });
      assert.deepEqual(result, { message: 'hello', taskQueue, attempt: 1 });
    } finally {
      worker.shutdown();
      await running;
      await temporal.connection.close();
    }
  });
});
