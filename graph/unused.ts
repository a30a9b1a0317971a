import { predicatesWithRole as withRole } from '../domain/vocabulary';
import type { Db } from '../store/database';
import { unusedRows } from '../store/unused-reader';
import type { UnusedEntity } from './answers';

/**
 * Deprecation candidates: live entities that nothing downstream uses (no lineage edge leads
 * downstream from them or from any of their members), created at least `minAgeDays` ago by their
 * source's own creation time where it has one, oldest first.
 */
export async function unusedEntities(
  db: Db,
  opts: { type: string | null; minAgeDays: number; limit: number; offset: number; asOf: Date | null },
): Promise<{ entities: UnusedEntity[] }> {
  const at = opts.asOf ?? new Date();
  const rows = await unusedRows(db, {
    downstream: withRole('object-downstream'),
    upstream: withRole('object-upstream'),
    containment: withRole('containment'),
    type: opts.type,
    cutoff: new Date(at.getTime() - opts.minAgeDays * 86_400_000),
    asOf: opts.asOf,
    limit: opts.limit,
    offset: opts.offset,
  });
  return { entities: rows.map((row) => ({ uri: row.uri, type: row.type, name: row.name, createdAt: row.born.toISOString() })) };
}
