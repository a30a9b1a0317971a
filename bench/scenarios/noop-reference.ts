import { noopWorkflow } from '../../workflows';
import type { Harness } from '../../test/support/harness';
import { waitFor } from '../../test/support/wait';

/**
 * The engine's own ceiling, measured in the same run: how many workflows that do nothing the local
 * Temporal server starts and completes per second on this machine, started 50 at a time.
 */
export async function noopWorkflowsPerSecond(h: Harness, count: number): Promise<number> {
  const tag = `bench-noop-${Date.now()}`;
  const started = Date.now();
  for (let i = 0; i < count; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, (_, j) =>
        h.services.temporal.client.workflow.start(noopWorkflow, {
          taskQueue: h.services.config.temporal.taskQueue,
          workflowId: `${tag}-${i + j}`,
        }),
      ),
    );
  }
  await waitFor(
    'the no-op workflows to complete',
    async () =>
      (
        await h.services.temporal.client.workflow.count(
          `WorkflowType="noopWorkflow" AND ExecutionStatus="Completed" AND WorkflowId STARTS_WITH "${tag}"`,
        )
      ).count >= count,
    { timeoutMs: 600_000, intervalMs: 200 },
  );
  return count / ((Date.now() - started) / 1000);
}
