/**
 * The one module that knows the Kafka client library (@platformatic/kafka). Everything else asks it
 * for producers, consumers and topic administration, so the client can be swapped in one place.
 */
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import type { Config } from '../platform/config';
import { kafkaConnection } from '../platform/server-security';

/** Where the brokers are and how to reach them (TLS, SASL): every client is given the same. */
export type KafkaAccess = Pick<
  Config['kafka'],
  'brokers' | 'securityProtocol' | 'saslMechanism' | 'username' | 'password' | 'caFile' | 'certFile' | 'keyFile'
>;

const connection = (kafka: KafkaAccess, clientId: string) => ({
  clientId,
  bootstrapBrokers: [...kafka.brokers],
  ...kafkaConnection(kafka),
});

export type StringProducer = Producer<string, string, string, string>;
export type StringConsumer = Consumer<string, string, string, string>;

export function createProducer(kafka: KafkaAccess, clientId: string): StringProducer {
  return new Producer({ ...connection(kafka, clientId), serializers: stringSerializers, acks: -1, idempotent: true });
}

/**
 * A consumer in a group. `onError` hears the errors the client raises outside any call (a failed
 * rejoin after the broker went away); without a listener they would end the process.
 */
export function createConsumer(
  kafka: KafkaAccess,
  clientId: string,
  groupId: string,
  onError: (error: Error) => void = () => undefined,
): StringConsumer {
  const consumer = new Consumer({ ...connection(kafka, clientId), groupId, deserializers: stringDeserializers });
  consumer.on('error', onError);
  return consumer;
}

/** Creates the topics that do not exist yet; existing ones are left as they are. */
export async function ensureTopics(kafka: KafkaAccess, topics: readonly string[], partitions = 4): Promise<void> {
  const admin = new Admin(connection(kafka, 'mlg-admin'));
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) await admin.createTopics({ topics: missing, partitions, replicas: 1 });
  } finally {
    await admin.close();
  }
}

/** Asks the cluster for its metadata: proves a broker answers the Kafka protocol, not just a port. */
export async function pingKafka(kafka: KafkaAccess, timeoutMs = 2000): Promise<{ topics: number }> {
  const admin = new Admin({ ...connection(kafka, 'mlg-health'), timeout: timeoutMs, retries: 0 });
  try {
    const topics = await admin.listTopics();
    return { topics: topics.length };
  } finally {
    await admin.close();
  }
}

async function offsetsAt(admin: Admin, topic: string, timestamp: bigint): Promise<Map<number, bigint>> {
  const metadata = await admin.metadata({ topics: [topic] });
  const partitions = metadata.topics.get(topic)?.partitions.map((_, index) => index) ?? [];
  const [listed] = await admin.listOffsets({
    topics: [{ name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })) }],
  });
  return new Map((listed?.partitions ?? []).map((p) => [p.partitionIndex, p.offset]));
}

/** How many messages a topic holds (from each partition's first kept offset to its end, summed; for topics never compacted). */
export async function topicMessageCount(kafka: KafkaAccess, topic: string): Promise<bigint> {
  const admin = new Admin(connection(kafka, 'mlg-count'));
  try {
    const starts = await offsetsAt(admin, topic, -2n);
    return [...(await offsetsAt(admin, topic, -1n))].reduce((sum, [p, end]) => sum + end - (starts.get(p) ?? 0n), 0n);
  } finally {
    await admin.close();
  }
}

/**
 * How many messages of a topic a consumer group has not committed yet, summed over its partitions:
 * zero means every event was handled (a partition the group never committed counts from its start).
 */
export async function consumerLag(kafka: KafkaAccess, groupId: string, topic: string): Promise<bigint> {
  const admin = new Admin(connection(kafka, 'mlg-lag'));
  try {
    const ends = await offsetsAt(admin, topic, -1n);
    const [group] = await admin.listConsumerGroupOffsets({
      groups: [{ groupId, topics: [{ name: topic, partitionIndexes: [...ends.keys()] }] }],
    });
    const committed = new Map(
      (group?.topics.find((t) => t.name === topic)?.partitions ?? []).map((p) => [p.partitionIndex, p.committedOffset]),
    );
    let lag = 0n;
    for (const [partition, end] of ends) {
      const at = committed.get(partition) ?? -1n;
      lag += end - (at < 0n ? 0n : at);
    }
    return lag;
  } finally {
    await admin.close();
  }
}

/** A message as read back from a topic, with its position and headers. */
export interface StoredMessage {
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Reads every message a topic holds now (from each partition's first kept offset to its end when
 * called), with a throw-away consumer group; `ends` says where the read stopped, for `truncateTopic`.
 */
export async function readTopic(kafka: KafkaAccess, topic: string): Promise<{ messages: StoredMessage[]; ends: Map<number, bigint> }> {
  const admin = new Admin(connection(kafka, 'mlg-read'));
  const groupId = `mlg-read-${topic}-${process.pid}-${Date.now()}`;
  try {
    // Timestamps -2 and -1 ask for each partition's earliest kept and next-to-be-written offsets.
    const [starts, ends] = [await offsetsAt(admin, topic, -2n), await offsetsAt(admin, topic, -1n)];
    const remaining = new Set([...ends].filter(([p, end]) => end > (starts.get(p) ?? 0n)).map(([p]) => p));
    const messages: StoredMessage[] = [];
    if (remaining.size > 0) {
      const consumer = createConsumer(kafka, 'mlg-read', groupId);
      try {
        const stream = await consumer.consume({ topics: [topic], autocommit: false, mode: 'earliest' });
        for await (const m of stream) {
          const end = ends.get(m.partition) ?? 0n;
          if (m.offset < end) {
            messages.push({
              partition: m.partition,
              offset: m.offset,
              key: m.key,
              value: m.value,
              headers: Object.fromEntries(m.headers),
            });
          }
          if (m.offset >= end - 1n) remaining.delete(m.partition);
          if (remaining.size === 0) break;
        }
        await stream.close();
      } finally {
        await consumer.close(true);
      }
      await admin.deleteGroups({ groups: [groupId] }).catch(() => undefined);
    }
    return { messages: messages.sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset)), ends };
  } finally {
    await admin.close();
  }
}

/** Deletes each partition's messages before the given offsets (Kafka keeps a topic's tail; this moves its start). */
export async function truncateTopic(kafka: KafkaAccess, topic: string, before: ReadonlyMap<number, bigint>): Promise<void> {
  const admin = new Admin(connection(kafka, 'mlg-truncate'));
  try {
    const partitions = [...before].map(([partition, offset]) => ({ partition, offset }));
    if (partitions.length > 0) await admin.deleteRecords({ topics: [{ name: topic, partitions }] });
  } finally {
    await admin.close();
  }
}

/** A consumed message as the service sees it. */
export interface ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string;
  readonly value: string;
}

/** Handles one message. It resolves only once the message is safe (handed on or dead-lettered). */
export type MessageHandler = (message: ConsumedMessage) => Promise<void>;

/** How many consumers are members of a group now. */
export async function groupMemberCount(kafka: KafkaAccess, groupId: string): Promise<number> {
  const admin = new Admin(connection(kafka, 'mlg-group-members'));
  try {
    return (await admin.describeGroups({ groups: [groupId] })).get(groupId)?.members.size ?? 0;
  } finally {
    await admin.close();
  }
}
