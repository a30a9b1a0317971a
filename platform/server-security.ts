import type { ConnectionOptions } from 'node:tls';
import type { Config } from './config';

/**
 * How the service reaches each server securely, from its settings: the TLS options and credentials
 * of PostgreSQL, Kafka, Elasticsearch and Temporal, and the settings that contradict each other. One
 * place, so that each client is given the same meaning of the same words.
 */

type PostgresSettings = Config['postgres'];
type SslMode = NonNullable<PostgresSettings['sslMode']>;

/** node-postgres's `ssl` for libpq's sslmode: `require` encrypts only, `verify-ca` checks the chain, `verify-full` the name too. */
export function postgresConnection(postgres: PostgresSettings): { connectionString: string; ssl: false | ConnectionOptions } {
  const url = new URL(postgres.url);
  // In the URL: node-postgres lets what the URL says override its other options, an absent password too.
  if (postgres.password !== null) url.password = encodeURIComponent(postgres.password);
  // node-postgres reads sslmode (and sslrootcert, …) from the URL with its own meaning (`require` as
  // `verify-full`): they are taken out and given the meaning libpq gives them.
  const fromUrl = url.searchParams.get('sslmode');
  for (const parameter of ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'ssl', 'uselibpqcompat']) url.searchParams.delete(parameter);
  const mode: SslMode = postgres.sslMode ?? (isSslMode(fromUrl) ? fromUrl : 'disable');
  const base = { connectionString: url.toString() };
  if (mode === 'disable') return { ...base, ssl: false };
  const client = {
    ...(postgres.caFile ? { ca: postgres.caFile.pem } : {}),
    ...(postgres.certFile ? { cert: postgres.certFile.pem } : {}),
    ...(postgres.keyFile ? { key: postgres.keyFile.pem } : {}),
  };
  if (mode === 'require') return { ...base, ssl: { ...client, rejectUnauthorized: false } };
  if (mode === 'verify-ca') return { ...base, ssl: { ...client, rejectUnauthorized: true, checkServerIdentity: () => undefined } };
  return { ...base, ssl: { ...client, rejectUnauthorized: true } };
}

const isSslMode = (value: string | null): value is SslMode =>
  value === 'disable' || value === 'require' || value === 'verify-ca' || value === 'verify-full';

type KafkaSettings = Pick<
  Config['kafka'],
  'securityProtocol' | 'saslMechanism' | 'username' | 'password' | 'caFile' | 'certFile' | 'keyFile'
>;

/** What a Kafka security protocol is made of: TLS, SASL, both or neither. */
const protocolParts = (protocol: KafkaSettings['securityProtocol']): { tls: boolean; sasl: boolean } => ({
  tls: protocol === 'SSL' || protocol === 'SASL_SSL',
  sasl: protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL',
});

/** The connection options of every Kafka client (producer, consumer, admin): TLS and SASL as the protocol says. */
export function kafkaConnection(kafka: KafkaSettings): {
  tls?: ConnectionOptions;
  sasl?: { mechanism: KafkaSettings['saslMechanism']; username: string; password: string };
} {
  const { tls, sasl } = protocolParts(kafka.securityProtocol);
  return {
    ...(tls
      ? {
          tls: {
            ...(kafka.caFile ? { ca: kafka.caFile.pem } : {}),
            ...(kafka.certFile ? { cert: kafka.certFile.pem } : {}),
            ...(kafka.keyFile ? { key: kafka.keyFile.pem } : {}),
          },
        }
      : {}),
    ...(sasl ? { sasl: { mechanism: kafka.saslMechanism, username: kafka.username ?? '', password: kafka.password ?? '' } } : {}),
  };
}

type SearchSettings = Config['elasticsearch'];

/** The Elasticsearch client's TLS and authentication. */
export function elasticsearchConnection(elasticsearch: SearchSettings): {
  tls?: ConnectionOptions;
  caFingerprint?: string;
  auth?: { apiKey: string } | { username: string; password: string };
} {
  return {
    ...(elasticsearch.caFile ? { tls: { ca: elasticsearch.caFile.pem } } : {}),
    ...(elasticsearch.caFingerprint ? { caFingerprint: elasticsearch.caFingerprint } : {}),
    ...(elasticsearch.apiKey
      ? { auth: { apiKey: elasticsearch.apiKey } }
      : elasticsearch.username
        ? { auth: { username: elasticsearch.username, password: elasticsearch.password ?? '' } }
        : {}),
  };
}

type TemporalSettings = Config['temporal'];

/** The TLS (and API key) of the client's and the worker's connections to Temporal's frontend. */
export function temporalConnection(temporal: TemporalSettings): {
  tls?: { serverNameOverride?: string; serverRootCACertificate?: Buffer; clientCertPair?: { crt: Buffer; key: Buffer } };
  apiKey?: string;
} {
  const tls = temporal.tls || temporal.caFile !== null || temporal.certFile !== null || temporal.apiKey !== null;
  if (!tls) return {};
  return {
    tls: {
      ...(temporal.serverName ? { serverNameOverride: temporal.serverName } : {}),
      ...(temporal.caFile ? { serverRootCACertificate: Buffer.from(temporal.caFile.pem) } : {}),
      ...(temporal.certFile && temporal.keyFile
        ? { clientCertPair: { crt: Buffer.from(temporal.certFile.pem), key: Buffer.from(temporal.keyFile.pem) } }
        : {}),
    },
    ...(temporal.apiKey ? { apiKey: temporal.apiKey } : {}),
  };
}

/** Settings that contradict each other or lack their other half: each a problem naming the variables to fix. */
export function serverSecurityProblems(config: Pick<Config, 'postgres' | 'kafka' | 'elasticsearch' | 'temporal'>): string[] {
  const { postgres, kafka, elasticsearch, temporal } = config;
  const problems: string[] = [];
  const pair = (prefix: string, cert: unknown, key: unknown): void => {
    if ((cert === null) !== (key === null)) problems.push(`${prefix}_CERT_FILE and ${prefix}_KEY_FILE go together: set both or neither`);
  };
  pair('MLG_POSTGRES', postgres.certFile, postgres.keyFile);
  pair('MLG_KAFKA', kafka.certFile, kafka.keyFile);
  pair('MLG_TEMPORAL', temporal.certFile, temporal.keyFile);
  if (postgres.sslMode === 'disable' && (postgres.caFile || postgres.certFile))
    problems.push('MLG_POSTGRES_SSLMODE is disable, so MLG_POSTGRES_CA_FILE and MLG_POSTGRES_CERT_FILE would not be used');
  const { tls: kafkaTls, sasl: kafkaSasl } = protocolParts(kafka.securityProtocol);
  if (!kafkaTls && (kafka.caFile || kafka.certFile))
    problems.push(
      `MLG_KAFKA_SECURITY_PROTOCOL is ${kafka.securityProtocol}, so MLG_KAFKA_CA_FILE and MLG_KAFKA_CERT_FILE would not be used`,
    );
  if (kafkaSasl && (kafka.username === null || kafka.password === null))
    problems.push(`MLG_KAFKA_SECURITY_PROTOCOL ${kafka.securityProtocol} needs MLG_KAFKA_USERNAME and MLG_KAFKA_PASSWORD`);
  if (!kafkaSasl && (kafka.username !== null || kafka.password !== null))
    problems.push(`MLG_KAFKA_USERNAME and MLG_KAFKA_PASSWORD need MLG_KAFKA_SECURITY_PROTOCOL SASL_SSL (or SASL_PLAINTEXT)`);
  if (elasticsearch.apiKey !== null && elasticsearch.username !== null)
    problems.push('MLG_ELASTICSEARCH_API_KEY and MLG_ELASTICSEARCH_USERNAME: set one of them');
  if ((elasticsearch.username === null) !== (elasticsearch.password === null))
    problems.push('MLG_ELASTICSEARCH_USERNAME and MLG_ELASTICSEARCH_PASSWORD go together');
  if (elasticsearch.caFile !== null && elasticsearch.caFingerprint !== null)
    problems.push('MLG_ELASTICSEARCH_CA_FILE and MLG_ELASTICSEARCH_CA_FINGERPRINT: set one of them');
  if ((elasticsearch.caFile !== null || elasticsearch.caFingerprint !== null) && !elasticsearch.url.startsWith('https:'))
    problems.push('MLG_ELASTICSEARCH_CA_FILE (or _CA_FINGERPRINT) needs an https ELASTICSEARCH_URL');
  return problems;
}

export type ServerName = 'postgres' | 'elasticsearch' | 'kafka' | 'temporal';

const NAMES: Readonly<Record<ServerName, string>> = {
  postgres: 'PostgreSQL',
  elasticsearch: 'Elasticsearch',
  kafka: 'Kafka',
  temporal: "Temporal's frontend",
};
const PREFIX: Readonly<Record<ServerName, string>> = {
  postgres: 'MLG_POSTGRES',
  elasticsearch: 'MLG_ELASTICSEARCH',
  kafka: 'MLG_KAFKA',
  temporal: 'MLG_TEMPORAL',
};

/** Codes Node's TLS gives a certificate that no trusted CA signed. */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
]);

interface Link {
  readonly code: string;
  readonly message: string;
  readonly statusCode: unknown;
}

/** An error and its causes (and the members of an AggregateError or the Kafka client's MultipleErrors), outermost first. */
function chainOf(error: unknown): Link[] {
  const chain: Link[] = [];
  const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
  const visit = (e: unknown, depth: number): void => {
    if (!e || typeof e !== 'object' || depth > 5) return;
    const { code, message, statusCode, cause, errors } = e as Record<string, unknown>;
    chain.push({ code: text(code), message: text(message), statusCode });
    visit(cause, depth + 1);
    if (Array.isArray(errors)) for (const inner of errors) visit(inner, depth + 1);
  };
  visit(error, 0);
  return chain;
}

/**
 * What to fix when a server refuses the service's connection for its TLS or its credentials, rather
 * than being away: a sentence naming the server and the setting, or null when the error says nothing
 * of the kind (an outage, which is waited for). Never holds a secret: it is built from codes.
 */
export function connectionAdvice(server: ServerName, error: unknown, plaintext = false): string | null {
  const name = NAMES[server];
  const prefix = PREFIX[server];
  const chain = chainOf(error);
  const codes = chain.map((e) => e.code);
  const text = chain.map((e) => e.message).join(' | ');
  // gRPC (Temporal) and fetch (Elasticsearch) carry the TLS failure in their message only.
  if (codes.some((code) => UNTRUSTED.has(code)) || UNTRUSTED_TEXT.test(text))
    return `${name}'s certificate is not signed by a CA the service trusts: set ${prefix}_CA_FILE to the CA that signed it`;
  if (codes.includes('CERT_HAS_EXPIRED')) return `${name}'s certificate has expired: renew it`;
  if (codes.includes('ERR_TLS_CERT_ALTNAME_INVALID'))
    return `${name}'s certificate does not name the host the service connects to: connect by a name it holds${server === 'temporal' ? ' (or set MLG_TEMPORAL_SERVER_NAME)' : ''}`;
  if (server === 'postgres') {
    if (codes.includes('28P01')) return 'PostgreSQL refused the password: check MLG_POSTGRES_PASSWORD (or the password in DATABASE_URL)';
    if (codes.includes('28000') && /no encryption/i.test(text))
      return 'PostgreSQL takes only TLS connections: set MLG_POSTGRES_SSLMODE (verify-full, with MLG_POSTGRES_CA_FILE)';
    if (codes.includes('28000'))
      return 'PostgreSQL refused the connection (pg_hba.conf): check the user in DATABASE_URL and MLG_POSTGRES_SSLMODE';
    if (/does not support SSL/i.test(text))
      return 'PostgreSQL does not speak TLS: set MLG_POSTGRES_SSLMODE=disable, or turn TLS on at the server';
  }
  if (server === 'elasticsearch' && chain.some((e) => e.statusCode === 401 || e.statusCode === 403))
    return 'Elasticsearch refused the credentials: check MLG_ELASTICSEARCH_API_KEY (or MLG_ELASTICSEARCH_USERNAME and _PASSWORD)';
  if (server === 'kafka' && /suitable SASL mechanism/i.test(text))
    return 'Kafka offers no SASL mechanism on this connection: set MLG_KAFKA_SECURITY_PROTOCOL (SASL_SSL where the brokers take TLS) and MLG_KAFKA_SASL_MECHANISM';
  if (server === 'kafka' && /SASL|authenticat/i.test(text))
    return 'Kafka refused the SASL credentials: check MLG_KAFKA_USERNAME, MLG_KAFKA_PASSWORD and MLG_KAFKA_SASL_MECHANISM';
  if (server === 'temporal' && /certificate required|bad certificate|unknown certificate|handshake/i.test(text))
    return "Temporal's frontend refused the connection's TLS: set MLG_TEMPORAL_CERT_FILE and MLG_TEMPORAL_KEY_FILE to a client certificate its CA signed (and MLG_TEMPORAL_CA_FILE to that CA)";
  if (server === 'temporal' && /unauthenticated|api key|permission/i.test(text))
    return 'Temporal refused the credentials: check MLG_TEMPORAL_API_KEY';
  if (/wrong version number|packet length too long|ssl3_get_record|WRONG_VERSION_NUMBER/i.test(text))
    return `${name} does not speak TLS where the service expects it: check ${TLS_SETTING[server]}`;
  // Without TLS, a server that takes only TLS drops the connection as soon as it is made; one that is away refuses it.
  if (
    plaintext &&
    !codes.includes('ECONNREFUSED') &&
    /closed|hang up|ECONNRESET|Failed to connect|EPIPE/i.test(`${text} ${codes.join(' ')}`)
  )
    return `${name} closed a connection made without TLS: if it takes only TLS, set ${TLS_SETTING[server]}`;
  return null;
}

const UNTRUSTED_TEXT =
  /unable to verify the first certificate|self[- ]signed certificate|unable to get (local )?issuer certificate|certificate signed by unknown authority/i;

/** The setting that turns TLS on, per server. */
const TLS_SETTING: Readonly<Record<ServerName, string>> = {
  postgres: 'MLG_POSTGRES_SSLMODE',
  elasticsearch: 'an https ELASTICSEARCH_URL',
  kafka: 'MLG_KAFKA_SECURITY_PROTOCOL (SSL or SASL_SSL)',
  temporal: 'MLG_TEMPORAL_TLS=on (or a CA, a client certificate or an API key)',
};

/** Whether the service reaches a server without TLS, by its settings. */
export function withoutTls(server: ServerName, config: Pick<Config, 'postgres' | 'kafka' | 'elasticsearch' | 'temporal'>): boolean {
  if (server === 'postgres') return postgresConnection(config.postgres).ssl === false;
  if (server === 'kafka') return kafkaConnection(config.kafka).tls === undefined;
  if (server === 'elasticsearch') return !config.elasticsearch.url.startsWith('https:');
  return temporalConnection(config.temporal).tls === undefined;
}
