import { setTimeout as sleep } from 'node:timers/promises';
import { Router } from 'express';
import type { SourceName } from '../../domain/vocabulary';
import type { Random } from '../world/random';
import type { CollectionName } from '../world/records';
import type { World } from '../world/world';
import type { RequestCounters } from './counters';
import type { SourceKnobs } from './knobs';

/** The hydration endpoints of each source, as the reference contract names them. */
export const SOURCE_ROUTES: Readonly<Record<SourceName, readonly { resource: string; collection: CollectionName }[]>> = {
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
export function sourceRouter(source: SourceName, state: SourceState): Router {
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
    router.get(`/api/v1/${resource}/:id`, (req, res) => {
      const record = state.world.serve(collection, req.params.id);
      if (record === undefined) res.status(404).json({ error: `no ${resource} '${req.params.id}'` });
      else res.json(record);
    });
  }
  return router;
}

/** The endpoint pattern of a path, e.g. /api/v1/instances/x → GET /api/v1/instances/:id. */
function endpointOf(path: string): string {
  const match = /^\/api\/v1\/([^/]+)\/.+$/.exec(path);
  return match ? `GET /api/v1/${match[1]}/:id` : `GET ${path}`;
}
