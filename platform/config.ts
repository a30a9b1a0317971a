import fs from 'node:fs';
import { serverSecurityProblems } from './server-security';
import { z } from 'zod';
import { isReferenceSource, REFERENCE_SOURCES, SOURCE_NAMES, type ReferenceSource, type SourceName } from '../domain/vocabulary';
import { isLoopback, parseTokenList, sha256Hex } from './credentials';
import type { Scope } from './scopes';
import { ConfigError, loadSettings, setting, settingsOf, unknownVariables, type SettingValues } from './settings';

export { ConfigError } from './settings';

/**
 * The tokens of the local demo, printed by `npm start` and in the README: accepted only when no
 * credentials are configured, while the API listens on loopback with the demo on.
 */
export const DEMO_TOKENS: readonly { name: string; token: string; scope: Scope }[] = [
  { name: 'demo-read', token: 'mlg-demo-read-token', scope: 'read' },
  { name: 'demo-write', token: 'mlg-demo-write-token', scope: 'admin' },
];

/** A demo token of a scope (for the demo's own producers, the benchmarks and the tests on loopback). */
export const demoToken = (scope: Scope): string => DEMO_TOKENS.find((t) => t.scope === scope)?.token ?? '';

/** The webhook secret of the local MLflow that `MLG_MLFLOW=on npm start` runs, unless MLG_MLFLOW_WEBHOOK_SECRET is set. */
export const DEMO_MLFLOW_WEBHOOK_SECRET = 'mlg-demo-mlflow-webhook-secret';

/** The demo source systems listen on the port after the control port, in this order. */
export const DEMO_CONTROL_PORT = 4100;
const demoSourceUrl = (source: ReferenceSource): string => `http://127.0.0.1:${DEMO_CONTROL_PORT + 1 + REFERENCE_SOURCES.indexOf(source)}`;

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
const httpUrl = url(['http:', 'https:']);
/** A setting that may stay unset: null then. */
const orNull = <T>(schema: z.ZodType<T>) => schema.optional().transform((value): T | null => value ?? null);
const list = <S extends z.ZodType<unknown, string>>(item: S, what: string) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1, `must name at least one ${what}`));
const onOff = z.enum(['on', 'off']).transform((value) => value === 'on');
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const share = z.coerce.number().min(0).max(1);

const hostPort = z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'must be host:port');

/** A PEM file (a CA, a certificate, a key), read at start-up: a path that cannot be read is a problem naming the variable. */
const pemFile = orNull(
  z.string().transform((file, ctx) => {
    try {
      const pem = fs.readFileSync(file, 'utf8');
      if (!pem.includes('-----BEGIN ')) ctx.addIssue({ code: 'custom', message: `${file} holds no PEM block (-----BEGIN …)` });
      return { file, pem };
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      return z.NEVER;
    }
  }),
);
export type PemFile = { readonly file: string; readonly pem: string };
const secretText = orNull(z.string().min(1));
const name = z.string().regex(/^[A-Za-z0-9._-]+$/, 'may hold only letters, digits, dot, underscore and dash');

/** One source's settings, for each source system the service can read. */
const perSource = <T>(make: (source: SourceName) => T): { readonly [S in SourceName]: T } =>
  Object.fromEntries(SOURCE_NAMES.map((source) => [source, make(source)])) as { readonly [S in SourceName]: T };

const DAY_MS = 86_400_000;

/**
 * The service's configuration, declared once: read at start-up from the environment, validated and
 * frozen, and passed down. Defaults point at the local stack's dev profile; a bad value or an unknown
 * `MLG_*` variable stops start-up with a message that names it. The README's table is generated from
 * this (`npm run docs:config`).
 */
export const SETTINGS = {
  postgres: {
    url: setting(
      'DATABASE_URL',
      url(['postgres:', 'postgresql:']),
      'PostgreSQL (its password may be in it); when set, the local Postgres is not started',
      { default: LOCAL_DEFAULTS.DATABASE_URL, secret: true },
    ),
    sslMode: setting(
      'MLG_POSTGRES_SSLMODE',
      orNull(z.enum(['disable', 'require', 'verify-ca', 'verify-full'])),
      "TLS to PostgreSQL, as libpq means it: `require` encrypts without checking the server's certificate, `verify-ca` checks it against the CA, `verify-full` also checks the host name; unset, the URL's `sslmode` (libpq's meaning too, not node-postgres's), else `disable`",
    ),
    caFile: setting('MLG_POSTGRES_CA_FILE', pemFile, "the CA (PEM) that signed PostgreSQL's certificate (unset: the system's CAs)"),
    certFile: setting('MLG_POSTGRES_CERT_FILE', pemFile, 'a client certificate (PEM), where PostgreSQL asks for one'),
    keyFile: setting('MLG_POSTGRES_KEY_FILE', pemFile, "the client certificate's key (PEM)", { secret: true }),
    password: setting('MLG_POSTGRES_PASSWORD', secretText, "PostgreSQL's password, instead of one in DATABASE_URL", { secret: true }),
  },
  elasticsearch: {
    url: setting('ELASTICSEARCH_URL', httpUrl, 'Elasticsearch; when set, the local one is not started', {
      default: LOCAL_DEFAULTS.ELASTICSEARCH_URL,
    }),
    indexPrefix: setting(
      'MLG_INDEX_PREFIX',
      z.string().regex(/^[a-z0-9._-]*$/, 'must be lowercase letters, digits, dot, underscore or dash'),
      'prefix of every Elasticsearch index',
      {
        default: 'mlg-',
      },
    ),
    caFile: setting('MLG_ELASTICSEARCH_CA_FILE', pemFile, "the CA (PEM) that signed Elasticsearch's certificate, for an https URL"),
    caFingerprint: setting(
      'MLG_ELASTICSEARCH_CA_FINGERPRINT',
      orNull(z.string().regex(/^([0-9A-Fa-f]{2}:?){32}$/, 'must be a SHA-256 fingerprint: 64 hex digits, colons allowed')),
      'instead of a CA file, the SHA-256 fingerprint of the CA Elasticsearch printed when it first started',
    ),
    apiKey: setting('MLG_ELASTICSEARCH_API_KEY', secretText, 'an API key (the encoded form Elasticsearch and Elastic Cloud give)', {
      secret: true,
    }),
    username: setting('MLG_ELASTICSEARCH_USERNAME', orNull(z.string().min(1)), 'a user, for basic authentication instead of an API key'),
    password: setting('MLG_ELASTICSEARCH_PASSWORD', secretText, "that user's password", { secret: true }),
  },
  kafka: {
    brokers: setting('KAFKA_BROKERS', list(hostPort, 'broker'), 'comma-separated `host:port`; when set, the local Kafka is not started', {
      default: LOCAL_DEFAULTS.KAFKA_BROKERS,
    }),
    eventsTopic: setting('MLG_EVENTS_TOPIC', name, 'the thin-events topic', { default: 'mlg.events' }),
    deadLetterTopic: setting('MLG_DEAD_LETTER_TOPIC', name, 'where malformed events go, with the reason in headers', {
      default: 'mlg.events.dlq',
    }),
    consumerGroup: setting('MLG_CONSUMER_GROUP', name, "the ingest consumer's group", { default: 'mlg-ingest' }),
    partitions: setting(
      'MLG_EVENT_PARTITIONS',
      int(1, 1000),
      'partitions of the topics the service creates: the most consumer processes that share the events',
      {
        default: '4',
      },
    ),
    openLineageTopic: setting('MLG_OPENLINEAGE_TOPIC', name, 'the topic of OpenLineage events from producers using its Kafka transport', {
      default: 'mlg.openlineage',
    }),
    securityProtocol: setting(
      'MLG_KAFKA_SECURITY_PROTOCOL',
      z.enum(['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL']),
      "as Kafka's `security.protocol`: TLS (`SSL`), SASL (`SASL_PLAINTEXT`) or both (`SASL_SSL`), for producers, consumers and the admin client alike",
      { default: 'PLAINTEXT' },
    ),
    saslMechanism: setting('MLG_KAFKA_SASL_MECHANISM', z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']), 'the SASL mechanism', {
      default: 'SCRAM-SHA-512',
    }),
    username: setting('MLG_KAFKA_USERNAME', orNull(z.string().min(1)), 'the SASL user'),
    password: setting('MLG_KAFKA_PASSWORD', secretText, "the SASL user's password", { secret: true }),
    caFile: setting('MLG_KAFKA_CA_FILE', pemFile, "the CA (PEM) that signed the brokers' certificates (unset: the system's CAs)"),
    certFile: setting('MLG_KAFKA_CERT_FILE', pemFile, 'a client certificate (PEM), for mTLS'),
    keyFile: setting('MLG_KAFKA_KEY_FILE', pemFile, "the client certificate's key (PEM)", { secret: true }),
  },
  openLineage: {
    maxBodyBytes: setting(
      'MLG_OPENLINEAGE_MAX_BODY_MB',
      z.coerce
        .number()
        .min(1)
        .max(512)
        .transform((mb) => mb * 1024 * 1024),
      "the largest OpenLineage request body accepted, in MB (Spark's logical plans are large)",
      { default: '20' },
    ),
  },
  temporal: {
    address: setting('TEMPORAL_ADDRESS', hostPort, 'Temporal frontend; when set, the local dev server is not started', {
      default: LOCAL_DEFAULTS.TEMPORAL_ADDRESS,
    }),
    namespace: setting('TEMPORAL_NAMESPACE', name, 'Temporal namespace', { default: LOCAL_DEFAULTS.TEMPORAL_NAMESPACE }),
    taskQueue: setting('TEMPORAL_TASK_QUEUE', name, "the worker's task queue", { default: 'mlg' }),
    uiUrl: setting('TEMPORAL_UI_URL', httpUrl, 'printed for operators', { default: LOCAL_DEFAULTS.TEMPORAL_UI_URL }),
    tls: setting(
      'MLG_TEMPORAL_TLS',
      onOff,
      'TLS to the frontend, for the client and the worker (on by itself with a CA, a client certificate or an API key)',
      {
        shownDefault: '`off`',
        default: 'off',
      },
    ),
    caFile: setting('MLG_TEMPORAL_CA_FILE', pemFile, "the CA (PEM) that signed the frontend's certificate (unset: the system's CAs)"),
    certFile: setting(
      'MLG_TEMPORAL_CERT_FILE',
      pemFile,
      'a client certificate (PEM), for mTLS (Temporal Cloud, or a frontend that requires one)',
    ),
    keyFile: setting('MLG_TEMPORAL_KEY_FILE', pemFile, "the client certificate's key (PEM)", { secret: true }),
    serverName: setting(
      'MLG_TEMPORAL_SERVER_NAME',
      orNull(z.string().min(1)),
      "the name the frontend's certificate is checked against, when not the address's host",
    ),
    apiKey: setting('MLG_TEMPORAL_API_KEY', secretText, "an API key (Temporal Cloud's way), sent over TLS", { secret: true }),
  },
  api: {
    host: setting('HOST', z.string().min(1), 'where the API listens', { default: '127.0.0.1' }),
    publicUrl: setting(
      'MLG_PUBLIC_URL',
      orNull(httpUrl),
      'the address people reach the portal at, behind a proxy (the sign-in callback is built from it); unset, from each request',
    ),
    port: setting('PORT', int(0, 65535), "the API's port", { default: '3000' }),
    tokens: setting(
      'MLG_API_TOKENS',
      z
        .string()
        .optional()
        .transform((value, ctx) => {
          try {
            return parseTokenList(value ?? '');
          } catch (error) {
            ctx.addIssue({ code: 'custom', message: (error as Error).message });
            return z.NEVER;
          }
        }),
      "static tokens for machines, `name:token:scope,…` (scope `read`, `ingest` or `admin`; `name:sha256:<hex>:scope` gives only the token's SHA-256; the older `token:read` and `token:write` mean `read` and `admin`)",
      { shownDefault: 'unset: the demo tokens, on loopback with the demo on' },
    ),
    tokensFile: setting(
      'MLG_API_TOKENS_FILE',
      orNull(z.string().min(1)),
      'a file of token entries, one per line (`#` comments), read again when it changes or on SIGHUP: how a secret is mounted',
    ),
    openReads: setting(
      'MLG_API_OPEN_READS',
      z.enum(['true', 'false']).transform((value) => value === 'true'),
      '`true`: reads need no token (an explicitly open deployment)',
      {
        default: 'false',
      },
    ),
    maxDepth: setting('MLG_MAX_DEPTH', int(1, 100), 'the depth cap of traversals', { default: '20' }),
    nodeCap: setting('MLG_NODE_CAP', int(1, 1_000_000), 'the node cap of traversals, past which an answer is `truncated`', {
      default: '1000',
    }),
    checkAnswers: setting(
      'MLG_CHECK_ANSWERS',
      onOff,
      '`on`: every JSON answer is checked against its declared schema before it is sent, and one with a missing or extra field is a 500 (the tests run so)',
      { default: 'off' },
    ),
    statementTimeoutMs: setting(
      'MLG_API_STATEMENT_TIMEOUT_MS',
      int(100),
      'every API query runs under this PostgreSQL statement timeout, which protects the database',
      {
        default: '10000',
      },
    ),
  },
  /** Sign-in with the organization's identity provider: the API accepts its JWT access tokens. */
  oidc: {
    issuer: setting(
      'MLG_OIDC_ISSUER',
      orNull(httpUrl),
      "the identity provider's issuer URL (its discovery document is read from it); set, the API accepts its JWT access tokens",
    ),
    audience: setting(
      'MLG_OIDC_AUDIENCE',
      orNull(z.string().min(1)),
      'the `aud` the provider puts in access tokens for this API (required with MLG_OIDC_ISSUER)',
    ),
    rolesClaim: setting(
      'MLG_OIDC_ROLES_CLAIM',
      z.string().min(1),
      'the claim holding the groups or roles that map to scopes (a list, or a space-separated string)',
      {
        default: 'groups',
      },
    ),
    readGroups: setting('MLG_OIDC_READ_GROUPS', list(z.string(), 'group'), 'groups (or roles) given the `read` scope', {
      default: 'mlg-read',
    }),
    ingestGroups: setting('MLG_OIDC_INGEST_GROUPS', list(z.string(), 'group'), 'groups given the `ingest` scope', {
      default: 'mlg-ingest',
    }),
    adminGroups: setting('MLG_OIDC_ADMIN_GROUPS', list(z.string(), 'group'), 'groups given the `admin` scope (which implies the others)', {
      default: 'mlg-admin',
    }),
    clientId: setting(
      'MLG_OIDC_CLIENT_ID',
      orNull(z.string().min(1)),
      "the portal's client at the provider; set, people sign in to the portal with it (authorization code with PKCE)",
    ),
    clientSecret: setting(
      'MLG_OIDC_CLIENT_SECRET',
      orNull(z.string().min(1)),
      "the portal client's secret, for a confidential client (unset: a public client, PKCE only)",
      { secret: true },
    ),
    scopes: setting(
      'MLG_OIDC_SCOPES',
      z.string().min(1),
      'the scopes the portal asks for (`offline_access` gives the refresh token that keeps a session)',
      {
        default: 'openid profile email offline_access',
      },
    ),
    resource: setting(
      'MLG_OIDC_RESOURCE',
      orNull(httpUrl),
      'a resource indicator (RFC 8707) the portal asks access tokens for, where the provider needs one to issue JWT access tokens for this API',
    ),
    sessionSecret: setting(
      'MLG_SESSION_SECRET',
      orNull(z.string().min(32, 'must be at least 32 characters')),
      "the key of the portal's session cookie (required with MLG_OIDC_CLIENT_ID)",
      { secret: true },
    ),
    clockSkewSeconds: setting(
      'MLG_OIDC_CLOCK_SKEW_S',
      int(0, 600),
      "how far the provider's clock may be from ours when `exp` and `nbf` are checked",
      { default: '30' },
    ),
  },
  logLevel: setting(
    'LOG_LEVEL',
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    'pino level: `fatal` … `trace`, or `silent`',
    {
      default: 'info',
    },
  ),
  logFormat: setting(
    'LOG_FORMAT',
    z.enum(['auto', 'json', 'pretty']),
    '`pretty` (one readable line per entry), `json` (for machines), or `auto`: pretty when stdout is a terminal',
    { default: 'auto' },
  ),
  logFile: setting(
    'LOG_FILE',
    orNull(z.string().min(1)),
    "append the logs to this file instead of stdout (`npm test` keeps the service's logs apart from its results)",
  ),
  uriScheme: setting(
    'MLG_URI_SCHEME',
    z.string().regex(/^[a-z][a-z0-9+.-]*$/, 'must be a URI scheme such as mlg'),
    'the scheme of entity URIs',
    {
      default: 'mlg',
    },
  ),
  /**
   * Each source system's base URL (may carry a path prefix) and the calls per second it allows. The
   * reference sources default to the local demo's; an optional source (MLflow) is off (null) unless
   * its URL is set.
   */
  sources: perSource((source) => ({
    url: isReferenceSource(source)
      ? setting(
          `MLG_SOURCE_${source.toUpperCase()}_URL`,
          orNull(httpUrl),
          `the ${source} source's base URL (the demo's by default); a path prefix is fine`,
          {
            default: demoSourceUrl(source),
          },
        )
      : setting(
          `MLG_SOURCE_${source.toUpperCase()}_URL`,
          orNull(httpUrl),
          'an MLflow tracking server to read ([docs/mlflow.md](docs/mlflow.md)); unset, the source is off',
        ),
    token: setting(`MLG_SOURCE_${source.toUpperCase()}_TOKEN`, secretText, `a bearer token for the ${source} source's API`, {
      secret: true,
    }),
    caFile: setting(
      `MLG_SOURCE_${source.toUpperCase()}_CA_FILE`,
      pemFile,
      `the CA (PEM) that signed the ${source} source's certificate, for an https URL`,
    ),
    ratePerSecond: setting(
      `MLG_SOURCE_${source.toUpperCase()}_RATE_LIMIT`,
      z.coerce.number().positive().max(100_000),
      `calls per second the ${source} source allows (hydrations and listing pages), across all workers`,
      { default: '20' },
    ),
  })),
  mlflow: {
    webhookSecret: setting(
      'MLG_MLFLOW_WEBHOOK_SECRET',
      orNull(z.string().min(16, 'must be at least 16 characters')),
      "the secret MLflow's registry webhook was created with (16 characters or more); unset, `/v1/webhooks/mlflow` answers 404",
      { secret: true },
    ),
    webhookMaxAgeSeconds: setting(
      'MLG_MLFLOW_WEBHOOK_MAX_AGE_S',
      int(1, 86_400),
      'a webhook delivery whose timestamp is further from now than this is refused',
      {
        default: '300',
      },
    ),
  },
  ingest: {
    debounceMs: setting(
      'MLG_DEBOUNCE_MS',
      int(0, 60_000),
      'wait this long before a refresh so more events for the entity collapse into it; events that arrive during a refresh always collapse into the next one',
      { default: '0' },
    ),
    idleMs: setting(
      'MLG_WORKFLOW_IDLE_MS',
      int(0),
      'how long an entity workflow waits for more events after a refresh; `0` completes it at once (the next event starts it again), which costs the engine least',
      { default: '0' },
    ),
    hydrationCacheMs: setting(
      'MLG_HYDRATION_CACHE_MS',
      int(0),
      'identical source calls within this window share one request (never one older than the hydration that asks)',
      { default: '1000' },
    ),
    sourceTimeoutMs: setting('MLG_SOURCE_TIMEOUT_MS', int(100), 'timeout of one source call', { default: '10000' }),
    goneRechecks: setting(
      'MLG_GONE_RECHECKS',
      int(0, 10),
      'a 404 not announced as a deletion is checked again this many times (an event may come before its source serves the entity)',
      { default: '3' },
    ),
    goneRecheckMs: setting('MLG_GONE_RECHECK_MS', int(0), 'the first wait before such a check, doubled each time', { default: '2000' }),
  },
  enrichment: {
    intervalMs: setting('MLG_ENRICHMENT_INTERVAL_MS', int(1000), 'how often the scheduled enrichment sweep runs', { default: '300000' }),
    staleAfterMs: setting('MLG_STALE_AFTER_MS', int(0), 'entities not hydrated for this long are refreshed by the sweep (dropped events)', {
      default: '3600000',
    }),
    batchSize: setting('MLG_ENRICHMENT_BATCH', int(1, 10_000), 'entities per sweep activity', { default: '500' }),
  },
  /** Reconciliation: each source's listing read in pages and written in bulk. */
  sync: {
    intervalMs: setting('MLG_SYNC_INTERVAL_MS', int(0), 'how often the scheduled incremental sync of every source runs; `0`: no schedule', {
      default: '900000',
    }),
    fullIntervalMs: setting(
      'MLG_FULL_SYNC_INTERVAL_MS',
      int(0),
      'how often the scheduled full sync (with deletions) of every source runs; `0`: no schedule',
      {
        default: String(DAY_MS),
      },
    ),
    pageSize: setting('MLG_SYNC_PAGE_SIZE', int(1, 1000), 'entities asked for per listing page (a source serves at most 1,000)', {
      default: '500',
    }),
    maxDeleteShare: setting(
      'MLG_SYNC_MAX_DELETE_SHARE',
      share,
      "a full sync deletes at most this share of a source's entities unless forced",
      {
        default: '0.1',
      },
    ),
  },
  /** How a source's quality is judged from what it did (`source_activity`). */
  sourceQuality: {
    bucketMs: setting('MLG_QUALITY_BUCKET_MS', int(100), "a source's activity is counted in buckets this long", { default: '10000' }),
    flushMs: setting('MLG_QUALITY_FLUSH_MS', int(50), "a source's activity counts are written this often", { default: '2000' }),
    rhythmWindowMs: setting('MLG_RHYTHM_WINDOW_MS', int(1000), "the history a source's rhythm of events is learned from", {
      default: String(7 * DAY_MS),
    }),
    windowMs: setting('MLG_QUALITY_WINDOW_MS', int(1000), "the history a source's event loss is measured over", {
      default: String(7 * DAY_MS),
    }),
    recentMs: setting('MLG_QUALITY_RECENT_MS', int(1000), 'the recent past whose failed calls make a source failing', {
      default: '900000',
    }),
    silenceFactor: setting(
      'MLG_SILENCE_FACTOR',
      z.coerce.number().min(1),
      'a source is silent after no event for this many times its longest gap in the window…',
      {
        default: '3',
      },
    ),
    silenceMinMs: setting('MLG_SILENCE_MIN_MS', int(0), '…and at least this long', { default: '900000' }),
    failingShare: setting(
      'MLG_FAILING_SHARE',
      share,
      'a source is failing when at least this share of its recent calls failed or were throttled (of 10 or more)',
      {
        default: '0.2',
      },
    ),
    eventLossShare: setting(
      'MLG_EVENT_LOSS_SHARE',
      share,
      'a source is losing events when at least this share of changes to known entities came without one',
      {
        default: '0.05',
      },
    ),
  },
  /** The demo source systems of `npm start`: world size and seed, imperfections, and how many changes a second they make. */
  demo: {
    mode: setting(
      'MLG_DEMO',
      z.enum(['on', 'off', 'imperfect']),
      '`on`, `off` or `imperfect` (every imperfection of the event stream and the sources on)',
      {
        default: 'on',
      },
    ),
    size: setting('MLG_DEMO_SIZE', int(10, 2_000_000), "the demo world's size in records", { default: '2000' }),
    seed: setting('MLG_DEMO_SEED', z.coerce.number().int(), "the demo world's seed", { default: '42' }),
    mutationsPerSecond: setting('MLG_DEMO_RATE', z.coerce.number().min(0).max(10_000), "the demo world's changes per second", {
      default: '0.5',
    }),
    mlflow: setting('MLG_MLFLOW', onOff, '`on`: `npm start` also runs a local MLflow, seeded with a small example, and reads it', {
      default: 'off',
    }),
  },
};

/**
 * The local stack's own settings (`npm start`, `npm test`, `npm run stack`): read by stack/ and the
 * test runner, never by the service; declared here so that they are documented and known.
 */
export const LOCAL_STACK_SETTINGS = {
  cacheDir: setting('MLG_CACHE_DIR', orNull(z.string().min(1)), 'where the local stack keeps its software and data', {
    shownDefault: '`/var/cache/mlg` as root, else `~/.cache/mlg`',
  }),
  keepStack: setting(
    'MLG_KEEP_STACK',
    z.enum(['0', '1']).transform((value) => value === '1'),
    '`1`: leave the local servers running when `npm start` or `npm test` ends',
    {
      default: '0',
    },
  ),
  esJavaOpts: setting('MLG_ES_JAVA_OPTS', z.string().min(1), "the local Elasticsearch's JVM options (its heap)", {
    default: '-Xms512m -Xmx512m',
  }),
  temporalShards: setting(
    'MLG_TEMPORAL_SHARDS',
    int(1, 16_384),
    "history shards of the cluster profile's Temporal server (`npm run stack`), fixed once its databases exist",
    { default: '4' },
  ),
  chromium: setting('MLG_CHROMIUM', z.string().min(1), 'the browser the portal tests drive (installed from Debian by the stack)', {
    default: '/usr/bin/chromium',
  }),
  testRunTimeoutMinutes: setting('MLG_TEST_RUN_TIMEOUT_MINUTES', int(1), '`npm test` stops a run that takes longer than this', {
    default: '45',
  }),
};

export type Config = SettingValues<typeof SETTINGS>;
export type LocalStackSettings = SettingValues<typeof LOCAL_STACK_SETTINGS>;

const PREFIX = 'MLG_';
const KNOWN = settingsOf(SETTINGS, LOCAL_STACK_SETTINGS);

/** The sources this deployment reads: the reference ones, and the optional ones whose URL is set. */
export const configuredSources = (config: Pick<Config, 'sources'>): SourceName[] =>
  SOURCE_NAMES.filter((source) => config.sources[source].url !== null);

/**
 * Reads and validates the configuration; throws a ConfigError naming every bad variable, and every
 * `MLG_*` variable that no setting declares (with the nearest declared name).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const unknown = unknownVariables(env, PREFIX, KNOWN);
  if (unknown.length > 0) throw new ConfigError(`unknown configuration variables:\n  ${unknown.join('\n  ')}`);
  const config = loadSettings(SETTINGS, env);
  const problems = serverSecurityProblems(config);
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return config;
}

/** The local stack's settings (the service never reads them). */
export const loadLocalStackSettings = (env: NodeJS.ProcessEnv = process.env): LocalStackSettings => loadSettings(LOCAL_STACK_SETTINGS, env);

/** Whether the README's demo tokens stand in for credentials: none configured, on loopback, the demo on. */
export const demoTokensInUse = (config: Pick<Config, 'api' | 'oidc' | 'demo'>): boolean =>
  config.api.tokens.length === 0 &&
  config.api.tokensFile === null &&
  config.oidc.issuer === null &&
  isLoopback(config.api.host) &&
  config.demo.mode !== 'off';

/**
 * Why an API with this configuration must not start, or null: no well-known secret is accepted off
 * loopback, and an API needs some credential to be of use.
 */
export function apiCredentialsProblem(config: Pick<Config, 'api' | 'oidc' | 'demo' | 'mlflow'>): string | null {
  const where = `HOST=${config.api.host}${config.demo.mode === 'off' ? ' with MLG_DEMO=off' : ''}`;
  const noneConfigured = config.api.tokens.length === 0 && config.api.tokensFile === null && config.oidc.issuer === null;
  if (noneConfigured && !demoTokensInUse(config))
    return `the API has no credentials for ${where}: set MLG_API_TOKENS (name:token:scope,…), MLG_API_TOKENS_FILE or MLG_OIDC_ISSUER (the README's demo tokens are accepted only on loopback with the demo on)`;
  if (config.oidc.issuer !== null && config.oidc.audience === null) return 'MLG_OIDC_AUDIENCE must be set with MLG_OIDC_ISSUER';
  if (config.oidc.clientId !== null && (config.oidc.issuer === null || config.oidc.sessionSecret === null))
    return 'MLG_OIDC_CLIENT_ID needs MLG_OIDC_ISSUER and MLG_SESSION_SECRET (the key of the portal session cookie)';
  if (!isLoopback(config.api.host)) {
    const known = DEMO_TOKENS.map((t) => sha256Hex(t.token));
    const published = config.api.tokens.filter((t) => known.includes(t.sha256)).map((t) => t.name);
    if (published.length > 0)
      return `MLG_API_TOKENS gives ${published.join(', ')} a token published in the README, and the API listens on ${where}: choose your own`;
    if (config.mlflow.webhookSecret === DEMO_MLFLOW_WEBHOOK_SECRET)
      return `MLG_MLFLOW_WEBHOOK_SECRET is the one published in the README, and the API listens on ${where}: choose your own`;
  }
  return null;
}
