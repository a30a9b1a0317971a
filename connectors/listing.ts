import { z } from 'zod';
import type { EntityType, SourceName } from '../domain/vocabulary';
import { AppError } from '../platform/errors';
import { connectorFor } from './index';
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

/** The entity types of a source that it can list, with their listing paths; empty when it can list none. */
export function listableTypes(source: SourceName): { type: EntityType; path: string }[] {
  return Object.entries(connectorFor(source).entities).flatMap(([type, declaration]) =>
    declaration && 'list' in declaration && declaration.list ? [{ type: type as EntityType, path: declaration.list }] : [],
  );
}

/** The path of one listing page, query included. */
export function listingPath(path: string, request: ListingRequest): string {
  const query = new URLSearchParams({ limit: String(request.limit) });
  if (request.pageToken) query.set('page_token', request.pageToken);
  if (request.updatedSince) query.set('updated_since', request.updatedSince.toISOString());
  return `${path}?${query.toString()}`;
}

/**
 * Fetches one page of a listing through the source's client (so under its rate gate, with its error
 * mapping). A source that answers 404 to its listing path does not list after all: SOURCE_REJECTED.
 */
export async function fetchListingPage(client: SourceClient, path: string, request: ListingRequest): Promise<ListingPage> {
  const outcome = await client.get(listingPath(path, request));
  if (outcome.status === 'gone') throw new AppError('SOURCE_REJECTED', `${client.source} does not serve a listing at ${path}`);
  const page = pageSchema.safeParse(outcome.payload);
  if (!page.success) {
    throw new AppError(
      'SOURCE_PAYLOAD_INVALID',
      `${client.source} answered ${path} with a page that breaks the contract: ${page.error.issues[0]?.message ?? ''}`,
    );
  }
  return { items: page.data.items, nextPageToken: page.data.next_page_token, fetchedAt: outcome.fetchedAt };
}
