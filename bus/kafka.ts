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

export function createConsumer(brokers: readonly string[], clientId: string, groupId: string): StringConsumer {
  return new Consumer({ clientId, groupId, bootstrapBrokers: [...brokers], deserializers: stringDeserializers });
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
