import { AppError } from '../platform/errors';
import type { Db } from '../store/database';
import { entityExists } from '../store/graph-reader';

/** The answer to a question about an entity the graph did not know (then): a 404 naming the parameter. */
export const unknownEntity = (uri: string, asOf: Date | null, parameter: string): AppError =>
  new AppError('NOT_FOUND', asOf ? `no entity ${uri} was known at ${asOf.toISOString()}` : `no entity ${uri}`, {
    details: { parameter },
  });

/** Every question starts here: an entity unknown at `asOf` (or now) is a 404, not an empty answer. */
export async function requireKnown(db: Db, uri: string, asOf: Date | null, parameter = 'nativeId'): Promise<void> {
  if (!(await entityExists(db, uri, asOf))) throw unknownEntity(uri, asOf, parameter);
}
