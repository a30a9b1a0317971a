/**
 * The one module that knows the Kafka client library (@platformatic/kafka). Everything else asks it
 * for producers, consumers and topic administration, so the client can be swapped in one place.
 */
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';

export type StringProducer = Producer<string, string, string, string>;
export type StringConsumer = Consumer<string, string, string, string>;

export function createProducer(brokers: readonly string[], clientId: string): StringProducer {
  return new Producer({ clientId, bootstrapBrokers: [...brokers], serializers: stringSerializers, acks: -1, idempotent: true });
}

/**
 * A consumer in a group. `onError` hears the errors the client raises outside any call (a failed
 * rejoin after the broker went away); without a listener they would end the process.
 */
export function createConsumer(
  brokers: readonly string[],
  clientId: string,
  groupId: string,
  onError: (error: Error) => void = () => undefined,
): StringConsumer {
  const consumer = new Consumer({ clientId, groupId, bootstrapBrokers: [...brokers], deserializers: stringDeserializers });
  consumer.on('error', onError);
  return consumer;
}

/** Creates the topics that do not exist yet; existing ones are left as they are. */
export async function ensureTopics(brokers: readonly string[], topics: readonly string[], partitions = 4): Promise<void> {
  const admin = new Admin({ clientId: 'mlg-admin', bootstrapBrokers: [...brokers] });
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) await admin.createTopics({ topics: missing, partitions, replicas: 1 });
  } finally {
    await admin.close();
  }
}

/** Asks the cluster for its metadata: proves a broker answers the Kafka protocol, not just a port. */
export async function pingKafka(brokers: readonly string[], timeoutMs = 2000): Promise<{ topics: number }> {
  const admin = new Admin({ clientId: 'mlg-health', bootstrapBrokers: [...brokers], timeout: timeoutMs, retries: 0 });
  try {
    const topics = await admin.listTopics();
    return { topics: topics.length };
  } finally {
    await admin.close();
  }
}

async function endOffsets(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  const metadata = await admin.metadata({ topics: [topic] });
  const partitions = metadata.topics.get(topic)?.partitions.map((_, index) => index) ?? [];
  // Timestamp -1 asks for the latest offset (the next one to be written).
  const [ends] = await admin.listOffsets({
    topics: [{ name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp: -1n })) }],
  });
  return new Map((ends?.partitions ?? []).map((p) => [p.partitionIndex, p.offset]));
}

/** How many messages a topic holds (its partitions' end offsets, summed; for topics never compacted). */
export async function topicMessageCount(brokers: readonly string[], topic: string): Promise<bigint> {
  const admin = new Admin({ clientId: 'mlg-count', bootstrapBrokers: [...brokers] });
  try {
    return [...(await endOffsets(admin, topic)).values()].reduce((sum, end) => sum + end, 0n);
  } finally {
    await admin.close();
  }
}

/**
 * How many messages of a topic a consumer group has not committed yet, summed over its partitions:
 * zero means every event was handled (a partition the group never committed counts from its start).
 */
export async function consumerLag(brokers: readonly string[], groupId: string, topic: string): Promise<bigint> {
  const admin = new Admin({ clientId: 'mlg-lag', bootstrapBrokers: [...brokers] });
  try {
    const ends = await endOffsets(admin, topic);
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
