import type { Json } from '../../domain/entity';
import type { Facets, OlDataset, OlJob, OpenLineageEvent, RunEventType } from './event';
import { isoOfEventTime } from './event';
import { qualifiedName, runNativeId } from './naming';

export type OlType = 'dataset' | 'pipeline' | 'pipeline-run';

export interface OlRef {
  readonly type: OlType;
  readonly nativeId: string;
}

/**
 * One thing an event said about one entity, under a key: a facet (`facet:schema`), a run's state, a
 * dataset it read (`reads:{dataset}`), ... Events of an entity accumulate as one record per key, the
 * winner by the key's rule (`mergeRecord`); a value of null is a facet retracted by `_deleted`.
 */
export interface OlRecord extends OlRef {
  readonly key: string;
  readonly eventTime: string;
  readonly eventHash: string;
  readonly value: Json | null;
}

export const RUN_STATE_OF: Readonly<Record<RunEventType, { state: string; terminal: boolean } | null>> = {
  START: { state: 'RUNNING', terminal: false },
  RUNNING: { state: 'RUNNING', terminal: false },
  COMPLETE: { state: 'SUCCEEDED', terminal: true },
  FAIL: { state: 'FAILED', terminal: true },
  ABORT: { state: 'ABORTED', terminal: true },
  OTHER: null,
};

const later = (a: OlRecord, b: OlRecord): boolean => (a.eventTime !== b.eventTime ? a.eventTime > b.eventTime : a.eventHash > b.eventHash);

/**
 * Which of two records of one key stands: a total order per key, so that any arrival order and any
 * number of repeats give the same winner. The earliest time wins for `firstSeen` and `started`; for a
 * run's `state` a terminal state beats any other and the first terminal one is final; otherwise the
 * latest event wins (ties broken by the event's hash).
 */
export function mergeRecord(current: OlRecord | undefined, incoming: OlRecord): OlRecord {
  if (!current) return incoming;
  if (incoming.key === 'firstSeen' || incoming.key === 'started') return later(current, incoming) ? incoming : current;
  if (incoming.key === 'state') {
    const terminal = (r: OlRecord): boolean => (r.value as { terminal?: boolean } | null)?.terminal === true;
    if (terminal(current) !== terminal(incoming)) return terminal(incoming) ? incoming : current;
    if (terminal(current)) return later(current, incoming) ? incoming : current;
  }
  return later(incoming, current) ? incoming : current;
}

const isDeleted = (facet: Json): boolean => typeof facet === 'object' && facet !== null && !Array.isArray(facet) && facet._deleted === true;

function facetRecords(prefix: string, facets: Facets): [string, Json | null][] {
  return Object.entries(facets).map(([name, facet]) => [`${prefix}${name}`, isDeleted(facet) ? null : facet]);
}

export const datasetRef = (d: { namespace: string; name: string }): OlRef => ({
  type: 'dataset',
  nativeId: qualifiedName(d.namespace, d.name),
});
export const jobRef = (j: { namespace: string; name: string }): OlRef => ({
  type: 'pipeline',
  nativeId: qualifiedName(j.namespace, j.name),
});

interface ParentFacet {
  readonly run?: { readonly runId?: string };
  readonly job?: { readonly namespace?: string; readonly name?: string };
}

/** The parent run and job a run's `parent` facet names, when it names them whole. */
export function parentOf(facet: Json | null | undefined): { run: OlRef | null; job: OlRef } | null {
  const parent = facet as ParentFacet | null | undefined;
  const job = parent?.job;
  if (typeof job?.namespace !== 'string' || typeof job.name !== 'string') return null;
  const named = { namespace: job.namespace, name: job.name };
  const runId = parent?.run?.runId;
  return {
    job: jobRef(named),
    run: typeof runId === 'string' && runId ? { type: 'pipeline-run', nativeId: runNativeId(runId, named) } : null,
  };
}

/** Everything one event says, as records of the entities it names. */
export function recordsOf(event: OpenLineageEvent): OlRecord[] {
  const records: OlRecord[] = [];
  const seen = isoOfEventTime(event.eventTime);
  const add = (ref: OlRef, entries: readonly [string, Json | null][]): void => {
    for (const [key, value] of entries) records.push({ ...ref, key, value, eventTime: event.eventTime, eventHash: event.hash });
  };
  const common = (identity: Json): [string, Json | null][] => [
    ['identity', identity],
    ['firstSeen', seen],
    ...(event.producer ? ([['producer', event.producer]] as [string, Json][]) : []),
  ];
  const addDataset = (d: OlDataset, io: 'input' | 'output'): OlRef => {
    const ref = datasetRef(d);
    add(ref, [
      ...common({ namespace: d.namespace, name: d.name }),
      ...facetRecords('facet:', d.facets),
      ...facetRecords(`${io}:`, d.ioFacets),
    ]);
    return ref;
  };
  const addJob = (job: OlJob, extra: [string, Json | null][]): OlRef => {
    const ref = jobRef(job);
    add(ref, [...common({ namespace: job.namespace, name: job.name }), ...facetRecords('facet:', job.facets), ...extra]);
    return ref;
  };
  const io = (inputs: readonly OlDataset[], outputs: readonly OlDataset[]): [string, Json][] => [
    ...inputs.map((d): [string, Json] => [`reads:${addDataset(d, 'input').nativeId}`, true]),
    ...outputs.map((d): [string, Json] => [`writes:${addDataset(d, 'output').nativeId}`, true]),
  ];

  if (event.kind === 'dataset') {
    add(datasetRef(event.dataset), [
      ...common({ namespace: event.dataset.namespace, name: event.dataset.name }),
      ...facetRecords('facet:', event.dataset.facets),
    ]);
    return records;
  }
  if (event.kind === 'job') {
    addJob(event.job, io(event.inputs, event.outputs));
    return records;
  }
  const parent = parentOf(event.runFacets.parent);
  const job = addJob(event.job, parent ? [['parent', parent.job.nativeId]] : []);
  const run: OlRef = { type: 'pipeline-run', nativeId: runNativeId(event.runId, event.job) };
  const state = RUN_STATE_OF[event.eventType];
  add(run, [
    ...common({ runId: event.runId, job: { namespace: event.job.namespace, name: event.job.name, nativeId: job.nativeId } }),
    ...(state ? ([['state', state]] as [string, Json][]) : []),
    ...(event.eventType === 'START' ? ([['started', seen]] as [string, Json][]) : []),
    ['lastEventType', event.eventType],
    ...facetRecords('facet:', event.runFacets),
    ...io(event.inputs, event.outputs),
  ]);
  return records;
}
