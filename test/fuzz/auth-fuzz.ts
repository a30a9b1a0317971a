import { createHmac, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { CompactSign, importJWK, type JWK } from 'jose';
import { SESSION_COOKIE, sessionCipher } from '../../api/session-cookie';
import type { Scope } from '../../platform/scopes';

export interface AuthFuzzSetup {
  readonly base: string;
  readonly issuer: string;
  readonly audience: string;
  /** The provider's own signing key (private): tokens signed with it carry fuzzed claims the API must judge. */
  readonly providerKey: JWK;
  readonly sessionSecret: string;
  /** The leeway the API gives `exp` and `nbf`. */
  readonly clockSkewSeconds: number;
  /** The static tokens the API knows, by scope: mutated, they must be refused. */
  readonly staticTokens: Readonly<Record<Scope, string>>;
  /** The groups that give each scope. */
  readonly groups: Readonly<Record<Scope, string>>;
}

export interface AuthFuzzResult {
  readonly sent: number;
  readonly byStatus: Record<string, number>;
  readonly serverErrors: number;
  /** Requests answered 2xx on a guarded route although the credential could not have granted it. */
  readonly wronglyGranted: number;
  /** The first few failures, to reproduce. */
  readonly failures: readonly string[];
  readonly passed: boolean;
}

interface Target {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly scope: Scope | 'public';
  readonly body?: string;
}
/** One route per scope (and the public ones that read credentials): what a credential is checked against. */
const TARGETS: readonly Target[] = [
  { method: 'GET', path: '/v1/health', scope: 'public' },
  { method: 'GET', path: '/auth/session', scope: 'public' },
  { method: 'GET', path: '/v1/search?q=model', scope: 'read' },
  { method: 'GET', path: '/v1/quality/summary', scope: 'read' },
  { method: 'POST', path: '/v1/events', scope: 'ingest', body: JSON.stringify([{ event_type: 'not_an_event_type' }]) },
  { method: 'GET', path: '/v1/audit?limit=1', scope: 'admin' },
];

const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
/** Header values as fetch sends them: visible ASCII and spaces. */
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 });
const now = (): number => Math.floor(Date.now() / 1000);

/** A credential's claims: right, wrong, missing or of the wrong type, independently. */
function claimsOf(setup: AuthFuzzSetup) {
  const anything = fc.jsonValue({ maxDepth: 2 });
  const time = (valid: fc.Arbitrary<number>) =>
    fc.oneof(
      valid,
      fc.integer({ min: -1e6, max: 1e6 }).map((d) => now() + d),
      fc.double(),
      anything,
    );
  return fc.record(
    {
      iss: fc.oneof({ weight: 4, arbitrary: fc.constant(setup.issuer) }, fc.constant(`${setup.issuer}/`), anything),
      aud: fc.oneof(
        { weight: 4, arbitrary: fc.constant(setup.audience) },
        fc.constant([setup.audience, 'https://other.test']),
        fc.constant('https://other.test/api'),
        anything,
      ),
      exp: time(fc.constant(now() + 600)),
      nbf: time(fc.constant(now() - 60)),
      iat: time(fc.constant(now())),
      sub: fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) }, anything),
      groups: fc.oneof(
        { weight: 4, arbitrary: fc.subarray([...Object.values(setup.groups), 'everyone']) },
        anything,
        fc.array(fc.string(), { maxLength: 5 }),
      ),
    },
    { requiredKeys: [] },
  );
}

type Claims = Record<string, unknown>;

/** The scopes a token with these claims may have, signed by the provider's own key; none when any claim is wrong. */
function scopesOf(claims: Claims, setup: AuthFuzzSetup): Scope[] {
  // A second more than the leeway either way: what a slow request may add.
  const t = now();
  const leeway = setup.clockSkewSeconds + 1;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const valid =
    claims.iss === setup.issuer &&
    audiences.includes(setup.audience) &&
    typeof claims.exp === 'number' &&
    claims.exp > t - leeway &&
    (claims.nbf === undefined || (typeof claims.nbf === 'number' && claims.nbf <= t + leeway));
  if (!valid || !Array.isArray(claims.groups)) return [];
  return (Object.entries(setup.groups) as [Scope, string][])
    .filter(([, group]) => (claims.groups as unknown[]).includes(group))
    .map(([s]) => s);
}

const grants = (scopes: readonly Scope[], needed: Scope): boolean => scopes.includes('admin') || scopes.includes(needed);

interface Case {
  readonly target: Target;
  readonly authorization: string | null;
  readonly cookie: string | null;
  /** The scopes the credential could grant at the most (a valid token's); none for all the others. */
  readonly mayGrant: readonly Scope[];
  readonly label: string;
  /** The claims of the token it carries, if signed: to reproduce a failure. */
  readonly claims?: Claims;
}

/**
 * Fuzzes the API's credentials: bearer values (garbage, JWT-shaped garbage, tokens signed by the
 * provider's key with fuzzed claims, `alg: none`, HMAC with the public key, another key under the
 * same kid, mutated static tokens) and session cookies (garbage, and cookies encrypted with the real
 * secret holding fuzzed sessions), against a route of each scope. No answer may be a 5xx, and no
 * credential that could not grant a route's scope may get a 2xx from it.
 */
export async function fuzzAuth(setup: AuthFuzzSetup, options: { seed: number; cases: number }): Promise<AuthFuzzResult> {
  const privateKey = await importJWK(setup.providerKey, 'RS256');
  const kid = setup.providerKey.kid ?? '';
  const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { n, e, kty } = setup.providerKey;
  const publicJwk = JSON.stringify({ n, e, kty });
  const cipher = sessionCipher(setup.sessionSecret);
  const claims = claimsOf(setup);

  const signed = (payload: Claims, key: Parameters<CompactSign['sign']>[0] = privateKey): Promise<string> =>
    new CompactSign(Buffer.from(JSON.stringify(payload))).setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' }).sign(key);
  const hmacWithPublicKey = (payload: Claims): string => {
    const input = `${b64({ alg: 'HS256', kid })}.${b64(payload)}`;
    return `${input}.${createHmac('sha256', publicJwk).update(input).digest('base64url')}`;
  };

  type Bearer = { kind: string; claims?: Claims; text?: string; sign?: 'provider' | 'none' | 'hmac' | 'other' };
  const bearer: fc.Arbitrary<Bearer | null> = fc.oneof(
    fc.constant(null),
    headerText.map((text) => ({ kind: 'raw', text })),
    headerText.map((text) => ({ kind: 'bearer-garbage', text: `Bearer ${text}` })),
    fc
      .tuple(fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }), fc.base64String({ maxLength: 60 }))
      .map(([h, p, s]) => ({ kind: 'jwt-shaped', text: `Bearer ${b64(h)}.${b64(p)}.${s.replace(/=/g, '')}` })),
    { weight: 6, arbitrary: claims.map((c) => ({ kind: 'provider-signed', claims: c, sign: 'provider' as const })) },
    claims.map((c) => ({ kind: 'alg-none', claims: c, sign: 'none' as const })),
    claims.map((c) => ({ kind: 'hmac-public-key', claims: c, sign: 'hmac' as const })),
    claims.map((c) => ({ kind: 'other-key-same-kid', claims: c, sign: 'other' as const })),
    fc
      .tuple(fc.constantFrom(...Object.values(setup.staticTokens)), fc.string({ minLength: 1, maxLength: 3 }), fc.boolean())
      .map(([token, extra, before]) => ({
        kind: 'mutated-static',
        text: `Bearer ${before ? extra.replace(/\s/g, 'x') + token : token.slice(0, -1)}`,
      })),
  );
  type Cookie = { kind: string; text?: string; session?: Record<string, unknown> };
  const cookie: fc.Arbitrary<Cookie | null> = fc.oneof(
    { weight: 3, arbitrary: fc.constant(null) },
    headerText.map((text) => ({ kind: 'cookie-garbage', text })),
    headerText.map((text) => ({ kind: 'session-garbage', text: `${SESSION_COOKIE}=${text.replace(/[;\s]/g, '')}` })),
    fc
      .record(
        {
          accessToken: fc.oneof(
            claims.map((c) => ({ signedClaims: c })),
            fc.jsonValue({ maxDepth: 2 }),
          ),
          refreshToken: fc.oneof(fc.constant(null), fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 1 })),
          expiresAt: fc.oneof(
            fc.integer({ min: -3_600_000, max: 3_600_000 }).map((d) => Date.now() + d),
            fc.jsonValue({ maxDepth: 1 }),
          ),
          idToken: fc.oneof(fc.constant(null), fc.string({ maxLength: 40 })),
        },
        { requiredKeys: [] },
      )
      .map((session) => ({ kind: 'sealed-session', session })),
  );

  const caseOf = async (target: Target, b: Bearer | null, c: Cookie | null): Promise<Case> => {
    let authorization: string | null = b?.text ?? null;
    let mayGrant: Scope[] = [];
    if (b?.claims) {
      const token =
        b.sign === 'provider'
          ? await signed(b.claims)
          : b.sign === 'other'
            ? await signed(b.claims, otherKey)
            : b.sign === 'hmac'
              ? hmacWithPublicKey(b.claims)
              : `${b64({ alg: 'none', kid })}.${b64(b.claims)}.`;
      authorization = `Bearer ${token}`;
      if (b.sign === 'provider') mayGrant = scopesOf(b.claims, setup);
    }
    let cookieHeader: string | null = c?.text ?? null;
    if (c?.session) {
      const { accessToken, ...rest } = c.session;
      const inner = accessToken as { signedClaims?: Claims } | undefined;
      const token =
        inner && typeof inner === 'object' && 'signedClaims' in inner && inner.signedClaims
          ? await signed(inner.signedClaims)
          : accessToken;
      cookieHeader = `${SESSION_COOKIE}=${await cipher.seal({ ...rest, ...(token === undefined ? {} : { accessToken: token }) }, 600)}`;
      // A session stands for its access token on reads only, and only where no bearer token is sent.
      if (!authorization && target.method === 'GET' && inner?.signedClaims) mayGrant = scopesOf(inner.signedClaims, setup);
    }
    const claimsSent = b?.claims ?? (c?.session?.accessToken as { signedClaims?: Claims } | undefined)?.signedClaims;
    return {
      target,
      authorization,
      cookie: cookieHeader,
      mayGrant,
      label: `${b?.kind ?? 'no-bearer'}+${c?.kind ?? 'no-cookie'}`,
      ...(claimsSent ? { claims: claimsSent } : {}),
    };
  };

  const drawn = fc.sample(fc.tuple(fc.constantFrom(...TARGETS), bearer, cookie), { seed: options.seed, numRuns: options.cases });
  const byStatus: Record<string, number> = {};
  const failures: string[] = [];
  let serverErrors = 0;
  let wronglyGranted = 0;
  for (const [target, b, c] of drawn) {
    const k = await caseOf(target, b, c);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (k.authorization !== null) headers.authorization = k.authorization;
    if (k.cookie !== null) headers.cookie = k.cookie;
    const response = await fetch(`${setup.base}${target.path}`, { method: target.method, headers, body: target.body ?? null });
    await response.arrayBuffer();
    byStatus[response.status] = (byStatus[response.status] ?? 0) + 1;
    const granted = response.status >= 200 && response.status < 300;
    const fault =
      response.status >= 500
        ? (serverErrors++, 'a server error')
        : target.scope !== 'public' && granted && !grants(k.mayGrant, target.scope)
          ? (wronglyGranted++, 'granted without a credential that could grant it')
          : null;
    if (fault && failures.length < 10)
      failures.push(
        `${target.method} ${target.path} with ${k.label}: ${response.status}, ${fault}; claims ${JSON.stringify(k.claims ?? null)}`,
      );
  }
  return { sent: drawn.length, byStatus, serverErrors, wronglyGranted, failures, passed: serverErrors === 0 && wronglyGranted === 0 };
}
