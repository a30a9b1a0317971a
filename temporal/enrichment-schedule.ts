import { setTimeout as sleep } from 'node:timers/promises';
import { ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../platform/config';
import { AppError } from '../platform/errors';
import { upsertSchedule } from './schedule';
import { enrichmentSweepWorkflow, type EnrichmentCounts, type EnrichmentSweepInput } from '../workflows/enrichment';

type EnrichmentConfig = Pick<Config, 'temporal' | 'enrichment'>;

export const enrichmentScheduleId = (config: Pick<Config, 'temporal'>): string => `${config.temporal.taskQueue}-enrichment`;

function scheduleOptions(config: EnrichmentConfig): ScheduleOptions {
  const input: EnrichmentSweepInput = {
    settings: { staleAfterMs: config.enrichment.staleAfterMs, batchSize: config.enrichment.batchSize },
  };
  return {
    scheduleId: enrichmentScheduleId(config),
    spec: { intervals: [{ every: config.enrichment.intervalMs }] },
    action: {
      type: 'startWorkflow',
      workflowType: enrichmentSweepWorkflow,
      taskQueue: config.temporal.taskQueue,
      workflowId: `${enrichmentScheduleId(config)}-sweep`,
      args: [input],
    },
    // Only one sweep at a time: a sweep that is due while one runs is skipped.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
  };
}

/** Creates the enrichment schedule, or brings an existing one up to the configured interval and settings. */
export async function ensureEnrichmentSchedule(client: Client, config: EnrichmentConfig): Promise<void> {
  await upsertSchedule(client, scheduleOptions(config));
}

/**
 * Starts a sweep now through the schedule, so the one-at-a-time rule holds for on-demand sweeps too:
 * if one is already running, that one is the answer. Resolves with the sweep's workflow id.
 */
export async function triggerEnrichment(client: Client, config: EnrichmentConfig): Promise<{ workflowId: string; runId: string }> {
  const handle = client.schedule.getHandle(enrichmentScheduleId(config));
  for (let attempt = 0; attempt < 50; attempt++) {
    // A deadline, so that a caller hears of a Temporal outage instead of waiting on it. Triggered again
    // each second: a trigger just after a sweep ended is skipped if the schedule has not heard of it yet.
    if (attempt % 10 === 0) await client.withDeadline(Date.now() + 10_000, () => handle.trigger(ScheduleOverlapPolicy.SKIP));
    const running = (await handle.describe()).info.runningActions[0];
    if (running) return { workflowId: running.workflow.workflowId, runId: running.workflow.firstExecutionRunId };
    await sleep(100);
  }
  throw new AppError('SERVICE_UNAVAILABLE', 'the enrichment sweep did not start within 5 seconds');
}

/**
 * Runs a sweep now and waits for its counts (following it across continue-as-new). A sweep that was
 * already running may have passed entities written since it started: it is waited for, and then a
 * sweep of this call's own is run.
 */
export async function runSweepAndWait(client: Client, config: EnrichmentConfig): Promise<EnrichmentCounts & { workflowId: string }> {
  const schedule = client.schedule.getHandle(enrichmentScheduleId(config));
  const earlier = (await schedule.describe()).info.runningActions[0]?.workflow.firstExecutionRunId ?? null;
  let run = await triggerEnrichment(client, config);
  if (run.runId === earlier) {
    // Its outcome is not this call's answer: only that it is out of the way.
    await client.workflow
      .getHandle<typeof enrichmentSweepWorkflow>(run.workflowId, run.runId, { followRuns: true })
      .result()
      .catch(() => undefined);
    // The schedule hears of the end a moment later: a trigger before then would be skipped.
    for (let attempt = 0; attempt < 100; attempt++) {
      const running = (await schedule.describe()).info.runningActions;
      if (!running.some((action) => action.workflow.firstExecutionRunId === earlier)) break;
      await sleep(100);
    }
    run = await triggerEnrichment(client, config);
  }
  const counts = await client.workflow.getHandle<typeof enrichmentSweepWorkflow>(run.workflowId, run.runId, { followRuns: true }).result();
  return { ...counts, workflowId: run.workflowId };
}
