import { createApp } from '../../api/app';
import { listen } from '../../api/server';
import { createLogger } from '../../platform/logger';
import type { Harness } from './harness';

export const READ_TOKEN = 'mlg-demo-read-token';

export interface ApiUnderTest {
  readonly base: string;
  /** GETs a path with the read token: its status and JSON body. */
  get(path: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** The API over a harness's services, on a free loopback port, with a reader for its answers. */
export async function serveApi(h: Harness): Promise<ApiUnderTest> {
  const server = await listen(createApp({ services: h.services, logger: createLogger({ logLevel: 'silent' }) }), '127.0.0.1', 0);
  const base = `http://127.0.0.1:${server.port}`;
  return {
    base,
    get: async (path) => {
      const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
      return { status: response.status, body: (await response.json()) as any };
    },
    close: () => server.close(),
  };
}
