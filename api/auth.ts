import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Config } from '../platform/config';
import { AppError } from '../platform/errors';
import type { Scope } from './route-spec';

const same = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Bearer tokens from configuration, each with a scope: `write` allows everything, `read` allows
 * reads. Reads are open without a token only where the deployment says so (MLG_API_OPEN_READS).
 */
export function authGuard(config: Pick<Config, 'api'>): (scope: Scope) => RequestHandler {
  const scopeOf = (token: string): 'read' | 'write' | null => config.api.tokens.find((t) => same(t.token, token))?.scope ?? null;
  return (scope) => (req, _res, next) => {
    if (scope === 'public' || (scope === 'read' && config.api.openReads)) return next();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1])
      return next(
        new AppError('UNAUTHORIZED', 'a bearer token is required: Authorization: Bearer <token>', {
          details: { parameter: 'Authorization' },
        }),
      );
    const granted = scopeOf(match[1]);
    if (!granted) return next(new AppError('UNAUTHORIZED', 'the bearer token is not known', { details: { parameter: 'Authorization' } }));
    if (scope === 'write' && granted !== 'write')
      return next(
        new AppError('FORBIDDEN', 'this operation needs a token with the write scope', { details: { parameter: 'Authorization' } }),
      );
    next();
  };
}
