import type { DeclaredEdge, Json, Normalized, NormalizedEntity, Pointer, Tag } from '../../domain/entity';
import { OPENLINEAGE, type Predicate } from '../../domain/vocabulary';
import { isoOfEventTime } from './event';
import { columnLineageOfFacet } from './column-lineage';
import { parentOf, type OlRecord, type OlRef, type OlType } from './records';

/** An OpenLineage entity as its accumulated records describe it; `dropped`: its last lifecycle change was a DROP. */
export interface OlState {
  readonly normalized: Normalized;
  readonly dropped: boolean;
}

type Obj = Readonly<Record<string, Json>>;
const obj = (value: Json | null | undefined): Obj | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
const str = (value: Json | null | undefined): string | null => (typeof value === 'string' && value !== '' ? value : null);
const list = (value: Json | null | undefined): Json[] => (Array.isArray(value) ? value : []);
/** A facet without the spec's bookkeeping fields. */
const bare = (facet: Json | null | undefined): Obj | null => {
  const o = obj(facet);
  if (!o) return null;
  return Object.fromEntries(Object.entries(o).filter(([key]) => key !== '_producer' && key !== '_schemaURL'));
};

const ol = (ref: OlRef): Pointer => ({ type: ref.type, nativeId: ref.nativeId, source: OPENLINEAGE });
const EMAIL = /^(?:user:)?([^\s@:]+@[^\s@]+\.[^\s@]+)$/i;

/** The facets whose content becomes typed attributes, edges or tags; every other facet is kept as it came. */
const MAPPED = new Set([
  'documentation',
  'ownership',
  'tags',
  'schema',
  'columnLineage',
  'symlinks',
  'lifecycleStateChange',
  'parent',
  'nominalTime',
  'errorMessage',
  'jobType',
  'sql',
  'sourceCodeLocation',
]);

interface Reader {
  readonly value: (key: string) => Json | null | undefined;
  readonly record: (key: string) => OlRecord | undefined;
  readonly withPrefix: (prefix: string) => [string, Json][];
}

function readerOf(records: ReadonlyMap<string, OlRecord>): Reader {
  return {
    value: (key) => records.get(key)?.value,
    record: (key) => records.get(key),
    withPrefix: (prefix) =>
      [...records.values()]
        .filter((r) => r.key.startsWith(prefix))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .flatMap((r): [string, Json][] => (r.value === null ? [] : [[r.key.slice(prefix.length), r.value]])),
  };
}

function tagsOf(r: Reader): Tag[] {
  return list(obj(r.value('facet:tags'))?.tags)
    .flatMap((t) => {
      const tag = obj(t);
      const key = str(tag?.key);
      return key ? [{ tag: key, value: str(tag?.value) ?? '' }] : [];
    })
    .sort((a, b) => (a.tag === b.tag ? (a.value < b.value ? -1 : 1) : a.tag < b.tag ? -1 : 1));
}

/** Owners named by email become `owned_by` edges (resolved through identity); every owner stays an attribute. */
function ownersOf(r: Reader, subject: Pointer): { owners: Json; edges: DeclaredEdge[] } {
  const owners = list(obj(r.value('facet:ownership'))?.owners).flatMap((o) => {
    const name = str(obj(o)?.name);
    return name ? [{ name, type: str(obj(o)?.type) }] : [];
  });
  const emails = [...new Set(owners.flatMap((o) => EMAIL.exec(o.name)?.[1]?.toLowerCase() ?? []))].sort();
  return { owners, edges: emails.map((email) => ({ subject, predicate: 'owned_by', object: { type: 'user', email } })) };
}

/** The facets not mapped elsewhere, under their names; input and output facets apart. */
function keptFacets(r: Reader): Record<string, Json> {
  const facets: Record<string, Json> = Object.fromEntries(r.withPrefix('facet:').filter(([name]) => !MAPPED.has(name)));
  const kept: Record<string, Json> = Object.keys(facets).length > 0 ? { facets } : {};
  for (const io of ['input', 'output'] as const) {
    const entries = r.withPrefix(`${io}:`);
    if (entries.length > 0) kept[`${io}Facets`] = Object.fromEntries(entries);
  }
  return kept;
}

const dropNulls = (attributes: Record<string, Json | null | undefined>): Record<string, Json> =>
  Object.fromEntries(Object.entries(attributes).filter((entry): entry is [string, Json] => entry[1] !== null && entry[1] !== undefined));

const edgesOf = (subject: Pointer, r: Reader, prefix: string, predicate: Predicate, type: OlType): DeclaredEdge[] =>
  r.withPrefix(prefix).map(([nativeId]) => ({ subject, predicate, object: ol({ type, nativeId }) }));

function entity(
  ref: OlRef,
  fields: { name: string; description: string | null; tags: Tag[]; attributes: Record<string, Json | null | undefined> },
): NormalizedEntity {
  return {
    type: ref.type,
    source: OPENLINEAGE,
    nativeId: ref.nativeId,
    lookupKey: ref.nativeId,
    name: fields.name,
    description: fields.description,
    tags: fields.tags,
    attributes: dropNulls(fields.attributes),
  };
}

function schemaOf(facet: Json | null | undefined): Json | null {
  const fields = obj(facet)?.fields;
  if (!Array.isArray(fields)) return null;
  const field = (f: Json): Json => {
    const o = obj(f) ?? {};
    return dropNulls({
      name: str(o.name) ?? '',
      type: str(o.type),
      description: str(o.description),
      fields: Array.isArray(o.fields) && o.fields.length > 0 ? o.fields.map(field) : null,
    });
  };
  return fields.map(field);
}

function datasetState(ref: OlRef, r: Reader): OlState {
  const identity = obj(r.value('identity')) ?? {};
  const subject = ol(ref);
  const { owners, edges } = ownersOf(r, subject);
  const lifecycle = str(obj(r.value('facet:lifecycleStateChange'))?.lifecycleStateChange);
  const symlinks = list(obj(r.value('facet:symlinks'))?.identifiers).flatMap((s) => {
    const o = obj(s);
    return str(o?.namespace) && str(o?.name) ? [dropNulls({ namespace: o?.namespace, name: o?.name, type: str(o?.type) })] : [];
  });
  const normalized: Normalized = {
    primary: entity(ref, {
      name: str(identity.name) ?? ref.nativeId,
      description: str(obj(r.value('facet:documentation'))?.description),
      tags: tagsOf(r),
      attributes: {
        namespace: identity.namespace,
        name: identity.name,
        physicalName: ref.nativeId,
        schema: schemaOf(r.value('facet:schema')),
        columnLineage: columnLineageOfFacet(r.value('facet:columnLineage')),
        aliases: symlinks.length > 0 ? symlinks : null,
        lifecycleStateChange: lifecycle,
        owners: (owners as Json[]).length > 0 ? owners : null,
        firstSeenAt: r.value('firstSeen'),
        producer: r.value('producer'),
        ...keptFacets(r),
      },
    }),
    dependents: [],
    edges,
  };
  return { normalized, dropped: lifecycle === 'DROP' };
}

function jobState(ref: OlRef, r: Reader): OlState {
  const identity = obj(r.value('identity')) ?? {};
  const subject = ol(ref);
  const { owners, edges } = ownersOf(r, subject);
  const parent = str(r.value('parent'));
  const location = bare(r.value('facet:sourceCodeLocation'));
  const normalized: Normalized = {
    primary: entity(ref, {
      name: str(identity.name) ?? ref.nativeId,
      description: str(obj(r.value('facet:documentation'))?.description),
      tags: tagsOf(r),
      attributes: {
        namespace: identity.namespace,
        name: identity.name,
        jobType: bare(r.value('facet:jobType')),
        sql: str(obj(r.value('facet:sql'))?.query),
        sourceCodeLocation: location,
        sourceCodeLanguage: str(obj(r.value('facet:sourceCode'))?.language),
        owners: (owners as Json[]).length > 0 ? owners : null,
        firstSeenAt: r.value('firstSeen'),
        producer: r.value('producer'),
        ...keptFacets(r),
      },
    }),
    dependents: [],
    edges: [
      ...(parent ? [{ subject, predicate: 'part_of' as const, object: ol({ type: 'pipeline', nativeId: parent }) }] : []),
      ...edgesOf(subject, r, 'reads:', 'reads', 'dataset'),
      ...edgesOf(subject, r, 'writes:', 'writes', 'dataset'),
      ...edges,
    ],
  };
  return { normalized, dropped: false };
}

function runState(ref: OlRef, r: Reader): OlState {
  const identity = obj(r.value('identity')) ?? {};
  const job = obj(identity.job) ?? {};
  const subject = ol(ref);
  const state = r.record('state');
  const stateValue = obj(state?.value);
  const terminal = stateValue?.terminal === true;
  const nominal = obj(r.value('facet:nominalTime'));
  const error = obj(r.value('facet:errorMessage'));
  const parent = parentOf(r.value('facet:parent'));
  const runId = str(identity.runId) ?? ref.nativeId;
  const jobId = str(job.nativeId);
  const normalized: Normalized = {
    primary: entity(ref, {
      name: `${str(job.name) ?? 'run'} ${runId}`,
      description: null,
      tags: tagsOf(r),
      attributes: {
        runId,
        jobNamespace: job.namespace,
        jobName: job.name,
        state: str(stateValue?.state),
        startedAt: r.value('started') ?? r.value('firstSeen'),
        endedAt: terminal && state ? isoOfEventTime(state.eventTime) : null,
        nominalStartTime: str(nominal?.nominalStartTime),
        nominalEndTime: str(nominal?.nominalEndTime),
        errorMessage: str(error?.message),
        errorDetails: error ? bare(error) : null,
        lastEventType: r.value('lastEventType'),
        firstSeenAt: r.value('firstSeen'),
        producer: r.value('producer'),
        ...keptFacets(r),
      },
    }),
    dependents: [],
    edges: [
      ...(jobId ? [{ subject, predicate: 'run_of' as const, object: ol({ type: 'pipeline', nativeId: jobId }) }] : []),
      ...(parent?.run ? [{ subject, predicate: 'part_of' as const, object: ol(parent.run) }] : []),
      ...edgesOf(subject, r, 'reads:', 'reads', 'dataset'),
      ...edgesOf(subject, r, 'writes:', 'writes', 'dataset'),
    ],
  };
  return { normalized, dropped: false };
}

/** An OpenLineage entity's state from its accumulated records: the same records always give the same state. */
export function olStateOf(ref: OlRef, records: ReadonlyMap<string, OlRecord>): OlState {
  const r = readerOf(records);
  if (ref.type === 'dataset') return datasetState(ref, r);
  if (ref.type === 'pipeline') return jobState(ref, r);
  return runState(ref, r);
}
