import { z } from 'zod';
import { isReferenceSource, REFERENCE_SOURCES, SOURCE_NAMES, type ReferenceSource, type SourceName } from '../domain/vocabulary';

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
    /** Partitions of the topics the service creates (existing topics keep theirs). */
    readonly partitions: number;
    /** OpenLineage events from producers using OpenLineage's Kafka transport. */
    readonly openLineageTopic: string;
  };
  readonly openLineage: {
    /** The largest request body the intake accepts, in bytes (Spark's logical-plan facets are large). */
    readonly maxBodyBytes: number;
  };
  readonly temporal: { readonly address: string; readonly namespace: string; readonly taskQueue: string; readonly uiUrl: string };
  readonly api: {
    readonly host: string;
    readonly port: number;
    /** Bearer tokens and their scope; `write` includes `read`. */
    readonly tokens: readonly { readonly token: string; readonly scope: 'read' | 'write' }[];
    /** Reads need no token (an explicitly open deployment). */
    readonly openReads: boolean;
    readonly maxDepth: number;
    readonly nodeCap: number;
    /** Every API query runs under this statement timeout, which protects the database. */
    readonly statementTimeoutMs: number;
  };
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `pretty` for a person at a terminal, `json` for machines; `auto` picks pretty when stdout is a terminal. */
  readonly logFormat: 'auto' | 'json' | 'pretty';
  /** Logs go to this file (appended) instead of stdout: tests keep the service's logs apart from their results. */
  readonly logFile: string | null;
  readonly uriScheme: string;
  /**
   * Each source system's base URL (may carry a path prefix) and the hydration calls per second it
   * allows. The reference sources default to the local demo's; an optional source (MLflow) is off
   * (null) unless its URL is set.
   */
  readonly sources: Readonly<Record<SourceName, { readonly url: string | null; readonly ratePerSecond: number }>>;
  /** MLflow's registry webhooks: the shared secret their HMAC is checked with, and how old a delivery may be. */
  readonly mlflow: { readonly webhookSecret: string | null; readonly webhookMaxAgeSeconds: number };
  readonly ingest: {
    /** Signals within this window after the first collapse into one hydration. */
    readonly debounceMs: number;
    /** How long an entity workflow waits for more events after a refresh; 0 completes it at once (the next event starts it again). */
    readonly idleMs: number;
    /** Identical source calls within this window share one request. */
    readonly hydrationCacheMs: number;
    readonly sourceTimeoutMs: number;
    /** A 404 for an entity not known to be deleted is checked again this many times, backing off from goneRecheckMs. */
    readonly goneRechecks: number;
    readonly goneRecheckMs: number;
  };
  readonly enrichment: {
    /** How often the scheduled sweep runs. */
    readonly intervalMs: number;
    /** Entities not hydrated for this long are refreshed by the sweep (their events may have been dropped). */
    readonly staleAfterMs: number;
    readonly batchSize: number;
  };
  /** Reconciliation: each source's listing read in pages and written in bulk. */
  readonly sync: {
    /** How often the scheduled incremental sync (what changed since the last sync) runs; 0: no schedule. */
    readonly intervalMs: number;
    /** How often the scheduled full sync (the whole listing, then deletions) runs; 0: no schedule. */
    readonly fullIntervalMs: number;
    /** Entities asked for per listing page (a source serves at most 1,000). */
    readonly pageSize: number;
    /** A full sync deletes at most this share of a source's entities unless forced. */
    readonly maxDeleteShare: number;
  };
  /** How a source's quality is judged from what it did (`source_activity`). */
  readonly sourceQuality: {
    /** Activity is counted in buckets this long. */
    readonly bucketMs: number;
    /** Counts are written this often. */
    readonly flushMs: number;
    /** The history a source's rhythm is learned from. */
    readonly rhythmWindowMs: number;
    /** The history its event loss is measured over. */
    readonly windowMs: number;
    /** The recent past whose failed calls make a source failing. */
    readonly recentMs: number;
    /** Silent: no event for this many times its longest gap in the window, and at least silenceMinMs. */
    readonly silenceFactor: number;
    readonly silenceMinMs: number;
    /** Failing: at least this share of recent calls failed or were throttled (with at least 10 calls). */
    readonly failingShare: number;
    /** Losing events: at least this share of changes to known entities came without an event. */
    readonly eventLossShare: number;
  };
  /** The demo source systems of `npm start`: world size and seed, imperfections, and how many changes a second they make. */
  readonly demo: {
    readonly enabled: boolean;
    readonly port: number;
    readonly size: number;
    readonly seed: number;
    readonly imperfect: boolean;
    readonly mutationsPerSecond: number;
    /** `npm start` also runs a local MLflow, seeded with a small example, and reads it (MLG_MLFLOW=on). */
    readonly mlflow: boolean;
  };
}

/** The tokens of the local demo, used when MLG_API_TOKENS is not set: printed by `npm start`. */
export const DEMO_TOKENS: readonly { token: string; scope: 'read' | 'write' }[] = [
  { token: 'mlg-demo-read-token', scope: 'read' },
  { token: 'mlg-demo-write-token', scope: 'write' },
];

/** The webhook secret of the local MLflow that `MLG_MLFLOW=on npm start` runs, unless MLG_MLFLOW_WEBHOOK_SECRET is set. */
export const DEMO_MLFLOW_WEBHOOK_SECRET = 'mlg-demo-mlflow-webhook-secret';

/** The demo source systems listen on the port after the control port, in this order. */
export const DEMO_CONTROL_PORT = 4100;
const demoSourceUrl = (source: ReferenceSource): string => `http://127.0.0.1:${DEMO_CONTROL_PORT + 1 + REFERENCE_SOURCES.indexOf(source)}`;
const sourceVariable = (source: SourceName, what: 'URL' | 'RATE_LIMIT'): string => `MLG_SOURCE_${source.toUpperCase()}_${what}`;

/**
 * Where the servers are when nothing says otherwise: the local stack's dev profile (`npm start`). The
 * service does not import the stack; a unit test holds the two in agreement.
 */
export const LOCAL_DEFAULTS = Object.freeze({
  DATABASE_URL: 'postgres://mlg@127.0.0.1:5433/mlg',
  ELASTICSEARCH_URL: 'http://127.0.0.1:9200',
  KAFKA_BROKERS: '127.0.0.1:9092',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  TEMPORAL_NAMESPACE: 'default',
  TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
});

const url = (protocols: readonly string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.join(' or ')}//`,
  );

const hostPort = z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'must be host:port');
const name = z.string().regex(/^[A-Za-z0-9._-]+$/, 'may hold only letters, digits, dot, underscore and dash');

const schema = z.object({
  DATABASE_URL: url(['postgres:', 'postgresql:']).default(LOCAL_DEFAULTS.DATABASE_URL),
  ELASTICSEARCH_URL: url(['http:', 'https:']).default(LOCAL_DEFAULTS.ELASTICSEARCH_URL),
  MLG_INDEX_PREFIX: z
    .string()
    .regex(/^[a-z0-9._-]*$/, 'must be lowercase letters, digits, dot, underscore or dash')
    .default('mlg-'),
  KAFKA_BROKERS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((broker) => broker.trim())
        .filter(Boolean),
    )
    .pipe(z.array(hostPort).min(1, 'must name at least one broker'))
    .default(LOCAL_DEFAULTS.KAFKA_BROKERS.split(',')),
  MLG_EVENTS_TOPIC: name.default('mlg.events'),
  MLG_DEAD_LETTER_TOPIC: name.default('mlg.events.dlq'),
  MLG_OPENLINEAGE_TOPIC: name.default('mlg.openlineage'),
  MLG_OPENLINEAGE_MAX_BODY_MB: z.coerce.number().min(1).max(512).default(20),
  MLG_CONSUMER_GROUP: name.default('mlg-ingest'),
  // Partitions of the topics the service creates: the most consumer processes that can share the events.
  MLG_EVENT_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(4),
  TEMPORAL_ADDRESS: hostPort.default(LOCAL_DEFAULTS.TEMPORAL_ADDRESS),
  TEMPORAL_NAMESPACE: name.default(LOCAL_DEFAULTS.TEMPORAL_NAMESPACE),
  TEMPORAL_TASK_QUEUE: name.default('mlg'),
  TEMPORAL_UI_URL: url(['http:', 'https:']).default(LOCAL_DEFAULTS.TEMPORAL_UI_URL),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  MLG_API_TOKENS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((pair) => pair.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .regex(/^[A-Za-z0-9._~+/=-]{8,}:(read|write)$/, 'must be token:scope pairs (scope read or write; tokens of 8+ characters)'),
        )
        .min(1),
    )
    .transform((pairs) =>
      pairs.map((pair) => ({
        token: pair.slice(0, pair.lastIndexOf(':')),
        scope: pair.slice(pair.lastIndexOf(':') + 1) as 'read' | 'write',
      })),
    )
    .default(() => [...DEMO_TOKENS]),
  MLG_API_OPEN_READS: z.enum(['true', 'false']).default('false'),
  MLG_MAX_DEPTH: z.coerce.number().int().min(1).max(100).default(20),
  MLG_NODE_CAP: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  MLG_API_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  LOG_FILE: z.string().min(1).optional(),
  MLG_URI_SCHEME: z
    .string()
    .regex(/^[a-z][a-z0-9+.-]*$/, 'must be a URI scheme such as mlg')
    .default('mlg'),
  MLG_DEBOUNCE_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  MLG_WORKFLOW_IDLE_MS: z.coerce.number().int().min(0).default(0),
  MLG_HYDRATION_CACHE_MS: z.coerce.number().int().min(0).default(1000),
  MLG_SOURCE_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  MLG_GONE_RECHECKS: z.coerce.number().int().min(0).max(10).default(3),
  MLG_GONE_RECHECK_MS: z.coerce.number().int().min(0).default(2000),
  MLG_ENRICHMENT_INTERVAL_MS: z.coerce.number().int().min(1000).default(300_000),
  MLG_STALE_AFTER_MS: z.coerce.number().int().min(0).default(3_600_000),
  MLG_ENRICHMENT_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
  MLG_SYNC_INTERVAL_MS: z.coerce.number().int().min(0).default(900_000),
  MLG_FULL_SYNC_INTERVAL_MS: z.coerce.number().int().min(0).default(86_400_000),
  MLG_SYNC_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(500),
  MLG_SYNC_MAX_DELETE_SHARE: z.coerce.number().min(0).max(1).default(0.1),
  MLG_QUALITY_BUCKET_MS: z.coerce.number().int().min(100).default(10_000),
  MLG_QUALITY_FLUSH_MS: z.coerce.number().int().min(50).default(2_000),
  MLG_RHYTHM_WINDOW_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(7 * 86_400_000),
  MLG_QUALITY_WINDOW_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(7 * 86_400_000),
  MLG_QUALITY_RECENT_MS: z.coerce.number().int().min(1000).default(900_000),
  MLG_SILENCE_FACTOR: z.coerce.number().min(1).default(3),
  MLG_SILENCE_MIN_MS: z.coerce.number().int().min(0).default(900_000),
  MLG_FAILING_SHARE: z.coerce.number().min(0).max(1).default(0.2),
  MLG_EVENT_LOSS_SHARE: z.coerce.number().min(0).max(1).default(0.05),
  MLG_MLFLOW_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  MLG_MLFLOW_WEBHOOK_MAX_AGE_S: z.coerce.number().int().min(1).max(86_400).default(300),
  MLG_DEMO: z.enum(['on', 'off', 'imperfect']).default('on'),
  MLG_MLFLOW: z.enum(['on', 'off']).default('off'),
  MLG_DEMO_SIZE: z.coerce.number().int().min(10).max(2_000_000).default(2000),
  MLG_DEMO_SEED: z.coerce.number().int().default(42),
  MLG_DEMO_RATE: z.coerce.number().min(0).max(10_000).default(0.5),
});

const sourcesSchema = z.object(
  Object.fromEntries(
    SOURCE_NAMES.flatMap((source) => [
      [
        sourceVariable(source, 'URL'),
        isReferenceSource(source) ? url(['http:', 'https:']).default(demoSourceUrl(source)) : url(['http:', 'https:']).optional(),
      ],
      [sourceVariable(source, 'RATE_LIMIT'), z.coerce.number().positive().max(100_000).default(20)],
    ]),
  ) as Record<string, z.ZodType<string | number | undefined>>,
);

/** The sources this deployment reads: the reference ones, and the optional ones whose URL is set. */
export const configuredSources = (config: Pick<Config, 'sources'>): SourceName[] =>
  SOURCE_NAMES.filter((source) => config.sources[source].url !== null);

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the configuration; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  const parsedSources = sourcesSchema.safeParse(present);
  if (!parsed.success || !parsedSources.success) {
    const issues = [...(parsed.error?.issues ?? []), ...(parsedSources.error?.issues ?? [])];
    const problems = issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const v = parsed.data;
  const s = parsedSources.data;
  return deepFreeze({
    postgres: { url: v.DATABASE_URL },
    elasticsearch: { url: v.ELASTICSEARCH_URL, indexPrefix: v.MLG_INDEX_PREFIX },
    kafka: {
      brokers: v.KAFKA_BROKERS,
      eventsTopic: v.MLG_EVENTS_TOPIC,
      deadLetterTopic: v.MLG_DEAD_LETTER_TOPIC,
      consumerGroup: v.MLG_CONSUMER_GROUP,
      partitions: v.MLG_EVENT_PARTITIONS,
      openLineageTopic: v.MLG_OPENLINEAGE_TOPIC,
    },
    openLineage: { maxBodyBytes: v.MLG_OPENLINEAGE_MAX_BODY_MB * 1024 * 1024 },
    temporal: { address: v.TEMPORAL_ADDRESS, namespace: v.TEMPORAL_NAMESPACE, taskQueue: v.TEMPORAL_TASK_QUEUE, uiUrl: v.TEMPORAL_UI_URL },
    api: {
      host: v.HOST,
      port: v.PORT,
      tokens: v.MLG_API_TOKENS,
      openReads: v.MLG_API_OPEN_READS === 'true',
      maxDepth: v.MLG_MAX_DEPTH,
      nodeCap: v.MLG_NODE_CAP,
      statementTimeoutMs: v.MLG_API_STATEMENT_TIMEOUT_MS,
    },
    logLevel: v.LOG_LEVEL,
    logFormat: v.LOG_FORMAT,
    logFile: v.LOG_FILE ?? null,
    uriScheme: v.MLG_URI_SCHEME,
    mlflow: { webhookSecret: v.MLG_MLFLOW_WEBHOOK_SECRET ?? null, webhookMaxAgeSeconds: v.MLG_MLFLOW_WEBHOOK_MAX_AGE_S },
    sources: Object.fromEntries(
      SOURCE_NAMES.map((source) => [
        source,
        {
          url: (s[sourceVariable(source, 'URL')] as string | undefined) ?? null,
          ratePerSecond: s[sourceVariable(source, 'RATE_LIMIT')] as number,
        },
      ]),
    ) as Config['sources'],
    ingest: {
      debounceMs: v.MLG_DEBOUNCE_MS,
      idleMs: v.MLG_WORKFLOW_IDLE_MS,
      hydrationCacheMs: v.MLG_HYDRATION_CACHE_MS,
      sourceTimeoutMs: v.MLG_SOURCE_TIMEOUT_MS,
      goneRechecks: v.MLG_GONE_RECHECKS,
      goneRecheckMs: v.MLG_GONE_RECHECK_MS,
    },
    enrichment: { intervalMs: v.MLG_ENRICHMENT_INTERVAL_MS, staleAfterMs: v.MLG_STALE_AFTER_MS, batchSize: v.MLG_ENRICHMENT_BATCH },
    sync: {
      intervalMs: v.MLG_SYNC_INTERVAL_MS,
      fullIntervalMs: v.MLG_FULL_SYNC_INTERVAL_MS,
      pageSize: v.MLG_SYNC_PAGE_SIZE,
      maxDeleteShare: v.MLG_SYNC_MAX_DELETE_SHARE,
    },
    sourceQuality: {
      bucketMs: v.MLG_QUALITY_BUCKET_MS,
      flushMs: v.MLG_QUALITY_FLUSH_MS,
      rhythmWindowMs: v.MLG_RHYTHM_WINDOW_MS,
      windowMs: v.MLG_QUALITY_WINDOW_MS,
      recentMs: v.MLG_QUALITY_RECENT_MS,
      silenceFactor: v.MLG_SILENCE_FACTOR,
      silenceMinMs: v.MLG_SILENCE_MIN_MS,
      failingShare: v.MLG_FAILING_SHARE,
      eventLossShare: v.MLG_EVENT_LOSS_SHARE,
    },
    demo: {
      enabled: v.MLG_DEMO !== 'off',
      port: DEMO_CONTROL_PORT,
      size: v.MLG_DEMO_SIZE,
      seed: v.MLG_DEMO_SEED,
      imperfect: v.MLG_DEMO === 'imperfect',
      mutationsPerSecond: v.MLG_DEMO_RATE,
      mlflow: v.MLG_MLFLOW === 'on',
    },
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
