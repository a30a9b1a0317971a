import { Client, errors } from '@elastic/elasticsearch';
import type { Config } from '../platform/config';
import { elasticsearchConnection } from '../platform/server-security';

export type SearchClient = Client;

/** Where Elasticsearch is and how to reach it (a CA, an API key or a user). */
export type SearchAccess = Config['elasticsearch'];

export function createSearchClient(elasticsearch: SearchAccess): SearchClient {
  return new Client({ node: elasticsearch.url, requestTimeout: 30_000, maxRetries: 3, ...elasticsearchConnection(elasticsearch) });
}

export async function pingElasticsearch(client: SearchClient, timeoutMs = 2000): Promise<{ status: string; version: string }> {
  const options = { requestTimeout: timeoutMs, maxRetries: 0 };
  // Not `GET /`: the minimal distribution the local stack runs has no root endpoint.
  const [health, nodes] = await Promise.all([
    client.cluster.health({ timeout: `${timeoutMs}ms` }, options),
    client.nodes.info({ node_id: '_local', metric: '_none' }, options),
  ]);
  if (health.status === 'red') throw new Error('cluster status is red');
  return { status: health.status, version: Object.values(nodes.nodes)[0]?.version ?? 'unknown' };
}

/** Whether an error from the client means that Elasticsearch is unreachable or not ready, not that the request is wrong. */
export function isSearchUnavailable(error: unknown): boolean {
  if (error instanceof errors.ConnectionError || error instanceof errors.NoLivingConnectionsError || error instanceof errors.TimeoutError)
    return true;
  return error instanceof errors.ResponseError && (error.statusCode === 503 || error.statusCode === 429);
}
