import { Client, Connection } from '@temporalio/client';
import type { Config } from '../platform/config';
import { temporalConnection } from '../platform/server-security';

export interface TemporalClient {
  readonly connection: Connection;
  readonly client: Client;
}

/**
 * A lazy connection: it dials on first use and again after the server went away, so a process can
 * start (and keep serving what does not need Temporal) while the server is down.
 */
export function connectTemporal(config: Pick<Config, 'temporal'>): TemporalClient {
  const connection = Connection.lazy({ address: config.temporal.address, connectTimeout: 5_000, ...temporalConnection(config.temporal) });
  return { connection, client: new Client({ connection, namespace: config.temporal.namespace }) };
}

/** Describes the configured namespace: proves the frontend answers and the namespace exists. */
export async function pingTemporal(
  temporal: TemporalClient,
  namespace: string,
  timeoutMs = 2000,
): Promise<{ namespace: string; serverVersion: string }> {
  return temporal.connection.withDeadline(Date.now() + timeoutMs, async () => {
    const [ns, info] = await Promise.all([
      temporal.connection.workflowService.describeNamespace({ namespace }),
      temporal.connection.workflowService.getSystemInfo({}),
    ]);
    return { namespace: ns.namespaceInfo?.name ?? namespace, serverVersion: info.serverVersion ?? 'unknown' };
  });
}

/** gRPC codes that mean the frontend is unreachable or overloaded: UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED. */
const UNAVAILABLE_GRPC = new Set([14, 4, 8]);

/** Whether an error from the Temporal client means that the server is away, not that the call is wrong. */
export function isTemporalUnavailable(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number' && UNAVAILABLE_GRPC.has(code)) return true;
    if (e.name === 'TransportError' || /Failed to connect|connection refused|No connection established/i.test(e.message)) return true;
  }
  return false;
}
