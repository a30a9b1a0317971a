import express, { type Express } from 'express';
import type { Logger } from '../platform/logger';
import type { Services } from '../platform/services';
import { problemHandler } from './problem';
import { enrichmentRoutes } from './routes/enrichment';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';

export function createApp(input: { services: Services; logger: Logger }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '5mb' }));
  app.use(healthRoutes(input.services));
  app.use(eventRoutes({ client: input.services.temporal.client, config: input.services.config }));
  app.use(enrichmentRoutes({ client: input.services.temporal.client, config: input.services.config }));
  app.use(problemHandler(input.logger));
  return app;
}
