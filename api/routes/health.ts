import { Router } from 'express';
import type { Services } from '../../platform/services';
import { checkHealth } from '../health';

export function healthRoutes(services: Services): Router {
  const router = Router();
  router.get('/v1/health', async (_req, res) => {
    const health = await checkHealth(services);
    res.status(health.status === 'up' ? 200 : 503).json(health);
  });
  return router;
}
