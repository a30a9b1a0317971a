import { setTimeout as sleep } from 'node:timers/promises';
import { Router } from 'express';
import type { ReferenceSource } from '../../domain/vocabulary';
import type { Random } from '../world/random';
import type { CollectionName } from '../world/records';
import type { World } from '../world/world';
import type { RequestCounters } from './counters';
import type { SourceKnobs } from './knobs';

/** The hydration endpoints of each source, as the reference contract names them. */
export const SOURCE_ROUTES: Readonly<Record<ReferenceSource, readonly { resource: string; collection: CollectionName }[]>> = {
  registry: [
    { resource: 'models', collection: 'models' },
    { resource: 'instances', collection: 'instances' },
    { resource: 'services', collection: 'services' },
  ],
  orchestrator: [
    { resource: 'pipelines', collection: 'pipelines' },
    { resource: 'pipeline-runs', collection: 'runs' },
  ],
  featurestore: [{ resource: 'features', collection: 'features' }],
  experiments: [{ resource: 'tests', collection: 'tests' }],
  datasets: [{ resource: 'datasets', collection: 'datasets' }],
  identity: [
    { resource: 'users', collection: 'users' },
    { resource: 'teams', collection: 'teams' },
  ],
};

export interface SourceState {
  readonly world: World;
  readonly counters: RequestCounters;
  readonly random: Random;
  knobs(): SourceKnobs;
}

/**
 * One demo source system: serves its records by id, rate-limits with 429 + Retry-After over a
 * sliding one-second window, injects 503s and latency as its knobs say, and counts every request.
 */
export function sourceRouter(source: ReferenceSource, state: SourceState): Router {
  const router = Router();
  const servedAt: number[] = [];

  router.use((req, res, next) => {
    const arrived = Date.now();
    res.once('finish', () => state.counters.record(source, endpointOf(req.path), req.path, res.statusCode, arrived));
    const { rateLimitPerSecond } = state.knobs();
    if (rateLimitPerSecond !== null) {
      while (servedAt.length > 0 && arrived - (servedAt[0] as number) >= 1000) servedAt.shift();
      if (servedAt.length >= rateLimitPerSecond) {
        const retryAfter = Math.max(1, Math.ceil(((servedAt[0] as number) + 1000 - arrived) / 1000));
        res.status(429).set('Retry-After', String(retryAfter)).json({ error: 'rate limit exceeded', limitPerSecond: rateLimitPerSecond });
        return;
      }
      servedAt.push(arrived);
    }
    next();
  });

  router.use(async (_req, res, next) => {
    const { latencyMs, latencyJitterMs, errorRate } = state.knobs();
    const delay = latencyMs + (latencyJitterMs > 0 ? state.random.next() * latencyJitterMs : 0);
    if (delay > 0) await sleep(delay);
    if (state.random.chance(errorRate)) {
      res.status(503).json({ error: 'injected failure' });
      return;
    }
    next();
  });

  for (const { resource, collection } of SOURCE_ROUTES[source]) {
    router.get(`/api/v1/${resource}`, (req, res) => {
      const query = listingQuery(req.query);
      if (typeof query === 'string') return void res.status(400).json({ error: query });
      const page = state.world.list(collection, query);
      res.json({ items: page.items, next_page_token: page.more && page.lastId !== null ? pageToken(page.lastId) : null });
    });
    router.get(`/api/v1/${resource}/:id`, (req, res) => {
      const record = state.world.serve(collection, req.params.id);
      if (record === undefined) res.status(404).json({ error: `no ${resource} '${req.params.id}'` });
      else res.json(record);
    });
  }
  return router;
}

/** Listing pages: `limit` defaults to 100 and is capped at 1,000, as the contract says. */
const LISTING = { defaultLimit: 100, maxLimit: 1_000 };

/** The opaque page token: where the previous page stopped. */
const pageToken = (lastId: string): string => Buffer.from(JSON.stringify({ after: lastId })).toString('base64url');

/** Parses a listing's query; a string is the reason it is refused (a 400). */
function listingQuery(query: Record<string, unknown>): { limit: number; afterId: string | null; sinceMs: number | null } | string {
  const text = (value: unknown): string | undefined =>
    value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
  const [limit, token, since] = [text(query.limit), text(query.page_token), text(query.updated_since)];
  let parsedLimit = LISTING.defaultLimit;
  if (limit !== undefined) {
    parsedLimit = Number(limit);
    if (!/^\d+$/.test(limit) || parsedLimit < 1) return `limit must be a whole number of at least 1, not '${limit}'`;
  }
  let afterId: string | null = null;
  if (token !== undefined) {
    try {
      const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
      if (typeof decoded.after !== 'string') throw new Error('no position');
      afterId = decoded.after;
    } catch {
      return 'page_token is not one this source gave out';
    }
  }
  let sinceMs: number | null = null;
  if (since !== undefined) {
    sinceMs = /^\d{4}-\d{2}-\d{2}T/.test(since) ? Date.parse(since) : Number.NaN;
    if (Number.isNaN(sinceMs)) return `updated_since must be an ISO-8601 time, not '${since}'`;
  }
  return { limit: Math.min(parsedLimit, LISTING.maxLimit), afterId, sinceMs };
}

/** The endpoint pattern of a path, e.g. /api/v1/instances/x → GET /api/v1/instances/:id. */
function endpointOf(path: string): string {
  const match = /^\/api\/v1\/([^/]+)\/.+$/.exec(path);
  return match ? `GET /api/v1/${match[1]}/:id` : `GET ${path}`;
}
