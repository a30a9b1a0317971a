import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Config } from '../../platform/config';
import { triggerEnrichment } from '../../temporal/enrichment-schedule';

/** POST /v1/enrichment/run: starts a sweep now (or answers with the one already running). */
export function enrichmentRoutes(deps: { client: Client; config: Pick<Config, 'temporal' | 'enrichment'> }): Router {
  const router = Router();
  router.post('/v1/enrichment/run', async (_req, res) => {
    const { workflowId, runId } = await triggerEnrichment(deps.client, deps.config);
    res.status(202).json({ workflowId, runId });
  });
  return router;
}
