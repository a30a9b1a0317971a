import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineSignal,
  log,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';

export interface OpenLineageWorkflowInput {
  /** Events carried over a continue-as-new (their hashes). */
  readonly pending?: readonly string[];
}

export interface OpenLineageWorkflowStatus {
  readonly applied: number;
  readonly pending: number;
  readonly failed: number;
}

/** An accepted OpenLineage event, stored already: the workflow is told its hash. */
export const lineageEventSignal = defineSignal<[{ hash: string }]>('lineageEvent');

const MAX_HISTORY_EVENTS = 2000;
const MAX_BATCH = 100;

const { applyOpenLineage, indexEntities } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '1 second',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * One workflow per OpenLineage subject (a run; a job or dataset for their own events), so that the
 * events of one run are applied one batch at a time, and the Temporal UI shows a run's events as the
 * signals of one workflow. Events that arrive meanwhile are applied together; the workflow completes
 * when nothing is pending and continues as new before its history grows large.
 */
export async function openLineageWorkflow(input: OpenLineageWorkflowInput): Promise<OpenLineageWorkflowStatus> {
  const pending: string[] = [...(input.pending ?? [])];
  let applied = 0;
  let failed = 0;
  setHandler(lineageEventSignal, ({ hash }) => void pending.push(hash));
  while (pending.length > 0) {
    // A bounded batch: each event is a transaction of its own, and a local activity must end in time.
    const batch = [...new Set(pending.splice(0, MAX_BATCH))];
    try {
      const result = await applyOpenLineage({ hashes: batch, workflowId: workflowInfo().workflowId });
      applied += result.applied;
      if (result.unindexed.length > 0) await indexEntities({ uris: result.unindexed });
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      failed += batch.length;
      log.error('OpenLineage events could not be applied', { hashes: batch, error: error.message, cause: error.cause?.message });
    }
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_HISTORY_EVENTS) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof openLineageWorkflow>({ pending: pending.splice(0) });
    }
  }
  return { applied, pending: pending.length, failed };
}
