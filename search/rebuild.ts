import type { Db } from '../store/database';
import { databaseNow, entityCount, entityUriPage, urisTouchedSince } from '../store/entity-reader';
import { BulkWriter } from './bulk-writer';
import type { SearchClient } from './client';
import { documentsOf } from './documents';
import { createGeneration, indexNames, switchGeneration } from './indices';
import { writeDocuments } from './write';

const PAGE = 500;
const PARALLEL_PAGES = 4;
/** Writes committed around the rebuild's start may carry an earlier time: they are caught up too. */
const CATCH_UP_MARGIN_MS = 5 * 60_000;

export interface RebuildProgress {
  readonly total: number;
  readonly done: number;
}

/**
 * Rebuilds the search indices from PostgreSQL into a new generation while searches keep answering
 * from the current one, then switches the aliases in one step and writes again whatever changed
 * meanwhile (those writes went to the old generation). Resolves with how many entities it indexed.
 */
export async function rebuildIndices(
  db: Db,
  client: SearchClient,
  prefix: string,
  onProgress: (progress: RebuildProgress) => void = () => undefined,
): Promise<{ entities: number; caughtUp: number; seconds: number }> {
  const started = performance.now();
  const since = new Date((await databaseNow(db)).getTime() - CATCH_UP_MARGIN_MS);
  const total = await entityCount(db);
  const fresh = await createGeneration(client, prefix, Date.now().toString(36));
  const writer = new BulkWriter(client);
  let done = 0;
  onProgress({ total, done });
  // Pages are read and written several at a time: building documents waits on PostgreSQL, writing
  // them on Elasticsearch, and side by side each waits less.
  for (let after = ''; ;) {
    const pages: string[][] = [];
    for (let i = 0; i < PARALLEL_PAGES; i++) {
      const uris = await entityUriPage(db, after, PAGE);
      if (uris.length === 0) break;
      pages.push(uris);
      after = uris.at(-1) ?? after;
    }
    if (pages.length === 0) break;
    await Promise.all(
      pages.map(async (uris) => {
        const docs = await documentsOf(db, uris);
        // The new indices hold nothing to delete.
        await writeDocuments(writer, fresh, { ...docs, deleted: [] });
        done += uris.length;
        onProgress({ total: Math.max(total, done), done });
      }),
    );
  }
  await switchGeneration(client, prefix, fresh);
  const changed = await urisTouchedSince(db, since);
  for (let i = 0; i < changed.length; i += PAGE) {
    await writeDocuments(writer, indexNames(prefix), await documentsOf(db, changed.slice(i, i + PAGE)));
  }
  return { entities: done, caughtUp: changed.length, seconds: (performance.now() - started) / 1000 };
}
