import type { Server } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';

/** The API the test provider issues access tokens for (a resource indicator must be an absolute URI). */
export const API_AUDIENCE = 'https://mlg.test/api';
export const OTHER_AUDIENCE = 'https://other.test/api';
/** Tokens for the API that live one second: for the expiry test. */
export const SHORT_LIVED = 'https://mlg.test/api-short-lived';

/** Clients of the test provider (client credentials), each with the groups its tokens carry. */
export const CLIENT_GROUPS: Readonly<Record<string, readonly string[]>> = {
  reader: ['mlg-read'],
  producer: ['mlg-ingest'],
  operator: ['mlg-admin', 'everyone'],
  nobody: ['everyone'],
};
/** People who sign in at the test provider's own login form (any password), and their groups. */
export const PEOPLE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  alice: ['mlg-read'],
  mallory: ['everyone'],
};
/** The portal's client: public, PKCE, with refresh tokens. */
export const PORTAL_CLIENT = 'portal';
/** Access tokens of the portal's sessions live this long, so that every page view refreshes them. */
const PORTAL_TOKEN_SECONDS = 5;
const SECRET = 'client-secret-of-the-test-provider';

/** A port nothing listens on now. */
export const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

export async function signingKey(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

export interface TestProvider {
  readonly issuer: string;
  /** An access token for the client, for the resource (the API unless said). */
  token(client: string, resource?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (panva's oidc-provider, certified by the OpenID Foundation) on
 * loopback, issuing JWT access tokens by the client credentials grant. Started on `port` (0: any),
 * signing with `keys`; starting it again on the same port with other keys is a key rotation.
 */
export async function startTestProvider(options: { port?: number; keys: JWK[]; portal?: string }): Promise<TestProvider> {
  // The issuer names the port, so a free one is found first.
  const port = options.port ?? (await freePort());
  const issuer = `http://127.0.0.1:${port}`;
  const portal = options.portal;
  const provider = new Provider(issuer, {
    clients: [
      ...Object.keys(CLIENT_GROUPS).map((client_id) => ({
        client_id,
        client_secret: SECRET,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'client_secret_post' as const,
      })),
      ...(portal
        ? [
            {
              client_id: PORTAL_CLIENT,
              grant_types: ['authorization_code', 'refresh_token'],
              redirect_uris: [`${portal}/auth/callback`],
              post_logout_redirect_uris: [`${portal}/`],
              response_types: ['code' as const],
              token_endpoint_auth_method: 'none' as const,
            },
          ]
        : []),
    ],
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, email: `${sub}@example.com`, groups: [...(PEOPLE_GROUPS[sub] ?? [])] }),
    }),
    claims: { openid: ['sub'], email: ['email'], profile: ['groups'] },
    // The portal keeps its session by refresh tokens, with or without offline_access.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    jwks: { keys: options.keys },
    features: {
      clientCredentials: { enabled: true },
      // Its own login and consent pages (any password), where people sign in to the portal.
      devInteractions: { enabled: portal !== undefined },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: 'api',
          audience: resource === SHORT_LIVED ? API_AUDIENCE : resource,
          accessTokenTTL: resource === SHORT_LIVED ? 1 : portal ? PORTAL_TOKEN_SECONDS : 300,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: (_ctx, token) => {
      const { accountId, clientId } = token as { accountId?: string; clientId?: string };
      return { groups: [...((accountId ? PEOPLE_GROUPS[accountId] : CLIENT_GROUPS[clientId ?? '']) ?? [])] };
    },
  });
  const server = await new Promise<Server>((resolve) => {
    const s = provider.listen(port, '127.0.0.1', () => resolve(s));
  });
  return {
    issuer,
    async token(client, resource = API_AUDIENCE) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client, client_secret: SECRET, resource, scope: 'api' }),
      });
      const body = (await response.json()) as { access_token?: string; error_description?: string };
      if (!body.access_token) throw new Error(`the test provider gave no token: ${body.error_description ?? response.status}`);
      return body.access_token;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
