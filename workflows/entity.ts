import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { Activities } from '../activities';
import type { HydrateResult } from '../activities/hydrate';
import type { HydrationTarget } from '../domain/hydration-target';
import { SEARCH_ATTRIBUTE_NAMES } from '../domain/search-attributes';
import { causeLabel, type RefreshRequest } from '../domain/refresh-cause';
import { uriOf } from '../domain/uri';

export interface EntityWorkflowSettings {
  readonly uriScheme: string;
  readonly debounceMs: number;
  readonly idleMs: number;
  /** The task queue of the target's source (its hydration calls are rate-limited there). */
  readonly hydrateTaskQueue: string;
  /** Identity's task queue, for resolving owner emails. */
  readonly identityTaskQueue: string;
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
  type: defineSearchAttributeKey(SEARCH_ATTRIBUTE_NAMES.type, SearchAttributeType.KEYWORD),
  source: defineSearchAttributeKey(SEARCH_ATTRIBUTE_NAMES.source, SearchAttributeType.KEYWORD),
};

/** Continue as new well before the history grows large. */
const MAX_HISTORY_EVENTS = 2000;

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
// Persisting and indexing are short writes to our own stores: local activities, which cost the
// Temporal server a marker instead of three history events each. Hydration stays a regular activity,
// because its source's task queue is where the rate limit lives. A local activity runs inside a
// workflow task, so each attempt gets 4 s; while PostgreSQL or Elasticsearch is away, only a retry
// due within `localRetryThreshold` runs in the task, and every later one waits on a durable timer
// that the SDK schedules, so no workflow task is held open by the outage.
const { persist, indexEntities } = proxyLocalActivities<Activities>({
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

  const { hydrate } = proxyActivities<Activities>({ taskQueue: settings.hydrateTaskQueue, startToCloseTimeout: '30 seconds', retry });
  const { resolveEmail } = proxyActivities<Activities>({ taskQueue: settings.identityTaskQueue, startToCloseTimeout: '30 seconds', retry });

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
    let result: HydrateResult = await hydrate({ target });
    for (let check = 0; result.kind === 'gone' && !deletion && check < settings.goneRechecks; check++) {
      await sleep(settings.goneRecheckMs * 2 ** check);
      result = await hydrate({ target });
    }
    const tx = {
      source: target.source,
      cause: [...new Set(batch.map((request) => causeLabel(request.cause)))].sort().join(','),
      workflowId: workflowInfo().workflowId,
      eventIds: batch.flatMap((request) => (request.eventId ? [request.eventId] : [])),
    };
    if (result.kind === 'gone') {
      const persisted = await persist({ target, outcome: { kind: 'gone', uri: null }, tx });
      if (persisted.touched.length > 0) await indexEntities({ uris: persisted.touched });
      return 'gone';
    }
    const resolved = await Promise.all(result.unknownEmails.map(async (email) => [email, await resolveEmail({ email })] as const));
    const usernames = { ...result.usernames, ...Object.fromEntries(resolved) };
    const persisted = await persist({ target, outcome: { kind: 'found', normalized: result.normalized, usernames }, tx });
    if (persisted.touched.length > 0) await indexEntities({ uris: persisted.touched });
    if (target.type === 'user')
      upsertSearchAttributes([
        { key: SEARCH_ATTRIBUTES.uri, value: uriOf('user', result.normalized.primary.nativeId, settings.uriScheme) },
      ]);
    return persisted.changed ? 'changed' : 'unchanged';
  }
}
