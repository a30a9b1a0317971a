import { secureServiceEnv } from './secure';

/**
 * The local stack runs in named profiles so that `npm test` never collides with a running
 * `npm start`: each profile has its own ports, data directories and Temporal namespace.
 */
export type ProfileName = 'dev' | 'test' | 'cluster' | 'secure';

/** The Temporal a profile runs: the dev server (one process, SQLite, one history shard) or the full server on PostgreSQL. */
export type TemporalEngine = 'dev' | 'cluster';

export interface Profile {
  readonly name: ProfileName;
  readonly postgresPort: number;
  readonly elasticsearchPort: number;
  readonly elasticsearchTransportPort: number;
  readonly kafkaPort: number;
  readonly kafkaControllerPort: number;
  readonly temporalPort: number;
  readonly temporalUiPort: number;
  readonly temporalNamespace: string;
  readonly temporalEngine: TemporalEngine;
  /** Test servers trade durability for speed (no fsync); dev data survives crashes and restarts. */
  readonly ephemeral: boolean;
  /**
   * Its servers run as production ones do: TLS only, with credentials (PostgreSQL hostssl with
   * scram-sha-256, Kafka SASL_SSL with SCRAM, Elasticsearch behind TLS with an API key, Temporal with mTLS).
   */
  readonly secure: boolean;
}

export const PROFILES: Readonly<Record<ProfileName, Profile>> = Object.freeze({
  dev: {
    name: 'dev',
    postgresPort: 5433,
    elasticsearchPort: 9200,
    elasticsearchTransportPort: 9300,
    kafkaPort: 9092,
    kafkaControllerPort: 9093,
    temporalPort: 7233,
    temporalUiPort: 8233,
    temporalNamespace: 'default',
    temporalEngine: 'dev',
    ephemeral: false,
    secure: false,
  },
  test: {
    name: 'test',
    postgresPort: 15433,
    elasticsearchPort: 19200,
    elasticsearchTransportPort: 19300,
    kafkaPort: 19092,
    kafkaControllerPort: 19093,
    temporalPort: 17233,
    temporalUiPort: 18233,
    temporalNamespace: 'mlg-test',
    temporalEngine: 'dev',
    ephemeral: true,
    secure: false,
  },
  // Scale-out on one machine: the full Temporal server with several history shards (MLG_TEMPORAL_SHARDS),
  // for any number of `npm run worker` and `npm run consumer` processes. Its own ports, like the test profile's.
  cluster: {
    name: 'cluster',
    postgresPort: 25433,
    elasticsearchPort: 29200,
    elasticsearchTransportPort: 29300,
    kafkaPort: 29092,
    kafkaControllerPort: 29093,
    temporalPort: 27233,
    temporalUiPort: 28233,
    temporalNamespace: 'mlg-cluster',
    temporalEngine: 'cluster',
    ephemeral: true,
    secure: false,
  },
  // The servers configured as production ones are (TLS only, credentials required), with the same
  // Temporal engine as the cluster profile, so that the two can be measured side by side.
  secure: {
    name: 'secure',
    postgresPort: 35433,
    elasticsearchPort: 39200,
    elasticsearchTransportPort: 39300,
    kafkaPort: 39092,
    kafkaControllerPort: 39093,
    // Under 32,727 with the 39 above it: Temporal records its services' membership ports as smallint.
    temporalPort: 31233,
    temporalUiPort: 31433,
    temporalNamespace: 'mlg-secure',
    temporalEngine: 'cluster',
    ephemeral: true,
    secure: true,
  },
});

export function isProfileName(value: string): value is ProfileName {
  return Object.hasOwn(PROFILES, value);
}

/** The connection settings a profile's servers answer on, as the environment variables of config. */
export interface ServerEnv {
  readonly DATABASE_URL: string;
  readonly ELASTICSEARCH_URL: string;
  readonly KAFKA_BROKERS: string;
  readonly TEMPORAL_ADDRESS: string;
  readonly TEMPORAL_NAMESPACE: string;
  readonly TEMPORAL_UI_URL: string;
}

/** A profile's servers as the service's variables; the secure profile's with its TLS and credentials. */
export function profileEnv(profile: Profile): ServerEnv & Readonly<Record<string, string>> {
  return {
    ...(profile.secure ? secureServiceEnv(profile) : {}),
    DATABASE_URL: `postgres://mlg@127.0.0.1:${profile.postgresPort}/mlg`,
    ELASTICSEARCH_URL: `${profile.secure ? 'https' : 'http'}://127.0.0.1:${profile.elasticsearchPort}`,
    KAFKA_BROKERS: `127.0.0.1:${profile.kafkaPort}`,
    TEMPORAL_ADDRESS: `127.0.0.1:${profile.temporalPort}`,
    TEMPORAL_NAMESPACE: profile.temporalNamespace,
    TEMPORAL_UI_URL: `http://127.0.0.1:${profile.temporalUiPort}`,
  };
}
