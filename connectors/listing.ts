import { z } from 'zod';
import type { EntityType, SourceName } from '../domain/vocabulary';
import { AppError } from '../platform/errors';
import { connectorFor } from './index';
import type { ListingProtocol } from './connector';
import type { SourceClient } from './source-client';

/** One page of a source's listing: the same payloads its hydration endpoint serves, and where to go on. */
export interface ListingPage {
  readonly items: readonly unknown[];
  readonly nextPageToken: string | null;
  /** When the source answered (ms). */
  readonly fetchedAt: number;
}

export interface ListingRequest {
  readonly limit: number;
  readonly pageToken: string | null;
  /** Only entities created or changed at or after this time (deletions show only in a full listing). */
  readonly updatedSince: Date | null;
}

const pageSchema = z.object({ items: z.array(z.unknown()), next_page_token: z.string().min(1).nullable() });

/** The reference contract's listing: `?limit=&page_token=&updated_since=`, answered `{items, next_page_token}`. */
export const REFERENCE_LISTING: ListingProtocol = {
  query: (request) => ({
    limit: String(request.limit),
    ...(request.pageToken ? { page_token: request.pageToken } : {}),
    ...(request.updatedSince ? { updated_since: request.updatedSince.toISOString() } : {}),
  }),
  read: (payload) => {
    const page = pageSchema.safeParse(payload);
    return page.success ? { items: page.data.items, nextPageToken: page.data.next_page_token } : null;
  },
};

const protocolOf = (source: SourceName): ListingProtocol => connectorFor(source).listing ?? REFERENCE_LISTING;

/** The entity types of a source that it can list, with their listing paths; empty when it can list none. */
export function listableTypes(source: SourceName): { type: EntityType; path: string }[] {
  return Object.entries(connectorFor(source).entities).flatMap(([type, declaration]) =>
    declaration && 'list' in declaration && declaration.list ? [{ type: type as EntityType, path: declaration.list }] : [],
  );
}

/** The path of one listing page, query included. */
export function listingPath(path: string, request: ListingRequest, protocol: ListingProtocol = REFERENCE_LISTING): string {
  return `${path}?${new URLSearchParams(protocol.query(request)).toString()}`;
}

/**
 * Fetches one page of a listing through the source's client (so under its rate gate, with its error
 * mapping). A source that answers 404 to its listing path does not list after all: SOURCE_REJECTED.
 */
export async function fetchListingPage(
  client: SourceClient,
  source: SourceName,
  path: string,
  request: ListingRequest,
): Promise<ListingPage> {
  const protocol = protocolOf(source);
  const outcome = await client.get(listingPath(path, request, protocol));
  if (outcome.status === 'gone') throw new AppError('SOURCE_REJECTED', `${client.source} does not serve a listing at ${path}`);
  const page = protocol.read(outcome.payload);
  if (!page) throw new AppError('SOURCE_PAYLOAD_INVALID', `${client.source} answered ${path} with a page that breaks its listing protocol`);
  return { items: page.items, nextPageToken: page.nextPageToken, fetchedAt: outcome.fetchedAt };
}
