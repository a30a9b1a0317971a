import { BulkWriter } from '../search/bulk-writer';
import type { SearchClient } from '../search/client';
import { documentsOf } from '../search/documents';
import type { IndexNames } from '../search/indices';
import { writeDocuments } from '../search/write';
import type { Db } from '../store/database';

export interface IndexEntitiesInput {
  readonly uris: readonly string[];
}

/** Re-indexes entities from the projection: upserts their documents, removes deleted ones. */
export function createIndexEntities(deps: { db: Db; search: SearchClient; indexNames: IndexNames }) {
  // One writer per worker: the refreshes running side by side share their _bulk requests.
  const writer = new BulkWriter(deps.search);
  return async function indexEntities({ uris }: IndexEntitiesInput): Promise<{ written: number }> {
    let written = 0;
    for (let i = 0; i < uris.length; i += 500) {
      written += await writeDocuments(writer, deps.indexNames, await documentsOf(deps.db, uris.slice(i, i + 500)));
    }
    return { written };
  };
}

/**
 * Indexes what a write touched, and hands back what could not be indexed (Elasticsearch away) for
 * the workflow to index later: the write is done, and its documents are not lost.
 */
export async function indexOrHandBack(
  indexEntities: (input: IndexEntitiesInput) => Promise<unknown>,
  uris: readonly string[],
): Promise<readonly string[]> {
  if (uris.length === 0) return [];
  try {
    await indexEntities({ uris });
    return [];
  } catch {
    return uris;
  }
}
