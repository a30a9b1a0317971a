import { Client, Connection } from '@temporalio/client';
import type { Config } from '../platform/config';

export interface TemporalClient {
  readonly connection: Connection;
  readonly client: Client;
}

export async function connectTemporal(config: Pick<Config, 'temporal'>): Promise<TemporalClient> {
  const connection = await Connection.connect({ address: config.temporal.address, connectTimeout: 5_000 });
  return { connection, client: new Client({ connection, namespace: config.temporal.namespace }) };
}

/** Describes the configured namespace: proves the frontend answers and the namespace exists. */
export async function pingTemporal(temporal: TemporalClient, namespace: string, timeoutMs = 2000): Promise<{ namespace: string; serverVersion: string }> {
  return temporal.connection.withDeadline(Date.now() + timeoutMs, async () => {
    const [ns, info] = await Promise.all([
      temporal.connection.workflowService.describeNamespace({ namespace }),
      temporal.connection.workflowService.getSystemInfo({}),
    ]);
    return { namespace: ns.namespaceInfo?.name ?? namespace, serverVersion: info.serverVersion ?? 'unknown' };
  });
}
