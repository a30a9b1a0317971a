import type { Client } from '@temporalio/client';
import type { StringProducer } from '../bus/kafka';
import { validateEventJson } from '../connectors/events';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { metrics } from '../platform/metrics';
import { refreshForEvent } from '../temporal/entity-client';
import type { MessageHandler } from './ingest-consumer';

/** Headers of a dead-lettered event: why it was refused and where it came from. */
export const DEAD_LETTER_HEADERS = Object.freeze({
  reason: 'mlg-dlq-reason',
  topic: 'mlg-original-topic',
  partition: 'mlg-original-partition',
  offset: 'mlg-original-offset',
});

/**
 * Validates each event; a valid one is handed to its entity's workflow (signalWithStart), a
 * malformed or unknown one goes to the dead-letter topic with its reason. Either way the message is
 * safe when this resolves, and consumption carries on.
 */
export function createEventHandler(deps: {
  client: Client;
  config: Pick<Config, 'kafka' | 'temporal' | 'ingest' | 'uriScheme'>;
  producer: StringProducer;
  logger: Logger;
}): MessageHandler {
  return async (message) => {
    const verdict = validateEventJson(message.value);
    if (!verdict.ok) {
      deps.logger.warn({ reason: verdict.reason, partition: message.partition, offset: message.offset.toString() }, 'event dead-lettered');
      await deps.producer.send({
        messages: [
          {
            topic: deps.config.kafka.deadLetterTopic,
            key: message.key,
            value: message.value,
            headers: {
              [DEAD_LETTER_HEADERS.reason]: verdict.reason,
              [DEAD_LETTER_HEADERS.topic]: message.topic,
              [DEAD_LETTER_HEADERS.partition]: String(message.partition),
              [DEAD_LETTER_HEADERS.offset]: message.offset.toString(),
            },
          },
        ],
      });
      metrics.events.inc({ channel: 'kafka', outcome: 'rejected' });
      return;
    }
    await refreshForEvent(deps.client, deps.config, verdict.event);
    metrics.events.inc({ channel: 'kafka', outcome: 'accepted' });
  };
}
