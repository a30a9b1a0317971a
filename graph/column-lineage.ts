import type { Db } from '../store/database';
import { walkColumns } from '../store/openlineage';
import { requireKnown } from './known';
import type { ColumnLineageAnswer, ColumnRef } from './answers';

/**
 * The column steps from a column (or all of a dataset's), at most `nodeCap` of them; `truncated` when
 * there were more. The one truncation rule of column lineage and column impact.
 */
export async function walkColumnsCapped(
  db: Db,
  opts: { uri: string; field: string | null; direction: 'upstream' | 'downstream'; depth: number; nodeCap: number },
) {
  const walked = await walkColumns(db, { ...opts, limit: opts.nodeCap + 1 });
  return { steps: walked.slice(0, opts.nodeCap), truncated: walked.length > opts.nodeCap };
}

/**
 * Column lineage from one column of a dataset (or from all of its columns): upstream, the input
 * columns it comes from, step by step; downstream, the columns that come from it. Each step carries
 * its transformations (DIRECT or INDIRECT, and subtype), as the OpenLineage producer described them.
 */
export async function columnLineageOf(
  db: Db,
  uri: string,
  opts: { field: string | null; direction: 'upstream' | 'downstream'; depth: number; nodeCap: number },
): Promise<ColumnLineageAnswer> {
  await requireKnown(db, uri, null);
  const walked = await walkColumnsCapped(db, { uri, ...opts });
  const truncated = walked.truncated;
  const up = opts.direction === 'upstream';
  const steps = walked.steps.map((s) => {
    const output = { dataset: s.outputUri, field: s.outputField };
    const input = { dataset: s.inputUri, field: s.inputField };
    return { from: up ? output : input, to: up ? input : output, transformations: s.transformations, distance: s.distance };
  });
  const columns = new Map<string, ColumnRef & { distance: number }>();
  for (const s of steps) {
    const key = `${s.to.dataset}\t${s.to.field}`;
    if (!columns.has(key)) columns.set(key, { ...s.to, distance: s.distance });
  }
  return {
    root: { dataset: uri, field: opts.field },
    direction: opts.direction,
    depth: opts.depth,
    columns: [...columns.values()],
    steps,
    truncated,
  };
}
