import type { Json } from '../domain/entity';
import type { Db } from '../store/database';
import { walkColumns } from '../store/openlineage';
import { requireKnown } from './known';

export interface ColumnRef {
  readonly dataset: string;
  readonly field: string;
}

export interface ColumnLineageAnswer {
  readonly root: { readonly dataset: string; readonly field: string | null };
  readonly direction: 'upstream' | 'downstream';
  readonly depth: number;
  /** The columns reached, nearest first, each once with its distance. */
  readonly columns: (ColumnRef & { readonly distance: number })[];
  /** Each step: from the column it was reached from to the column it reached, with the transformations. */
  readonly steps: { readonly from: ColumnRef; readonly to: ColumnRef; readonly transformations: Json; readonly distance: number }[];
  readonly truncated: boolean;
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
  const walked = await walkColumns(db, { uri, field: opts.field, direction: opts.direction, depth: opts.depth, limit: opts.nodeCap + 1 });
  const truncated = walked.length > opts.nodeCap;
  const up = opts.direction === 'upstream';
  const steps = walked.slice(0, opts.nodeCap).map((s) => {
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
