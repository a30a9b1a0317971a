import type { Json } from '../../domain/entity';
import { qualifiedName } from './naming';

/** One step of column lineage: an input column, and how the output column comes from it. */
export interface ColumnInput {
  readonly namespace: string;
  readonly name: string;
  /** The input dataset's native id (OpenLineage's `{namespace}/{name}`). */
  readonly dataset: string;
  readonly field: string;
  readonly transformations: readonly Transformation[];
}

export interface Transformation {
  readonly type: 'DIRECT' | 'INDIRECT';
  readonly subtype: string | null;
  readonly description: string | null;
  readonly masking: boolean | null;
}

/** Column lineage as it is kept on the output dataset: for each of its columns, the input columns. */
export interface ColumnLineage {
  readonly fields: Readonly<Record<string, readonly ColumnInput[]>>;
  /** Input columns that affect the whole dataset (the spec's dataset-level lineage: filters, joins). */
  readonly dataset: readonly ColumnInput[];
}

const INDIRECT = new Set(['FILTER', 'JOIN', 'GROUP_BY', 'SORT', 'WINDOW', 'CONDITIONAL']);

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function transformationOf(t: unknown): Transformation | null {
  const o = obj(t);
  const type = str(o?.type)?.toUpperCase();
  if (type !== 'DIRECT' && type !== 'INDIRECT') return null;
  return {
    type,
    subtype: str(o?.subtype)?.toUpperCase() ?? null,
    description: str(o?.description),
    masking: typeof o?.masking === 'boolean' ? o.masking : null,
  };
}

/** The older per-field form (`transformationType`, `transformationDescription`) as one transformation. */
function legacyTransformation(field: Obj): Transformation[] {
  const legacy = str(field.transformationType)?.toUpperCase();
  if (!legacy) return [];
  const subtype = legacy === 'TRANSFORMED' ? 'TRANSFORMATION' : legacy;
  return [
    { type: INDIRECT.has(subtype) ? 'INDIRECT' : 'DIRECT', subtype, description: str(field.transformationDescription), masking: null },
  ];
}

function inputsOf(value: unknown, legacy: Transformation[]): ColumnInput[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((input) => {
    const o = obj(input);
    const namespace = str(o?.namespace);
    const name = str(o?.name);
    const field = str(o?.field);
    if (!namespace || !name || !field) return [];
    const listed = Array.isArray(o?.transformations) ? o.transformations.flatMap((t) => transformationOf(t) ?? []) : [];
    return [{ namespace, name, dataset: qualifiedName(namespace, name), field, transformations: listed.length > 0 ? listed : legacy }];
  });
}

/**
 * The `columnLineage` facet normalized: both the current form (a `transformations` list on each input
 * field) and the older one (one `transformationType` per output field, IDENTITY and the like) give
 * DIRECT or INDIRECT transformations with their subtype. Null when there is no such facet.
 */
export function columnLineageOfFacet(facet: Json | null | undefined): (ColumnLineage & Json) | null {
  const f = obj(facet);
  const fields = obj(f?.fields);
  if (!f || !fields) return null;
  const out: Record<string, ColumnInput[]> = {};
  for (const name of Object.keys(fields).sort()) {
    const field = obj(fields[name]) ?? {};
    out[name] = inputsOf(field.inputFields, legacyTransformation(field));
  }
  return { fields: out, dataset: inputsOf(f.dataset, []) } as unknown as ColumnLineage & Json;
}
