import { z } from 'zod';
import { PROFILES, profileEnv } from '../stack/profiles';

/**
 * The one typed configuration of the service, read once at start-up from the environment and passed
 * down. Defaults point at the local stack's dev profile; a bad value stops start-up with a message
 * that names the variable.
 */
export interface Config {
  readonly postgres: { readonly url: string };
  readonly elasticsearch: { readonly url: string; readonly indexPrefix: string };
  readonly kafka: {
    readonly brokers: readonly string[];
    readonly eventsTopic: string;
    readonly deadLetterTopic: string;
    readonly consumerGroup: string;
  };
  readonly temporal: { readonly address: string; readonly namespace: string; readonly taskQueue: string; readonly uiUrl: string };
  readonly api: { readonly host: string; readonly port: number };
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly uriScheme: string;
}

const localDefaults = profileEnv(PROFILES.dev);

const url = (protocols: readonly string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.join(' or ')}//`);

const hostPort = z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'must be host:port');
const name = z.string().regex(/^[A-Za-z0-9._-]+$/, 'may hold only letters, digits, dot, underscore and dash');

const schema = z.object({
  DATABASE_URL: url(['postgres:', 'postgresql:']).default(localDefaults.DATABASE_URL),
  ELASTICSEARCH_URL: url(['http:', 'https:']).default(localDefaults.ELASTICSEARCH_URL),
  MLG_INDEX_PREFIX: z.string().regex(/^[a-z0-9._-]*$/, 'must be lowercase letters, digits, dot, underscore or dash').default('mlg-'),
  KAFKA_BROKERS: z
    .string()
    .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean))
    .pipe(z.array(hostPort).min(1, 'must name at least one broker'))
    .default(localDefaults.KAFKA_BROKERS.split(',')),
  MLG_EVENTS_TOPIC: name.default('mlg.events'),
  MLG_DEAD_LETTER_TOPIC: name.default('mlg.events.dlq'),
  MLG_CONSUMER_GROUP: name.default('mlg-ingest'),
  TEMPORAL_ADDRESS: hostPort.default(localDefaults.TEMPORAL_ADDRESS),
  TEMPORAL_NAMESPACE: name.default(localDefaults.TEMPORAL_NAMESPACE),
  TEMPORAL_TASK_QUEUE: name.default('mlg'),
  TEMPORAL_UI_URL: url(['http:', 'https:']).default(localDefaults.TEMPORAL_UI_URL),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MLG_URI_SCHEME: z.string().regex(/^[a-z][a-z0-9+.-]*$/, 'must be a URI scheme such as mlg').default('mlg'),
});

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the configuration; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const v = parsed.data;
  return deepFreeze({
    postgres: { url: v.DATABASE_URL },
    elasticsearch: { url: v.ELASTICSEARCH_URL, indexPrefix: v.MLG_INDEX_PREFIX },
    kafka: { brokers: v.KAFKA_BROKERS, eventsTopic: v.MLG_EVENTS_TOPIC, deadLetterTopic: v.MLG_DEAD_LETTER_TOPIC, consumerGroup: v.MLG_CONSUMER_GROUP },
    temporal: { address: v.TEMPORAL_ADDRESS, namespace: v.TEMPORAL_NAMESPACE, taskQueue: v.TEMPORAL_TASK_QUEUE, uiUrl: v.TEMPORAL_UI_URL },
    api: { host: v.HOST, port: v.PORT },
    logLevel: v.LOG_LEVEL,
    uriScheme: v.MLG_URI_SCHEME,
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
