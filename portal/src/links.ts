import { parseUri, type EntityRef } from '../../domain/uri';

/** The portal's address of an entity: /entity/{type}/{source}/{nativeId}, like the API's. */
export const entityPath = (ref: EntityRef): string => `/entity/${ref.type}/${ref.source}/${encodeURIComponent(ref.nativeId)}`;

export function pathOfUri(uri: string): string | null {
  try {
    return entityPath(parseUri(uri));
  } catch {
    return null;
  }
}

/** The API path of an entity, with an optional suffix such as `/lineage`. */
export const apiPath = (ref: EntityRef, suffix = ''): string =>
  `/v1/entities/${ref.type}/${ref.source}/${encodeURIComponent(ref.nativeId)}${suffix}`;

/** A short readable label for a URI when its name is not at hand: its native id. */
export function labelOfUri(uri: string): string {
  try {
    return parseUri(uri).nativeId;
  } catch {
    return uri;
  }
}

export const typeOfUri = (uri: string): string | null => {
  try {
    return parseUri(uri).type;
  } catch {
    return null;
  }
};
