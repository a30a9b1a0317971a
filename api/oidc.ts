import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../platform/config';
import type { Scope } from '../platform/scopes';
import { AppError } from '../platform/errors';

/** Asymmetric signatures only: an HMAC secret shared with the provider, or `none`, is never accepted. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** A token signed by a key the cached set lacks fetches the set again, at most this often (key rotation). */
const REFETCH_COOLDOWN_MS = 5_000;

export interface VerifiedToken {
  /** The OIDC subject: who, in the audit trail. */
  readonly subject: string;
  readonly scopes: Scope[];
}

/** A token that does not verify: why, in words that carry nothing of the token. */
export class TokenRefused extends Error {
  override readonly name = 'TokenRefused';
}

const groupsOf = (payload: JWTPayload, claim: string): string[] => {
  const value = claim
    .split('.')
    .reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), payload);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : [];
};

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not accepted here`;
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return "the token's algorithm is not accepted";
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token was signed by a key the identity provider does not publish';
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the token's signature does not verify";
  return 'the token is not a valid JWT';
}

/**
 * Verifies the identity provider's JWT access tokens: the signature against its published keys (read
 * from its discovery document, fetched again when a token names a key not seen yet, so a rotation is
 * followed without a restart), the issuer, the audience, expiry and not-before with the configured
 * clock skew. The scopes come from the groups or roles in the configured claim.
 */
export function createOidcVerifier(oidc: Config['oidc']) {
  const issuer = oidc.issuer ?? '';
  let keys: Promise<JWTVerifyGetKey> | null = null;
  const discover = async (): Promise<JWTVerifyGetKey> => {
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`the identity provider's discovery document answered ${response.status}`);
    const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
    if (document.issuer !== issuer) throw new Error(`the discovery document names another issuer than MLG_OIDC_ISSUER`);
    if (typeof document.jwks_uri !== 'string') throw new Error('the discovery document has no jwks_uri');
    return createRemoteJWKSet(new URL(document.jwks_uri), { cooldownDuration: REFETCH_COOLDOWN_MS, timeoutDuration: 5_000 });
  };
  const scopesOf = (groups: readonly string[]): Scope[] => {
    const scopes: Scope[] = [];
    if (groups.some((g) => oidc.readGroups.includes(g))) scopes.push('read');
    if (groups.some((g) => oidc.ingestGroups.includes(g))) scopes.push('ingest');
    if (groups.some((g) => oidc.adminGroups.includes(g))) scopes.push('admin');
    return scopes;
  };
  return async function verify(token: string): Promise<VerifiedToken> {
    const current = (keys ??= discover().catch((error: unknown) => {
      keys = null;
      throw error;
    }));
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await current, {
        issuer,
        audience: oidc.audience ?? '',
        clockTolerance: oidc.clockSkewSeconds,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout)) throw new TokenRefused(reasonOf(error));
      throw new AppError('SERVICE_UNAVAILABLE', 'the identity provider could not be asked for its keys; retry later', {
        details: { server: 'identity provider' },
        retryAfterMs: 5_000,
        cause: error,
      });
    }
    return { subject: payload.sub ?? '', scopes: scopesOf(groupsOf(payload, oidc.rolesClaim)) };
  };
}
