import fs from 'node:fs';
import { DEMO_TOKENS, demoTokensInUse, type Config } from '../platform/config';
import { parseTokenList, sha256Hex, tokenMatches, type StaticToken } from '../platform/credentials';
import type { Scope } from '../platform/scopes';
import type { Logger } from '../platform/logger';
import type { Actor } from '../platform/audit';
import { createOidcVerifier, TokenRefused } from './oidc';

/** Who a request comes from, and what it may do. */
export interface Principal {
  readonly actor: Actor;
  readonly scopes: readonly Scope[];
}

export type Identification = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly reason: string };

/** A JWT has three base64url parts; a static token has none of its dots. */
const looksLikeJwt = (token: string): boolean => /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);

/**
 * The credentials the API accepts: static tokens (MLG_API_TOKENS, and MLG_API_TOKENS_FILE read again
 * when it changes or on SIGHUP, so that a rotated secret needs no restart), the identity provider's
 * JWT access tokens (MLG_OIDC_ISSUER), or, with none configured, the demo's on loopback only.
 */
export function createCredentials(config: Pick<Config, 'api' | 'oidc' | 'demo'>, logger: Logger) {
  const demo: StaticToken[] = demoTokensInUse(config)
    ? DEMO_TOKENS.map((t) => ({ name: t.name, sha256: sha256Hex(t.token), scope: t.scope }))
    : [];
  const file = config.api.tokensFile;
  const readFile = (): StaticToken[] => (file === null ? [] : parseTokenList(fs.readFileSync(file, 'utf8')));
  let fromFile = readFile();
  const reload = (): void => {
    try {
      fromFile = readFile();
      logger.info({ file, tokens: fromFile.map((t) => t.name) }, 'API tokens read again');
    } catch (error) {
      // The previous tokens stay: a half-written file must not lock everybody out. The message names entries, never tokens.
      logger.error({ file, error: (error as Error).message }, 'API tokens file not read again; the previous tokens stay');
    }
  };
  // Only a file is read again (unreferenced: watching it never keeps a process alive), so an API
  // without one adds no listener, however many apps a process creates.
  if (file !== null) {
    fs.watchFile(file, { interval: 1_000 }, reload).unref();
    process.on('SIGHUP', reload);
  }
  const verify = config.oidc.issuer === null ? null : createOidcVerifier(config.oidc);

  return {
    async identify(token: string): Promise<Identification> {
      if (verify && looksLikeJwt(token)) {
        try {
          const verified = await verify(token);
          return { ok: true, principal: { actor: { kind: 'oidc', name: verified.subject }, scopes: verified.scopes } };
        } catch (error) {
          if (error instanceof TokenRefused) return { ok: false, reason: error.message };
          throw error;
        }
      }
      const digest = sha256Hex(token);
      const found = [...config.api.tokens, ...fromFile, ...demo].find((t) => tokenMatches(t, digest));
      return found
        ? { ok: true, principal: { actor: { kind: 'token', name: found.name }, scopes: [found.scope] } }
        : { ok: false, reason: 'the bearer token is not known' };
    },
  };
}

export type Credentials = ReturnType<typeof createCredentials>;
