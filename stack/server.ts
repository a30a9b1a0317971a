import type { Profile } from './profiles';

export type ServerName = 'postgres' | 'elasticsearch' | 'kafka' | 'temporal';

export const SERVER_NAMES: readonly ServerName[] = ['postgres', 'elasticsearch', 'kafka', 'temporal'];

/** One server of the local stack. Every step is idempotent: calling it again does no harm. */
export interface StackServer {
  readonly name: ServerName;
  /** Installs the server's software into the cache, once. */
  provision(): Promise<void>;
  /** Starts the server for a profile unless it already runs, and waits until it answers. */
  start(profile: Profile): Promise<void>;
  stop(profile: Profile): Promise<void>;
  healthy(profile: Profile): Promise<boolean>;
}

export type Say = (message: string) => void;

/** The variable that points the service at an external server instead of the local one. */
export const SERVER_URL_VARIABLES: Readonly<Record<ServerName, string>> = {
  postgres: 'DATABASE_URL',
  elasticsearch: 'ELASTICSEARCH_URL',
  kafka: 'KAFKA_BROKERS',
  temporal: 'TEMPORAL_ADDRESS',
};

/** The servers the local stack must run: those the environment does not point elsewhere. */
export function localServers(env: NodeJS.ProcessEnv): ServerName[] {
  return SERVER_NAMES.filter((name) => !env[SERVER_URL_VARIABLES[name]]);
}
