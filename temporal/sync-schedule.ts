import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  WorkflowExecutionAlreadyStartedError,
  type Client,
  type ScheduleOptions,
  type WorkflowHandle,
} from '@temporalio/client';
import type { SyncMode } from '../domain/sync-mode';
import type { SourceName } from '../domain/vocabulary';
import { configuredSources, type Config } from '../platform/config';
import { upsertSchedule } from './schedule';
import { syncAllWorkflow, syncWorkflow, type SyncAllInput, type SyncSettings } from '../workflows/sync';

type SyncConfig = Pick<Config, 'temporal' | 'sync' | 'sources'>;

export const syncScheduleId = (config: Pick<Config, 'temporal'>, mode: SyncMode): string => `${config.temporal.taskQueue}-sync-${mode}`;

/** The workflow id of an on-demand sync of one source: one at a time per source. */
export const syncWorkflowId = (config: Pick<Config, 'temporal'>, source: SourceName): string =>
  `${config.temporal.taskQueue}-sync-${source}`;

const settingsOf = (config: SyncConfig): SyncSettings => ({ pageSize: config.sync.pageSize, maxDeleteShare: config.sync.maxDeleteShare });

function scheduleOptions(config: SyncConfig, mode: SyncMode): ScheduleOptions {
  const input: SyncAllInput = { sources: configuredSources(config), mode, force: false, settings: settingsOf(config) };
  return {
    scheduleId: syncScheduleId(config, mode),
    spec: { intervals: [{ every: mode === 'full' ? config.sync.fullIntervalMs : config.sync.intervalMs }] },
    action: {
      type: 'startWorkflow',
      workflowType: syncAllWorkflow,
      taskQueue: config.temporal.taskQueue,
      workflowId: `${syncScheduleId(config, mode)}-run`,
      args: [input],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
  };
}

/**
 * Creates the incremental and the full sync schedules, or brings them up to the configured intervals;
 * a schedule whose interval is 0 is removed.
 */
export async function ensureSyncSchedules(client: Client, config: SyncConfig): Promise<void> {
  for (const mode of ['incremental', 'full'] as const) {
    const options = scheduleOptions(config, mode);
    if ((mode === 'full' ? config.sync.fullIntervalMs : config.sync.intervalMs) === 0) {
      await client.schedule
        .getHandle(options.scheduleId)
        .delete()
        .catch((error: unknown) => {
          if (!(error instanceof ScheduleNotFoundError)) throw error;
        });
      continue;
    }
    await upsertSchedule(client, options);
  }
}

/** Starts a sync of every source now (identity first), as the schedules do; one already running is the answer. */
export async function startSyncAll(client: Client, config: SyncConfig, mode: SyncMode): Promise<void> {
  const input: SyncAllInput = { sources: configuredSources(config), mode, force: false, settings: settingsOf(config) };
  await client.workflow
    .start(syncAllWorkflow, { taskQueue: config.temporal.taskQueue, workflowId: `${syncScheduleId(config, mode)}-now`, args: [input] })
    .catch((error: unknown) => {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    });
}

export interface SyncRequest {
  readonly source: SourceName;
  readonly mode: SyncMode;
  /** Only what changed since then (an incremental sync from an explicit time). */
  readonly since: Date | null;
  readonly force: boolean;
}

/**
 * Starts a sync of one source now. A sync of that source already running is the answer instead
 * (`attached`), whatever mode it runs in.
 */
export async function startSync(
  client: Client,
  config: SyncConfig,
  request: SyncRequest,
): Promise<{ handle: WorkflowHandle<typeof syncWorkflow>; attached: boolean }> {
  try {
    const handle = await client.workflow.start(syncWorkflow, {
      taskQueue: config.temporal.taskQueue,
      workflowId: syncWorkflowId(config, request.source),
      args: [
        {
          source: request.source,
          mode: request.mode,
          since: request.since?.toISOString() ?? null,
          force: request.force,
          settings: settingsOf(config),
        },
      ],
    });
    return { handle, attached: false };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    return { handle: client.workflow.getHandle<typeof syncWorkflow>(syncWorkflowId(config, request.source)), attached: true };
  }
}
