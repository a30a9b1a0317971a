import { createHash, timingSafeEqual } from 'node:crypto';
import { SCOPES, type Scope } from './scopes';

/** A static token for a machine: a name (who, in the audit trail), the SHA-256 of the token, its scope. */
export interface StaticToken {
  readonly name: string;
  readonly sha256: string;
  readonly scope: Scope;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Whether a presented token is this one, in constant time. */
export const tokenMatches = (token: StaticToken, presentedSha256: string): boolean =>
  timingSafeEqual(Buffer.from(token.sha256, 'hex'), Buffer.from(presentedSha256, 'hex'));

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const TOKEN = /^[A-Za-z0-9._~+/=-]{16,}$/;
const LEGACY_TOKEN = /^[A-Za-z0-9._~+/=-]{8,}$/;
const DIGEST = /^[0-9a-f]{64}$/;
/** Before names and scopes, tokens were `token:read` or `token:write`; `write` allowed every operation. */
const LEGACY_SCOPES: Readonly<Record<string, Scope>> = { read: 'read', write: 'admin' };

/**
 * One entry of MLG_API_TOKENS or of its file: `name:token:scope`, or `name:sha256:<hex>:scope` to
 * give only the token's SHA-256. Today's `token:read` and `token:write` still parse: named
 * `token-<n>`, with `write` as `admin`. Returns what is wrong with it instead, without the token.
 */
export function parseTokenEntry(entry: string, index: number): StaticToken | { readonly problem: string } {
  const parts = entry.trim().split(':');
  const at = `entry ${index + 1}`;
  if (parts.length === 2) {
    const [token = '', legacy = ''] = parts;
    const scope = LEGACY_SCOPES[legacy];
    if (!scope || !LEGACY_TOKEN.test(token))
      return { problem: `${at}: must be name:token:scope (scope read, ingest or admin; tokens of 16+ characters)` };
    return { name: `token-${index + 1}`, sha256: sha256Hex(token), scope };
  }
  const [name = '', ...rest] = parts;
  const scope = rest.pop() ?? '';
  if (!NAME.test(name)) return { problem: `${at}: the name must be 1-64 letters, digits, dot, underscore or dash` };
  if (!(SCOPES as readonly string[]).includes(scope)) return { problem: `${at} (${name}): the scope must be read, ingest or admin` };
  if (rest.length === 2 && rest[0] === 'sha256') {
    const digest = rest[1]?.toLowerCase() ?? '';
    if (!DIGEST.test(digest)) return { problem: `${at} (${name}): a sha256 must be 64 hexadecimal digits` };
    return { name, sha256: digest, scope: scope as Scope };
  }
  const token = rest.join(':');
  if (rest.length !== 1 || !TOKEN.test(token))
    return { problem: `${at} (${name}): the token must be 16 or more of letters, digits and . _ ~ + / = -` };
  return { name, sha256: sha256Hex(token), scope: scope as Scope };
}

/** Parses a list of entries (comma- or line-separated; `#` starts a comment line); throws naming each bad entry. */
export function parseTokenList(text: string): StaticToken[] {
  const entries = text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const parsed = entries.map(parseTokenEntry);
  const problems = parsed.flatMap((p) => ('problem' in p ? [p.problem] : []));
  if (problems.length > 0) throw new Error(problems.join('; '));
  const tokens = parsed as StaticToken[];
  const names = tokens.map((t) => t.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length > 0) throw new Error(`token names must be unique: ${[...new Set(twice)].join(', ')}`);
  return tokens;
}

/** Whether the API's host is this machine only: where the README's demo credentials may be accepted. */
export const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
