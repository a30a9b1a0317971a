import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  log,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { Activities } from '../activities';
import type { HydrationTarget } from '../domain/hydration-target';
import { SEARCH_ATTRIBUTE_NAMES } from '../domain/search-attributes';
import { causeLabel, type RefreshRequest } from '../domain/refresh-cause';
import { uriOf } from '../domain/uri';

export interface EntityWorkflowSettings {
  readonly uriScheme: string;
  readonly debounceMs: number;
  readonly idleMs: number;
  /** A source may announce an entity before it serves it: a 404 is checked again this many times, */
  readonly goneRechecks: number;
  /** the first after this delay, each next after twice the last. */
  readonly goneRecheckMs: number;
}

export interface EntityWorkflowInput {
  readonly target: HydrationTarget;
  readonly settings: EntityWorkflowSettings;
  /** Requests carried over a continue-as-new. */
  readonly pending?: readonly RefreshRequest[];
}

export interface EntityWorkflowStatus {
  readonly target: HydrationTarget;
  readonly pending: number;
  readonly refreshes: number;
  readonly lastResult: 'changed' | 'unchanged' | 'gone' | 'failed' | null;
}

export const refreshSignal = defineSignal<[RefreshRequest]>('refresh');
export const statusQuery = defineQuery<EntityWorkflowStatus>('status');

export const SEARCH_ATTRIBUTES = {
  uri: defineSearchAttributeKey(SEARCH_ATTRIBUTE_NAMES.uri, SearchAttributeType.KEYWORD),
};

/** Continue as new well before the history grows large. */
const MAX_HISTORY_EVENTS = 2000;

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
// A refresh (hydrate, resolve owners, persist, index) is one local activity: it costs the Temporal
// server one marker instead of three history events per step. Each attempt gets 4 s inside the
// workflow task; a source that is busy (the rate gate refuses to wait longer than a second), failing,
// or a store that is away makes it fail, and only a retry due within `localRetryThreshold` runs in the
// task: every later one waits on a durable timer that the SDK schedules, so no workflow task is held
// open. Documents that could not be written (Elasticsearch away) are indexed by a local activity of
// their own, so the source is not asked again.
const { refresh: refreshOnce, indexEntities } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '4 seconds',
  localRetryThreshold: '1 second',
  retry,
});

/**
 * One workflow per entity, keyed by its URI: it collapses bursts of refresh signals into one
 * hydration, then hydrates from the source, resolves owners, persists and indexes. It completes when
 * idle and continues as new before its history grows large; the next event starts it again.
 */
export async function entityWorkflow(input: EntityWorkflowInput): Promise<EntityWorkflowStatus> {
  const { target, settings } = input;
  const pending: RefreshRequest[] = [...(input.pending ?? [])];
  let refreshes = 0;
  let lastResult: EntityWorkflowStatus['lastResult'] = null;
  const status = (): EntityWorkflowStatus => ({ target, pending: pending.length, refreshes, lastResult });
  setHandler(refreshSignal, (request) => void pending.push(request));
  setHandler(statusQuery, status);

  for (;;) {
    // Nothing pending: complete at once (the next event starts a new run) unless told to wait a while;
    // waiting costs the engine a timer per refresh, completing costs it nothing more.
    const more = pending.length > 0 || (settings.idleMs > 0 && (await condition(() => pending.length > 0, settings.idleMs)));
    if (!more) return status();
    if (settings.debounceMs > 0) await sleep(settings.debounceMs);
    const batch = pending.splice(0);
    refreshes += 1;
    try {
      lastResult = await refresh(batch);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      // A non-retryable failure (the source rejected the call, or broke the contract): the entity
      // keeps its last good state, and the next event or sweep tries again.
      lastResult = 'failed';
      log.warn('refresh failed', { target, error: error.message, cause: error.cause?.message });
    }
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_HISTORY_EVENTS) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof entityWorkflow>({ target, settings, pending: pending.splice(0) });
    }
  }

  async function refresh(batch: readonly RefreshRequest[]): Promise<EntityWorkflowStatus['lastResult']> {
    const deletion = batch.some((request) => request.cause.kind === 'event' && request.cause.deletes);
    const tx = {
      source: target.source,
      cause: [...new Set(batch.map((request) => causeLabel(request.cause)))].sort().join(','),
      workflowId: workflowInfo().workflowId,
      eventIds: batch.flatMap((request) => (request.eventId ? [request.eventId] : [])),
    };
    let result = await refreshOnce({ target, tx, acceptGone: deletion || settings.goneRechecks === 0 });
    for (let check = 0; result.outcome === 'unconfirmed-gone'; check++) {
      await sleep(settings.goneRecheckMs * 2 ** check);
      result = await refreshOnce({ target, tx, acceptGone: check + 1 >= settings.goneRechecks });
    }
    if (result.unindexed.length > 0) await indexEntities({ uris: result.unindexed });
    if (target.type === 'user' && result.nativeId !== null)
      upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.uri, value: uriOf('user', result.nativeId, settings.uriScheme) }]);
    return result.outcome;
  }
}
