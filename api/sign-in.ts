import { parseCookie } from 'cookie';
import { Router, type CookieOptions, type Request, type Response } from 'express';
import * as oauth from 'openid-client';
import type { Config } from '../platform/config';
import { isLoopback } from '../platform/credentials';
import { AppError } from '../platform/errors';
import type { Logger } from '../platform/logger';
import type { Credentials, Identification } from './credentials';
import { PENDING_COOKIE, pendingSignIn, session as sessionShape, SESSION_COOKIE, sessionCipher, type Session } from './session-cookie';

/** An access token this close to its expiry is refreshed before the request is answered. */
const REFRESH_AHEAD_MS = 30_000;
/** However often it is refreshed, a session ends after this long, and the person signs in again. */
const SESSION_MAX_AGE_MS = 12 * 3_600_000;

/** A path of this site to come back to after signing in: never another site. */
const localPath = (value: unknown): string => (typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/');

/**
 * The portal's sign-in with the organization's identity provider: the authorization code flow with
 * PKCE, done by the server (the browser never holds a token). The session is an encrypted, HttpOnly,
 * SameSite=Lax cookie (Secure when the portal is reached over TLS) holding the provider's tokens;
 * an access token about to expire is refreshed with the refresh token as requests come, and a
 * session ends after 12 hours at the most. Sign-out clears it and ends the provider's session too.
 */
export function createSignIn(config: Pick<Config, 'oidc' | 'api'>, credentials: Credentials, logger: Logger) {
  const { oidc } = config;
  const issuer = oidc.issuer ?? '';
  const { seal, open } = sessionCipher(oidc.sessionSecret ?? '');
  let discovered: Promise<oauth.Configuration> | null = null;
  const provider = (): Promise<oauth.Configuration> =>
    (discovered ??= oauth
      .discovery(
        new URL(issuer),
        oidc.clientId ?? '',
        oidc.clientSecret ?? undefined,
        oidc.clientSecret ? oauth.ClientSecretPost(oidc.clientSecret) : oauth.None(),
        // A provider on this machine may speak plain HTTP (a local one, the tests'); any other must use TLS.
        isLoopback(new URL(issuer).hostname) ? { execute: [oauth.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        discovered = null;
        throw new AppError('SERVICE_UNAVAILABLE', 'the identity provider could not be reached; retry later', {
          details: { server: 'identity provider' },
          retryAfterMs: 5_000,
          cause: error,
        });
      }));

  const base = (req: Request): string => (config.api.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/$/, '');
  const cookieOptions = (req: Request, maxAge: number): CookieOptions => ({
    httpOnly: true,
    sameSite: 'lax',
    secure: base(req).startsWith('https:'),
    path: '/',
    maxAge,
  });
  const cookiesOf = (req: Request): Record<string, string | undefined> => parseCookie(req.headers.cookie ?? '');
  const sessionOf = (tokens: oauth.TokenEndpointResponse, previous: Session | null): Session => ({
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? previous?.refreshToken ?? null,
    expiresAt: Date.now() + (tokens.expires_in ?? 300) * 1000,
    idToken: tokens.id_token ?? previous?.idToken ?? null,
  });
  const keep = async (req: Request, res: Response, session: Session): Promise<void> => {
    res.cookie(SESSION_COOKIE, await seal({ ...session }, SESSION_MAX_AGE_MS / 1000), cookieOptions(req, SESSION_MAX_AGE_MS));
  };

  // A page asks several things at once: the requests that carry one refresh token share one refresh,
  // since a provider that rotates refresh tokens accepts each only once.
  const refreshing = new Map<string, Promise<Session>>();
  const refresh = (session: Session & { refreshToken: string }): Promise<Session> => {
    let pending = refreshing.get(session.refreshToken);
    if (!pending) {
      pending = provider()
        .then((configuration) =>
          oauth.refreshTokenGrant(configuration, session.refreshToken, oidc.resource ? { resource: oidc.resource } : {}),
        )
        .then((tokens) => sessionOf(tokens, session));
      refreshing.set(session.refreshToken, pending);
      const forget = (): void => void setTimeout(() => refreshing.delete(session.refreshToken), 10_000).unref();
      pending.then(forget, forget);
    }
    return pending;
  };

  /** The session's current access token, refreshed first when it is about to expire; null when there is no usable session. */
  const accessTokenOf = async (req: Request, res: Response): Promise<string | null> => {
    const session = await open(cookiesOf(req)[SESSION_COOKIE], sessionShape);
    if (!session) return null;
    if (session.expiresAt - Date.now() > REFRESH_AHEAD_MS) return session.accessToken;
    const { refreshToken } = session;
    if (!refreshToken) return null;
    try {
      const refreshed = await refresh({ ...session, refreshToken });
      await keep(req, res, refreshed);
      return refreshed.accessToken;
    } catch (error) {
      if (error instanceof AppError) throw error;
      logger.info({ error: (error as Error).message }, 'a portal session could not be refreshed; the person signs in again');
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      return null;
    }
  };

  const router = Router();
  router.get('/auth/sign-in', async (req, res) => {
    const verifier = oauth.randomPKCECodeVerifier();
    const state = oauth.randomState();
    const pending = await seal({ verifier, state, returnTo: localPath(req.query.returnTo) }, 600);
    res.cookie(PENDING_COOKIE, pending, cookieOptions(req, 600_000));
    const url = oauth.buildAuthorizationUrl(await provider(), {
      redirect_uri: `${base(req)}/auth/callback`,
      scope: oidc.scopes,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      ...(oidc.resource ? { resource: oidc.resource } : {}),
    });
    res.redirect(303, url.href);
  });
  router.get('/auth/callback', async (req, res) => {
    const pending = await open(cookiesOf(req)[PENDING_COOKIE], pendingSignIn);
    res.clearCookie(PENDING_COOKIE, { path: '/' });
    if (!pending)
      throw new AppError('BAD_REQUEST', 'this sign-in has expired or was started elsewhere: sign in again', {
        details: { parameter: 'state' },
      });
    let tokens: oauth.TokenEndpointResponse;
    try {
      tokens = await oauth.authorizationCodeGrant(await provider(), new URL(`${base(req)}${req.originalUrl}`), {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
      });
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('UNAUTHORIZED', `the identity provider did not sign you in: ${(error as Error).message}`, {
        details: { parameter: 'code' },
      });
    }
    await keep(req, res, sessionOf(tokens, null));
    res.redirect(303, pending.returnTo);
  });
  router.get('/auth/sign-out', async (req, res) => {
    const session = await open(cookiesOf(req)[SESSION_COOKIE], sessionShape);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    const configuration = await provider().catch(() => null);
    const endsSession = configuration?.serverMetadata().end_session_endpoint !== undefined;
    res.redirect(
      303,
      configuration && endsSession
        ? oauth.buildEndSessionUrl(configuration, {
            post_logout_redirect_uri: `${base(req)}/`,
            ...(session?.idToken ? { id_token_hint: session.idToken } : {}),
          }).href
        : '/',
    );
  });
  router.get('/auth/session', async (req, res) => {
    const token = await accessTokenOf(req, res);
    const identified = token ? await credentials.identify(token) : null;
    res.json(
      identified?.ok
        ? { signedIn: true, subject: identified.principal.actor.name, scopes: identified.principal.scopes }
        : { signedIn: false, subject: null, scopes: [] },
    );
  });

  return {
    router,
    /** Who a request without a bearer token is, from its session cookie; null when it has none. */
    async identify(req: Request, res: Response): Promise<Identification | null> {
      if (!cookiesOf(req)[SESSION_COOKIE]) return null;
      const token = await accessTokenOf(req, res);
      return token ? credentials.identify(token) : { ok: false, reason: 'the session has ended: sign in again' };
    },
  };
}

export type SignIn = ReturnType<typeof createSignIn>;
