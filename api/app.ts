import { randomUUID } from 'node:crypto';
import path from 'node:path';
import express, { Router, type Express } from 'express';
import { pinoHttp } from 'pino-http';
import swaggerUi from 'swagger-ui-dist';
import type { Logger } from '../platform/logger';
import { metrics } from '../platform/metrics';
import type { Services } from '../platform/services';
import { authGuard } from './auth';
import { openApiDocument } from './openapi';
import { portalRouter } from './portal';
import { problemHandler } from './problem';
import { expressPath, mount, type RouteSpec } from './route-spec';
import { auditRoutes } from './routes/audit';
import { enrichmentRoutes } from './routes/enrichment';
import { eventRoutes } from './routes/events';
import { OPENLINEAGE_PATH, openLineageRoutes } from './routes/openlineage';
import { graphRoutes } from './routes/graph';
import { healthRoutes } from './routes/health';
import { qualityRoutes } from './routes/quality';
import { setSourceGauges } from './source-gauges';
import { searchRoutes } from './routes/search';
import { MLFLOW_WEBHOOK_PATH, webhookRoutes, type RawBodyRequest } from './routes/webhooks';
import { AppError } from '../platform/errors';
import { apiCredentialsProblem, ConfigError } from '../platform/config';
import { createCredentials } from './credentials';
import { createSignIn } from './sign-in';

export const API_VERSION = '1.0.0';

export function routeSpecs(services: Services): RouteSpec[] {
  return [
    ...healthRoutes(services),
    ...eventRoutes(services),
    ...openLineageRoutes(services),
    ...searchRoutes(services),
    ...graphRoutes(services),
    ...enrichmentRoutes(services),
    ...webhookRoutes(services),
    ...qualityRoutes(services),
    ...auditRoutes(services),
  ];
}

/** Serves Swagger UI's static assets with an initializer that points it at our document. */
function docsRouter(): Router {
  const router = Router();
  router.get('/docs/swagger-initializer.js', (_req, res) => {
    res
      .type('application/javascript')
      .send(
        "window.onload = () => { window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' }); };",
      );
  });
  router.use('/docs', express.static(path.resolve(swaggerUi.getAbsoluteFSPath()), { index: 'index.html' }));
  return router;
}

export function createApp(input: { services: Services; logger: Logger }): Express {
  const { services, logger } = input;
  const problem = apiCredentialsProblem(services.config);
  if (problem) throw new ConfigError(problem);
  const credentials = createCredentials(services.config, logger);
  const specs = routeSpecs(services);
  const document = openApiDocument(specs, { version: API_VERSION });
  const app = express();
  app.disable('x-powered-by');
  // An answer reflects the graph when it was asked; hashing every body for an ETag costs a large lineage
  // answer as much as encoding it, and conditional GETs of the API are not offered.
  app.disable('etag');
  app.set('query parser', 'extended');
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/metrics' },
      // Bound to every request's logger when the request arrives, so kept to what identifies it: its
      // headers (credentials to be censored on each request) are not logged.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
      },
    }),
  );
  app.use((req, res, next) => {
    const stop = metrics.httpDuration.startTimer();
    res.once('finish', () =>
      stop({
        method: req.method,
        route: (req.route as { path?: string } | undefined)?.path ?? 'unmatched',
        status: String(res.statusCode),
      }),
    );
    next();
  });
  // OpenLineage bodies may be large (Spark's logical plans) and gzipped: their own limit, parsed first.
  app.use(OPENLINEAGE_PATH, express.json({ limit: services.config.openLineage.maxBodyBytes }));
  // MLflow signs the body's bytes: its path keeps them beside the parsed JSON.
  app.use(
    MLFLOW_WEBHOOK_PATH,
    express.json({
      limit: '1mb',
      verify: (req, _res, buffer) => {
        (req as RawBodyRequest).rawBody = buffer;
      },
    }),
  );
  app.use(express.json({ limit: '5mb' }));
  app.get('/openapi.json', (_req, res) => void res.json(document));
  app.get('/metrics', async (_req, res) => {
    await setSourceGauges(services).catch(() => undefined); // the database away: the gauges keep their last values
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(docsRouter());
  const router = Router();
  const audit = services.audit.record;
  const signIn = services.config.oidc.clientId === null ? null : createSignIn(services.config, credentials, logger);
  if (signIn) app.use(signIn.router);
  const guard = authGuard(services.config, credentials, audit, signIn);
  for (const spec of specs) mount(router, spec, { guard, audit, checkAnswers: services.config.api.checkAnswers });
  app.use(router);
  app.use(portalRouter(services.config));
  const known = new Set(specs.map((s) => expressPath(s.path)));
  app.use((req, _res, next) =>
    next(
      new AppError('NOT_FOUND', `no route ${req.method} ${req.path}; see /openapi.json`, {
        details: { parameter: 'path', known: [...known] },
      }),
    ),
  );
  app.use(problemHandler(logger));
  return app;
}
