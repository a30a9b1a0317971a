import { createProducer, readTopic, truncateTopic, type StoredMessage } from '../bus/kafka';
import { validateEventJson } from '../connectors/events';
import type { Config } from '../platform/config';
import { DEAD_LETTER_HEADERS } from '../intake/event-handler';
import { answer, asOperator, CommandError, EXIT, withServices, type Output } from './context';

const position = (m: StoredMessage): string => `${m.partition}:${m.offset}`;
const shortened = (text: string, n = 100): string => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
const asJson = (m: StoredMessage) => ({
  position: position(m),
  reason: m.headers[DEAD_LETTER_HEADERS.reason] ?? null,
  key: m.key,
  value: m.value,
  headers: m.headers,
});

const deadLetters = (config: Config) => readTopic(config.kafka, config.kafka.deadLetterTopic);

/** `mlg dlq list`: every dead-lettered event, with its position and reason. */
export async function dlqList(out: Output): Promise<number> {
  return withServices(async (_services, config) => {
    const { messages } = await deadLetters(config);
    answer(out, messages.map(asJson), () =>
      messages.length === 0
        ? ['no dead-lettered events']
        : [
            `${messages.length} dead-lettered events (position, reason, event):`,
            ...messages.map(
              (m) =>
                `${position(m).padEnd(8)} ${shortened(m.headers[DEAD_LETTER_HEADERS.reason] ?? '(no reason)', 60)}  ${shortened(m.value, 60)}`,
            ),
          ],
    );
    return EXIT.ok;
  });
}

/** `mlg dlq show <partition:offset>`: one dead-lettered event in full. */
export async function dlqShow(at: string, out: Output): Promise<number> {
  if (!/^\d+:\d+$/.test(at)) throw new CommandError(EXIT.usage, `a position is partition:offset (as mlg dlq list shows it), not '${at}'`);
  return withServices(async (_services, config) => {
    const message = (await deadLetters(config)).messages.find((m) => position(m) === at);
    if (!message) throw new CommandError(EXIT.failed, `no dead-lettered event at ${at}`);
    answer(out, asJson(message), () => [
      `position  ${position(message)}`,
      `reason    ${message.headers[DEAD_LETTER_HEADERS.reason] ?? '(none)'}`,
      `from      ${message.headers[DEAD_LETTER_HEADERS.topic] ?? '?'} ${message.headers[DEAD_LETTER_HEADERS.partition] ?? '?'}:${message.headers[DEAD_LETTER_HEADERS.offset] ?? '?'}`,
      `key       ${message.key}`,
      `event     ${message.value}`,
    ]);
    return EXIT.ok;
  });
}

/**
 * `mlg dlq replay`: validates each dead-lettered event again; the valid ones go back to the events
 * topic, the others stay in the dead-letter topic with their (current) reason. The replayed are sent,
 * and the kept written again, before the old records are deleted: a replay cut short loses nothing.
 */
export async function dlqReplay(out: Output): Promise<number> {
  return asOperator('dlq.replay', null, async (_services, config) => {
    const { kafka } = config;
    const { messages, ends } = await deadLetters(config);
    const verdicts = messages.map((m) => ({ message: m, verdict: validateEventJson(m.value) }));
    const replayed = verdicts.filter((v) => v.verdict.ok).map((v) => v.message);
    const kept = verdicts.flatMap((v) => (v.verdict.ok ? [] : [{ message: v.message, reason: v.verdict.reason }]));
    const producer = createProducer(kafka, 'mlg-dlq-replay');
    try {
      if (replayed.length > 0)
        await producer.send({ messages: replayed.map((m) => ({ topic: kafka.eventsTopic, key: m.key, value: m.value })) });
      if (kept.length > 0)
        await producer.send({
          messages: kept.map(({ message, reason }) => ({
            topic: kafka.deadLetterTopic,
            key: message.key,
            value: message.value,
            headers: { ...message.headers, [DEAD_LETTER_HEADERS.reason]: reason },
          })),
        });
    } finally {
      await producer.close();
    }
    await truncateTopic(kafka, kafka.deadLetterTopic, ends);
    answer(
      out,
      { replayed: replayed.length, kept: kept.map(({ message, reason }) => ({ key: message.key, value: message.value, reason })) },
      () => [
        `${replayed.length} replayed to ${kafka.eventsTopic}, ${kept.length} still invalid and kept`,
        ...kept.map(({ message, reason }) => `  kept: ${shortened(reason, 70)}  ${shortened(message.value, 50)}`),
      ],
    );
    return EXIT.ok;
  });
}

/** `mlg dlq purge --yes`: deletes every dead-lettered event. */
export async function dlqPurge(opts: { yes: boolean }, out: Output): Promise<number> {
  if (!opts.yes) throw new CommandError(EXIT.usage, 'purge deletes every dead-lettered event for good: add --yes to do it');
  return asOperator('dlq.purge', null, async (_services, config) => {
    const { messages, ends } = await deadLetters(config);
    await truncateTopic(config.kafka, config.kafka.deadLetterTopic, ends);
    answer(out, { purged: messages.length }, () => [`${messages.length} dead-lettered events purged`]);
    return EXIT.ok;
  });
}
