import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../platform/config';
import { grants, type Scope } from '../platform/scopes';
import { AppError } from '../platform/errors';
import type { AuditEntry } from '../platform/audit';
import type { Credentials, Principal } from './credentials';
import type { SignIn } from './sign-in';

/** What a route needs: nothing (`public`: health, signed webhooks), or a scope. */
export type RouteScope = 'public' | Scope;

const ANONYMOUS: Principal = { actor: { kind: 'anonymous', name: 'anonymous' }, scopes: [] };

/** The principal the guard found for this request (anonymous on a public route or an open read). */
export const principalOf = (res: Response): Principal => (res.locals.principal as Principal | undefined) ?? ANONYMOUS;

/** Where a request came from, for the audit trail. */
export const remoteOf = (req: Request): string | null => req.ip ?? req.socket.remoteAddress ?? null;

const unauthorized = (message: string): AppError => new AppError('UNAUTHORIZED', message, { details: { parameter: 'Authorization' } });

/**
 * Checks a request's credentials against the scope its route needs: 401 without a credential or with
 * one that is not accepted, 403 with one that lacks the scope (`admin` implies `read` and `ingest`;
 * `ingest` does not imply `read`). Reads are open without a token only where the deployment says so
 * (MLG_API_OPEN_READS). A refused credential is recorded in the audit trail.
 */
export function authGuard(
  config: Pick<Config, 'api'>,
  credentials: Credentials,
  audit: (entry: AuditEntry) => Promise<void>,
  signIn: SignIn | null = null,
): (scope: RouteScope) => RequestHandler {
  const refuse = async (req: Request, status: 401 | 403, reason: string, principal: Principal | null): Promise<void> =>
    audit({
      actor: principal?.actor ?? ANONYMOUS.actor,
      action: 'credentials.refused',
      target: `${req.method} ${req.path}`,
      outcome: 'refused',
      status,
      remote: remoteOf(req),
      details: { reason },
    });
  return (scope) => async (req, res, next) => {
    if (scope === 'public' || (scope === 'read' && config.api.openReads)) return next();
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    // The portal's session cookie stands for a person's token on reads only: a cookie a browser sends
    // by itself must never authorize a write (no cross-site request forgery).
    const fromSession = !match?.[1] && req.method === 'GET' && signIn ? await signIn.identify(req, res) : null;
    if (!match?.[1] && !fromSession) return next(unauthorized('a bearer token is required: Authorization: Bearer <token>'));
    const identified = fromSession ?? (await credentials.identify(match?.[1] ?? ''));
    if (!identified.ok) {
      await refuse(req, 401, identified.reason, null);
      return next(unauthorized(identified.reason));
    }
    const { principal } = identified;
    if (!grants(principal.scopes, scope)) {
      await refuse(req, 403, `needs the ${scope} scope`, principal);
      return next(
        new AppError('FORBIDDEN', `this operation needs the ${scope} scope (admin includes read and ingest)`, {
          details: { parameter: 'Authorization' },
        }),
      );
    }
    res.locals.principal = principal;
    next();
  };
}
