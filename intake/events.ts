import type { Client } from '@temporalio/client';
import { validateEvent, type AcceptedEvent } from '../connectors/events';
import type { Config } from '../platform/config';
import { metrics } from '../platform/metrics';
import type { SourceActivity } from '../store/source-activity';
import { requestRefresh } from '../temporal/entity-client';

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
