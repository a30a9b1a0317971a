import { AppError } from '../platform/errors';
import type { BulkAction, BulkWriter } from './bulk-writer';
import type { DocumentsOf } from './documents';
import type { IndexNames } from './indices';

/**
 * Upserts documents under their stable ids (the entity URI), so re-indexing overwrites instead of
 * duplicating, and deletes the documents of deleted entities, through the process's shared bulk
 * writer. Any failed action fails the whole call: the activity is retried, and a document is never
 * silently dropped.
 */
export async function writeDocuments(writer: BulkWriter, names: IndexNames, docs: DocumentsOf): Promise<number> {
  const actions: BulkAction[] = [
    ...docs.entities.map((doc) => ({ index: { _index: names.entities, _id: doc.uri }, doc })),
    ...docs.owners.map((doc) => ({ index: { _index: names.owners, _id: doc.uri }, doc })),
    ...docs.deleted.flatMap((uri) => [{ delete: { _index: names.entities, _id: uri } }, { delete: { _index: names.owners, _id: uri } }]),
  ];
  const failures = (await writer.write(actions)).filter((failure) => failure !== null);
  if (failures.length > 0)
    throw new AppError('INDEX_WRITE_FAILED', `${failures.length} search documents failed: ${failures.slice(0, 5).join('; ')}`);
  return docs.entities.length + docs.owners.length + docs.deleted.length;
}
