import type { z } from 'zod';
import type * as s from '../../api/schemas';

/** The API's answers, typed by the very schemas that describe them in its OpenAPI document. */
export type Entity = z.output<typeof s.entityResponse>;
export type Relationship = Entity['relationships'][number];
export type Lineage = z.output<typeof s.lineageResponse>;
export type LineageNode = Lineage['nodes'][number];
export type History = z.output<typeof s.historyResponse>;
export type Impact = z.output<typeof s.impactResponse>;
export type Usage = z.output<typeof s.usageResponse>;
export type Paths = z.output<typeof s.pathsResponse>;
export type SearchResult = z.output<typeof s.searchResponse>;
export type OwnersResult = z.output<typeof s.ownersResponse>;
export type ColumnLineage = z.output<typeof s.columnLineageResponse>;
export type Status = z.output<typeof s.statusResponse>;
export type SourceQuality = z.output<typeof s.sourceQualityResponse>;

export interface PortalConfig {
  readonly temporalUi: string;
  readonly namespace: string;
  readonly openReads: boolean;
  /** People sign in with the organization's identity provider (`/auth/sign-in`). */
  readonly signIn: boolean;
}

/** Who is signed in with the identity provider, as the server's session says. */
export interface SessionInfo {
  readonly signedIn: boolean;
  readonly subject: string | null;
  readonly scopes: readonly string[];
}

const TOKEN_KEY = 'mlg-token';

/** The read token lives in this tab's session storage: never in a URL, gone when the tab closes. */
export const token = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (value: string): void => sessionStorage.setItem(TOKEN_KEY, value),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type Params = Record<string, string | number | readonly string[] | null | undefined>;

export function query(params: Params): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) for (const v of value as readonly string[]) search.append(key, v);
    else search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** GET a JSON answer; a problem answer becomes an ApiError with its detail. */
export async function getJson<T>(path: string, params: Params = {}, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const bearer = token.get();
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const response = await fetch(`${path}${query(params)}`, { headers, ...(signal ? { signal } : {}) });
  const body = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const detail = (body as { detail?: unknown } | null)?.detail;
    throw new ApiError(response.status, typeof detail === 'string' ? detail : `${response.status} ${response.statusText}`);
  }
  return body as T;
}
