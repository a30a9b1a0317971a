import { ENTITY_TYPES, isEntityType, isGraphSource, sourcesOf, SOURCE_OF, type EntityType, type GraphSource } from './vocabulary';

/** An entity's identity: the parts of its global URI `{scheme}://{type}/{source}/{nativeId}`. */
export interface EntityRef {
  readonly type: EntityType;
  readonly source: GraphSource;
  readonly nativeId: string;
}

export const DEFAULT_URI_SCHEME = 'mlg';

export class UriError extends Error {
  override readonly name = 'UriError';
}

export function formatUri(ref: EntityRef, scheme = DEFAULT_URI_SCHEME): string {
  return `${scheme}://${ref.type}/${ref.source}/${encodeURIComponent(ref.nativeId)}`;
}

/** The URI of an entity of a type, whose source is the one the domain assigns to that type. */
export function uriOf(type: EntityType, nativeId: string, scheme = DEFAULT_URI_SCHEME): string {
  return formatUri({ type, source: SOURCE_OF[type], nativeId }, scheme);
}

/** The URI of an entity of a type at a source, its own by default. */
/**
 * An owner as a request names it: a URI as it is, or a username or team id as the URI of each owner
 * type it may be.
 */
export const ownerUris = (owner: string, types: readonly ('user' | 'team')[], scheme = DEFAULT_URI_SCHEME): string[] =>
  owner.includes('://') ? [owner] : types.map((type) => uriOf(type, owner, scheme));

export const uriAt = (type: EntityType, source: GraphSource | undefined, nativeId: string, scheme = DEFAULT_URI_SCHEME): string =>
  formatUri({ type, source: source ?? SOURCE_OF[type], nativeId }, scheme);

/** Text as a regular expression that matches it literally. */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The URIs `parseUri` accepts as a regular expression's source: each type with the sources it can
 * come from and a percent-encoded id; for documents that describe a parameter, such as OpenAPI's.
 */
export const uriPattern = (scheme = DEFAULT_URI_SCHEME): string => {
  const typed = ENTITY_TYPES.map((type) => `${type}/(?:${sourcesOf(type).join('|')})`).join('|');
  return `^${escapeRegExp(scheme)}://(?:${typed})/(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})+$`;
};

export function parseUri(uri: string, scheme = DEFAULT_URI_SCHEME): EntityRef {
  const prefix = `${scheme}://`;
  if (!uri.startsWith(prefix)) throw new UriError(`'${uri}' is not a ${scheme}:// URI`);
  const parts = uri.slice(prefix.length).split('/');
  if (parts.length !== 3 || parts.some((part) => part === ''))
    throw new UriError(`'${uri}' is not of the form ${scheme}://{type}/{source}/{nativeId}`);
  const [type, source, encoded] = parts as [string, string, string];
  if (!isEntityType(type)) throw new UriError(`'${type}' is not an entity type`);
  if (!isGraphSource(source)) throw new UriError(`'${source}' is not a source system`);
  if (!sourcesOf(type).includes(source))
    throw new UriError(`entities of type ${type} come from ${sourcesOf(type).join(' or ')}, not ${source}`);
  let nativeId: string;
  try {
    nativeId = decodeURIComponent(encoded);
  } catch {
    throw new UriError(`'${encoded}' is not a valid percent-encoded id`);
  }
  return { type, source, nativeId };
}
