import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Admin } from '@platformatic/kafka';
import type { EntityWorkflowStatus } from '../../workflows/entity';
import { waitForConvergence, waitForPipelineQuiet } from '../support/convergence';
import { startHarness } from '../support/harness';
import { startPipelineProcess, stopProcesses } from '../support/processes';
import { waitFor } from '../support/wait';

/**
 * Runs on the `cluster` profile (`npm run test:cluster`): the full Temporal server on PostgreSQL with
 * several history shards, and an events topic with several partitions, shared by two worker
 * processes and two consumer processes.
 */
describe('scale-out on the cluster engine', () => {
  it('when two workers and two consumers share a backlog, then every rate limit holds, each event is hydrated once, and the graph equals the truth', async () => {
    const rate = 8;
    const h = await startHarness({ seed: 61, size: 300, ratePerSecond: rate, inProcessPipeline: false });
    const children = [
      startPipelineProcess('worker', h.env),
      startPipelineProcess('worker', h.env),
      startPipelineProcess('consumer', h.env),
      startPipelineProcess('consumer', h.env),
    ];
    const admin = new Admin({ clientId: 'mlg-test-admin', bootstrapBrokers: [...h.services.config.kafka.brokers] });
    try {
      const { config } = h.services;
      // Both consumers joined the group and each holds partitions of the events topic.
      await waitFor(
        'two consumers, each with partitions',
        async () => {
          const groups = await admin.describeGroups({ groups: [config.kafka.consumerGroup] });
          const members = [...(groups.get(config.kafka.consumerGroup)?.members.values() ?? [])];
          const holding = members.filter((m) => m.assignments?.get(config.kafka.eventsTopic)?.partitions.length);
          return members.length === 2 && holding.length === 2;
        },
        { timeoutMs: 90_000 },
      );
      const events = await h.demo.announce();
      // Quiet first (one small query a poll): the demo sources run in this process, and comparing whole
      // graphs while they serve would delay their clocks, not the workers' calls.
      await waitForPipelineQuiet(h, 5000);
      await waitForConvergence(h, { timeoutMs: 600_000 });

      const counts = h.demo.counters.snapshot();
      for (const [source, c] of Object.entries(counts))
        assert.ok((c?.maxServedPerSecond ?? 0) <= rate, `${source} served ${c?.maxServedPerSecond} requests in one second, limit ${rate}`);
      assert.ok((counts.registry?.served ?? 0) > rate * 3, 'the backlog was large enough to press against the limit');
      // Each entity was announced once: each entity workflow refreshed it once, whichever worker ran it.
      const refreshes = new Map<string, number>();
      for await (const wf of h.services.temporal.client.workflow.list({
        query: `TaskQueue="${config.temporal.taskQueue}" AND WorkflowType="entityWorkflow"`,
      })) {
        const result = (await h.services.temporal.client.workflow.getHandle(wf.workflowId, wf.runId).result()) as EntityWorkflowStatus;
        refreshes.set(wf.workflowId, (refreshes.get(wf.workflowId) ?? 0) + result.refreshes);
      }
      assert.ok(refreshes.size >= events.length, `${refreshes.size} entity workflows for ${events.length} events`);
      const twice = [...refreshes].filter(([, n]) => n > 1);
      assert.deepEqual(twice, [], 'no entity was hydrated twice for its one event');
      const calls = Object.values(counts).reduce((n, c) => n + (c?.total ?? 0), 0);
      console.log(
        `[cluster] ${events.length} events, ${refreshes.size} entity workflows, ${calls} source calls (owner lookups and retries included)`,
      );

      // Both worker processes polled the entity workflows' queue.
      const pollers = await h.services.temporal.client.workflowService.describeTaskQueue({
        namespace: config.temporal.namespace,
        taskQueue: { name: config.temporal.taskQueue },
        taskQueueType: 1, // workflow tasks
      });
      const identities = new Set((pollers.pollers ?? []).map((p) => p.identity ?? ''));
      assert.ok(identities.size >= 2, `workflow pollers: ${[...identities].join(', ')}`);
    } finally {
      await admin.close();
      await stopProcesses(children);
      await h.close();
    }
  });
});
