import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import type { Config } from '../platform/config';
import { AppError } from '../platform/errors';
import { PORTAL_DIST } from '../portal/paths';

/** The portal's own pages: any of them loads the single-page app, which then routes itself. */
export const PORTAL_PAGES = ['/', '/search', '/status', '/paths', '/entity/*rest'];

/**
 * Serves the portal built into dist/portal (see portal/build.ts): hashed assets cached for good, the
 * page itself never; and the little the page needs to know about the deployment (no secrets).
 */
export function portalRouter(config: Config): Router {
  const router = Router();
  const index = path.join(PORTAL_DIST, 'index.html');
  router.get('/portal/config.json', (_req, res) => {
    res.json({
      temporalUi: config.temporal.uiUrl,
      namespace: config.temporal.namespace,
      openReads: config.api.openReads,
      signIn: config.oidc.clientId !== null,
    });
  });
  router.use('/assets', express.static(path.join(PORTAL_DIST, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  router.get(PORTAL_PAGES, (_req, res, next) => {
    if (!fs.existsSync(index))
      return next(new AppError('SERVICE_UNAVAILABLE', 'the portal is not built: npm start builds it (or npm run portal:build)'));
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
