import type { Client } from '@temporalio/client';
import type { StringProducer } from '../bus/kafka';
import { validateEventJson } from '../connectors/events';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { metrics } from '../platform/metrics';
import { refreshForEvent } from './events';
import type { Db } from '../store/database';
import type { SourceActivity } from '../store/source-activity';
import { acceptOpenLineage } from './openlineage';
import type { ConsumedMessage, MessageHandler } from '../bus/kafka';

/** Headers of a dead-lettered event: why it was refused and where it came from. */
export const DEAD_LETTER_HEADERS = Object.freeze({
  reason: 'mlg-dlq-reason',
  topic: 'mlg-original-topic',
  partition: 'mlg-original-partition',
  offset: 'mlg-original-offset',
});

/**
 * Validates each event (a thin event, or an OpenLineage event from its own topic); a valid one is handed to its entity's workflow (requestRefresh), a
 * malformed or unknown one goes to the dead-letter topic with its reason. Either way the message is
 * safe when this resolves, and consumption carries on.
 */
export function createEventHandler(deps: {
  client: Client;
  db: Db;
  config: Pick<Config, 'kafka' | 'temporal' | 'ingest' | 'uriScheme'>;
  producer: StringProducer;
  logger: Logger;
  activity?: SourceActivity;
}): MessageHandler {
  const deadLetter = async (message: ConsumedMessage, reason: string): Promise<void> => {
    deps.logger.warn(
      { reason, topic: message.topic, partition: message.partition, offset: message.offset.toString() },
      'event dead-lettered',
    );
    await deps.producer.send({
      messages: [
        {
          topic: deps.config.kafka.deadLetterTopic,
          key: message.key,
          value: message.value,
          headers: {
            [DEAD_LETTER_HEADERS.reason]: reason,
            [DEAD_LETTER_HEADERS.topic]: message.topic,
            [DEAD_LETTER_HEADERS.partition]: String(message.partition),
            [DEAD_LETTER_HEADERS.offset]: message.offset.toString(),
          },
        },
      ],
    });
  };
  const lineage = async (message: ConsumedMessage): Promise<void> => {
    let raw: unknown;
    try {
      raw = JSON.parse(message.value);
    } catch (error) {
      return deadLetter(message, `not JSON: ${(error as Error).message}`);
    }
    const { rejected } = await acceptOpenLineage(deps, [raw], 'kafka');
    if (rejected[0]) await deadLetter(message, rejected[0].reason);
  };
  return async (message) => {
    if (message.topic === deps.config.kafka.openLineageTopic) return lineage(message);
    const verdict = validateEventJson(message.value);
    if (!verdict.ok) {
      await deadLetter(message, verdict.reason);
      metrics.events.inc({ channel: 'kafka', outcome: 'rejected' });
      return;
    }
    await refreshForEvent(deps.client, deps.config, verdict.event);
    deps.activity?.count(verdict.event.source, 'events');
    metrics.events.inc({ channel: 'kafka', outcome: 'accepted' });
  };
}
