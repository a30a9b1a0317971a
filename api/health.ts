import { pingKafka } from '../bus/kafka';
import { connectionAdvice, withoutTls } from '../platform/server-security';
import type { Services } from '../platform/services';
import { pingElasticsearch } from '../search/client';
import { pingPostgres } from '../store/database';
import { pingTemporal } from '../temporal/connection';

export type ComponentName = 'postgres' | 'elasticsearch' | 'kafka' | 'temporal';

export interface ComponentHealth {
  readonly status: 'up' | 'down';
  readonly detail: Record<string, unknown>;
}

export interface Health {
  readonly status: 'up' | 'down';
  readonly components: Record<ComponentName, ComponentHealth>;
}

const PROBE_TIMEOUT_MS = 2_500;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}

/** One server's health; when it refuses the service's TLS or credentials, `fix` says which setting to fix. */
async function probe(
  server: ComponentName,
  config: Services['config'],
  check: () => Promise<Record<string, unknown>>,
): Promise<ComponentHealth> {
  const started = performance.now();
  try {
    const detail = await withTimeout(check(), PROBE_TIMEOUT_MS);
    return { status: 'up', detail: { ...detail, latencyMs: Math.round(performance.now() - started) } };
  } catch (error) {
    const fix = connectionAdvice(server, error, withoutTls(server, config));
    return { status: 'down', detail: { error: error instanceof Error ? error.message : String(error), ...(fix ? { fix } : {}) } };
  }
}

/** Talks to each of the four servers for real, in parallel; any that does not answer is `down`. */
export async function checkHealth(services: Services): Promise<Health> {
  const { config } = services;
  const [postgres, elasticsearch, kafka, temporal] = await Promise.all([
    probe('postgres', config, () => pingPostgres(services.db)),
    probe('elasticsearch', config, () => pingElasticsearch(services.search, PROBE_TIMEOUT_MS)),
    probe('kafka', config, async () => ({ ...(await pingKafka(config.kafka, PROBE_TIMEOUT_MS)), brokers: config.kafka.brokers })),
    probe('temporal', config, () => pingTemporal(services.temporal, config.temporal.namespace, PROBE_TIMEOUT_MS)),
  ]);
  const components = { postgres, elasticsearch, kafka, temporal };
  const status = Object.values(components).every((component) => component.status === 'up') ? 'up' : 'down';
  return { status, components };
}
