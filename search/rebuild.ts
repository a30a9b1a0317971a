import type { Db } from '../store/database';
import { databaseNow, entityCount, entityUriPage, urisTouchedSince } from '../store/entity-reader';
import { BulkWriter } from './bulk-writer';
import type { SearchClient } from './client';
import { documentsOf } from './documents';
import { createGeneration, indexNames, switchGeneration } from './indices';
import { writeDocuments } from './write';

const PAGE = 1000;
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
  // A pipeline of two: the next page's documents are built from PostgreSQL while the current page is
  // written to Elasticsearch, so each server works while the other does.
  const build = async (after: string) => {
    const uris = await entityUriPage(db, after, PAGE);
    return uris.length === 0 ? null : { uris, docs: await documentsOf(db, uris) };
  };
  for (let next = build(''); ;) {
    const page = await next;
    if (!page) break;
    next = build(page.uris.at(-1) ?? '');
    // The new indices hold nothing to delete.
    await writeDocuments(writer, fresh, { ...page.docs, deleted: [] }).catch(async (error: unknown) => {
      await next.catch(() => undefined);
      throw error;
    });
    done += page.uris.length;
    onProgress({ total: Math.max(total, done), done });
  }
  await switchGeneration(client, prefix, fresh);
  const changed = await urisTouchedSince(db, since);
  for (let i = 0; i < changed.length; i += PAGE) {
    await writeDocuments(writer, indexNames(prefix), await documentsOf(db, changed.slice(i, i + PAGE)));
  }
  return { entities: done, caughtUp: changed.length, seconds: (performance.now() - started) / 1000 };
}
