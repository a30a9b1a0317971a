import { AppError } from '../platform/errors';
import type { SearchClient } from './client';
import type { DocumentsOf } from './documents';
import type { IndexNames } from './indices';

/**
 * Upserts documents under their stable ids (the entity URI), so re-indexing overwrites instead of
 * duplicating, and deletes the documents of deleted entities. Any failed item fails the whole call:
 * the activity is retried, and a document is never silently dropped.
 */
export async function writeDocuments(client: SearchClient, names: IndexNames, docs: DocumentsOf): Promise<number> {
  const operations: object[] = [];
  for (const doc of docs.entities) operations.push({ index: { _index: names.entities, _id: doc.uri } }, doc);
  for (const doc of docs.owners) operations.push({ index: { _index: names.owners, _id: doc.uri } }, doc);
  for (const uri of docs.deleted)
    operations.push({ delete: { _index: names.entities, _id: uri } }, { delete: { _index: names.owners, _id: uri } });
  if (operations.length === 0) return 0;
  // Short waits: a write runs inside an entity workflow's local activity (4 s in all), and while the
  // cluster recovers a bulk would otherwise wait a minute for its shards; failing fast lets the
  // workflow retry on a timer instead.
  const response = await client.bulk({ operations, timeout: '2s' }, { requestTimeout: 3_500, maxRetries: 0 });
  if (response.errors) {
    const failures = response.items
      .map((item) => Object.values(item)[0])
      .filter((result) => result?.error && !(result.status === 404 && result.result === 'not_found'))
      .map((result) => `${result?._id}: ${result?.error?.reason ?? result?.error?.type}`);
    if (failures.length > 0)
      throw new AppError('INDEX_WRITE_FAILED', `${failures.length} search documents failed: ${failures.slice(0, 5).join('; ')}`);
  }
  return docs.entities.length + docs.owners.length + docs.deleted.length;
}
