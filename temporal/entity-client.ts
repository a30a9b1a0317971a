import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { HydrationTarget } from '../domain/hydration-target';
import { uriOf } from '../domain/uri';
import { entityWorkflowId } from '../domain/workflow-ids';
import type { Config } from '../platform/config';
import { metrics } from '../platform/metrics';
import type { RefreshRequest } from '../domain/refresh-cause';
import { entityWorkflow, refreshSignal, SEARCH_ATTRIBUTES, type EntityWorkflowSettings } from '../workflows/entity';

export function entityWorkflowSettings(config: Pick<Config, 'ingest' | 'uriScheme'>): EntityWorkflowSettings {
  return {
    uriScheme: config.uriScheme,
    debounceMs: config.ingest.debounceMs,
    idleMs: config.ingest.idleMs,
    goneRechecks: config.ingest.goneRechecks,
    goneRecheckMs: config.ingest.goneRecheckMs,
  };
}

const SIGNAL_DEADLINE_MS = 10_000;

/**
 * Hands a refresh request to the entity's workflow, starting the workflow if it is not running.
 * Resolves once Temporal has durably accepted the request. Most requests find no run (a run completes
 * when nothing is pending): a start that carries the request costs the engine one history event less
 * than signalWithStart; when a run is there, signalWithStart hands it over (or starts one if that run
 * completed meanwhile).
 */
export async function requestRefresh(
  client: Client,
  config: Pick<Config, 'temporal' | 'ingest' | 'uriScheme'>,
  target: HydrationTarget,
  request: RefreshRequest,
): Promise<string> {
  const workflowId = entityWorkflowId(target);
  const attributes = [
    ...(target.type === 'user' ? [] : [{ key: SEARCH_ATTRIBUTES.uri, value: uriOf(target.type, target.lookupKey, config.uriScheme) }]),
  ];
  const options = { workflowId, taskQueue: config.temporal.taskQueue, typedSearchAttributes: new TypedSearchAttributes(attributes) };
  const settings = entityWorkflowSettings(config);
  // A deadline, so that a caller (the consumer, an API request) hears of an outage instead of waiting on it.
  await client.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, async () => {
    try {
      await client.workflow.start(entityWorkflow, { ...options, args: [{ target, settings, pending: [request] }] });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      await client.workflow.signalWithStart(entityWorkflow, {
        ...options,
        args: [{ target, settings }],
        signal: refreshSignal,
        signalArgs: [request],
      });
    }
  });
  metrics.workflowStarts.inc({ cause: request.cause.kind });
  return workflowId;
}
