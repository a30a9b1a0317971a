import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { validateEvent, type AcceptedEvent } from '../connectors/events';
import { TypedSearchAttributes } from '@temporalio/common';
import type { HydrationTarget } from '../domain/hydration-target';
import { uriOf } from '../domain/uri';
import { entityWorkflowId } from '../domain/workflow-ids';
import type { SourceActivity } from '../store/source-activity';
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

/** Hands a validated thin event to its entity's workflow: the same for Kafka and for POST /v1/events. */
export function refreshForEvent(
  client: Client,
  config: Pick<Config, 'temporal' | 'ingest' | 'uriScheme'>,
  event: AcceptedEvent,
): Promise<string> {
  return requestRefresh(
    client,
    config,
    { type: event.entityType, source: event.source, lookupKey: event.lookupKey },
    { cause: { kind: 'event', eventType: event.eventType, deletes: event.deletes }, eventId: event.eventId },
  );
}

/**
 * Validates thin events posted over HTTP exactly as the consumer validates Kafka's, and hands the
 * valid ones to their workflows; resolves once every one is durably accepted. Rejections say why.
 */
export async function acceptEvents(
  client: Client,
  config: Pick<Config, 'temporal' | 'ingest' | 'uriScheme'>,
  events: readonly unknown[],
  activity?: SourceActivity,
): Promise<{ accepted: number; rejected: { index: number; reason: string }[] }> {
  const rejected: { index: number; reason: string }[] = [];
  const accepted: Promise<unknown>[] = [];
  events.forEach((raw, index) => {
    const verdict = validateEvent(raw);
    if (verdict.ok)
      accepted.push(refreshForEvent(client, config, verdict.event).then(() => activity?.count(verdict.event.source, 'events')));
    else rejected.push({ index, reason: verdict.reason });
  });
  await Promise.all(accepted);
  metrics.events.inc({ channel: 'http', outcome: 'accepted' }, accepted.length);
  metrics.events.inc({ channel: 'http', outcome: 'rejected' }, rejected.length);
  return { accepted: accepted.length, rejected };
}
