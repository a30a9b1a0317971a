import type { Db } from '../store/database';
import { entityCount, entityRowPage, oldestOpenWriteTime, urisTouchedSince } from '../store/entity-reader';
import { BulkWriter } from './bulk-writer';
import type { SearchClient } from './client';
import { documentsOf, documentsOfRows } from './documents';
import { createGeneration, indexNames, switchGeneration } from './indices';
import { writeDocuments } from './write';

const PAGE = 1000;
const WRITES_IN_FLIGHT = 2;

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
  // A write committed after the rebuild read its page is caught up at the end: it is touched after this.
  const since = await oldestOpenWriteTime(db);
  const total = await entityCount(db);
  const fresh = await createGeneration(client, prefix, Date.now().toString(36));
  const writer = new BulkWriter(client);
  let done = 0;
  onProgress({ total, done });
  // A pipeline: the next page's documents are built from PostgreSQL while earlier pages are written
  // to Elasticsearch (two requests in flight), so each server works while the other does.
  const build = async (after: string) => {
    const rows = await entityRowPage(db, after, PAGE);
    return rows.length === 0 ? null : { after: rows.at(-1)?.uri ?? after, count: rows.length, docs: await documentsOfRows(db, rows) };
  };
  const writing = new Set<Promise<void>>();
  const failures: unknown[] = [];
  for (let page = await build(''); page && failures.length === 0;) {
    const next = build(page.after);
    const { count, docs } = page;
    // The new indices hold nothing to delete.
    const write: Promise<void> = writeDocuments(writer, fresh, { ...docs, deleted: [] }).then(
      () => {
        done += count;
        onProgress({ total: Math.max(total, done), done });
      },
      (error: unknown) => void failures.push(error),
    );
    writing.add(write);
    void write.finally(() => writing.delete(write));
    if (writing.size >= WRITES_IN_FLIGHT) await Promise.race(writing);
    page = await next;
  }
  await Promise.all(writing);
  if (failures.length > 0) throw failures[0];
  await switchGeneration(client, prefix, fresh);
  const changed = await urisTouchedSince(db, since);
  for (let i = 0; i < changed.length; i += PAGE) {
    await writeDocuments(writer, indexNames(prefix), await documentsOf(db, changed.slice(i, i + PAGE)));
  }
  return { entities: done, caughtUp: changed.length, seconds: (performance.now() - started) / 1000 };
}
