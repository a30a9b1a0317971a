import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Json } from '../../domain/entity';
import { canonicalJson, unstorableText } from '../../domain/facts';

/** The event types of a RunEvent; a run event without one is treated as OTHER. */
export const RUN_EVENT_TYPES = ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER'] as const;
export type RunEventType = (typeof RUN_EVENT_TYPES)[number];

export type Facets = Readonly<Record<string, Json>>;

export interface OlDataset {
  readonly namespace: string;
  readonly name: string;
  readonly facets: Facets;
  /** inputFacets or outputFacets: about this run's read or write of it. */
  readonly ioFacets: Facets;
}

export interface OlJob {
  readonly namespace: string;
  readonly name: string;
  readonly facets: Facets;
}

interface EventBase {
  /** The event time, UTC, with nine fractional digits: sortable as text, as precise as the producer sent it. */
  readonly eventTime: string;
  readonly producer: string | null;
  /** A digest of the event's canonical JSON: the same event sent twice has the same hash. */
  readonly hash: string;
}

export type OpenLineageEvent =
  | (EventBase & {
      readonly kind: 'run';
      readonly eventType: RunEventType;
      readonly runId: string;
      readonly runFacets: Facets;
      readonly job: OlJob;
      readonly inputs: readonly OlDataset[];
      readonly outputs: readonly OlDataset[];
    })
  | (EventBase & {
      readonly kind: 'job';
      readonly job: OlJob;
      readonly inputs: readonly OlDataset[];
      readonly outputs: readonly OlDataset[];
    })
  | (EventBase & { readonly kind: 'dataset'; readonly dataset: OlDataset });

export type OpenLineageVerdict =
  { readonly ok: true; readonly event: OpenLineageEvent } | { readonly ok: false; readonly field: string; readonly reason: string };

/** An event time as producers send it (digits as [0-9], for generators other than JavaScript's). */
const TIME = /^([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}:[0-9]{2})(?::([0-9]{2}))?(?:[.,]([0-9]+))?\s*(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?$/i;

const MAX_NAME = 2000;
// The patterns and enumerations in meta are for documents (the canonical forms); validation is as lenient as parseOpenLineageEvent says.
const text = z.string().trim().min(1).max(MAX_NAME).meta({ pattern: '\\S' });
const facets = z.record(z.string(), z.unknown()).nullish();
const job = z.looseObject({ namespace: text, name: text, facets });
const dataset = z.looseObject({ namespace: text, name: text, facets, inputFacets: facets, outputFacets: facets });
const datasets = z.array(dataset).nullish();
/** The same, as documents show it: only real months, days, hours and minutes, since the time must also parse. */
const DOCUMENTED_TIME =
  '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?([.,][0-9]{1,9})?(Z|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)?$';
const envelope = z.looseObject({
  eventTime: z.string().max(64).trim().regex(TIME).meta({ pattern: DOCUMENTED_TIME }),
  producer: z.string().nullish(),
});
const runEvent = envelope.extend({
  eventType: z
    .string()
    .meta({ enum: [...RUN_EVENT_TYPES] })
    .nullish(),
  run: z.looseObject({ runId: text, facets }),
  job,
  inputs: datasets,
  outputs: datasets,
});
const jobEvent = envelope.extend({ job, inputs: datasets, outputs: datasets });
const datasetEvent = envelope.extend({ dataset });
/**
 * A RunEvent, JobEvent or DatasetEvent as one schema, for documents that show producers what is
 * accepted (the API's OpenAPI document); parseOpenLineageEvent is what validates, with its reasons.
 */
export const openLineageEventShape = z.union([runEvent, jobEvent, datasetEvent]);

/**
 * An event time as sortable UTC text with nine fractional digits. Lenient on what producers send: no
 * time zone (taken as UTC), micro- or nanoseconds, a space for the `T`; null when it is not a time.
 */
export function normalizeEventTime(value: string): string | null {
  const m = TIME.exec(value.trim());
  if (!m) return null;
  const [, date, hm, seconds = '00', fraction = '', zone = 'Z'] = m as unknown as [string, string, string, string?, string?, string?];
  const offset =
    zone.toUpperCase() === 'Z'
      ? 'Z'
      : zone.length === 3
        ? `${zone}:00`
        : zone.includes(':')
          ? zone
          : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${date}T${hm}:${seconds}${offset}`);
  if (Number.isNaN(ms)) return null;
  const whole = new Date(ms).toISOString().slice(0, 19);
  return `${whole}.${fraction.slice(0, 9).padEnd(9, '0')}Z`;
}

/** The millisecond ISO time of a normalized event time. */
export const isoOfEventTime = (eventTime: string): string => `${eventTime.slice(0, 23)}Z`;

const facetsOf = (value: Record<string, unknown> | null | undefined): Facets => (value ?? {}) as Facets;
const datasetOf = (d: z.infer<typeof dataset>, io: 'inputFacets' | 'outputFacets'): OlDataset => ({
  namespace: d.namespace,
  name: d.name,
  facets: facetsOf(d.facets),
  ioFacets: facetsOf(d[io]),
});

function firstIssue(error: z.ZodError, prefix = ''): { field: string; reason: string } {
  const issue = error.issues[0];
  const field = prefix + (issue?.path.join('.') ?? '');
  return { field: field || 'body', reason: `${field || 'the event'}: ${issue?.message ?? 'invalid'}` };
}

/**
 * Validates one OpenLineage event: a RunEvent (it has a run), a DatasetEvent (a dataset) or a
 * JobEvent (a job and no run). Lenient on what real producers send (no time zone, nanoseconds, a
 * runId that is not a UUID, no schemaURL, unknown facets and fields); strict on what makes an event
 * meaningless: no eventTime, no job, no run id, no dataset name. A rejection names the field.
 */
export function parseOpenLineageEvent(raw: unknown): OpenLineageVerdict {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, field: 'body', reason: 'an OpenLineage event must be a JSON object' };
  const unstorable = unstorableText(raw, '');
  if (unstorable !== null) {
    const field = unstorable.slice(1) || 'body';
    return { ok: false, field, reason: `${field}: holds the NUL character or half of a surrogate pair, which cannot be stored` };
  }
  const body = raw as Record<string, unknown>;
  if (typeof body.eventTime !== 'string') return { ok: false, field: 'eventTime', reason: 'eventTime is missing or not a string' };
  const eventTime = normalizeEventTime(body.eventTime);
  if (!eventTime) return { ok: false, field: 'eventTime', reason: `eventTime '${body.eventTime.slice(0, 64)}' is not an ISO-8601 time` };
  const base = {
    eventTime,
    hash: createHash('sha256')
      .update(canonicalJson(raw as Json))
      .digest('base64url'),
  };
  if ('run' in body && body.run !== undefined) {
    const parsed = runEvent.safeParse(raw);
    if (!parsed.success) return { ok: false, ...firstIssue(parsed.error) };
    const e = parsed.data;
    const eventType = (e.eventType ?? 'OTHER').toUpperCase();
    if (!(RUN_EVENT_TYPES as readonly string[]).includes(eventType))
      return { ok: false, field: 'eventType', reason: `eventType '${eventType}' is not one of ${RUN_EVENT_TYPES.join(', ')}` };
    return {
      ok: true,
      event: {
        ...base,
        kind: 'run',
        producer: e.producer ?? null,
        eventType: eventType as RunEventType,
        runId: e.run.runId,
        runFacets: facetsOf(e.run.facets),
        job: { namespace: e.job.namespace, name: e.job.name, facets: facetsOf(e.job.facets) },
        inputs: (e.inputs ?? []).map((d) => datasetOf(d, 'inputFacets')),
        outputs: (e.outputs ?? []).map((d) => datasetOf(d, 'outputFacets')),
      },
    };
  }
  if ('dataset' in body && body.dataset !== undefined) {
    const parsed = datasetEvent.safeParse(raw);
    if (!parsed.success) return { ok: false, ...firstIssue(parsed.error) };
    return {
      ok: true,
      event: { ...base, kind: 'dataset', producer: parsed.data.producer ?? null, dataset: datasetOf(parsed.data.dataset, 'outputFacets') },
    };
  }
  if (!('job' in body))
    return { ok: false, field: 'job', reason: 'an event needs a job (a RunEvent or JobEvent) or a dataset (a DatasetEvent)' };
  const parsed = jobEvent.safeParse(raw);
  if (!parsed.success) return { ok: false, ...firstIssue(parsed.error) };
  const e = parsed.data;
  return {
    ok: true,
    event: {
      ...base,
      kind: 'job',
      producer: e.producer ?? null,
      job: { namespace: e.job.namespace, name: e.job.name, facets: facetsOf(e.job.facets) },
      inputs: (e.inputs ?? []).map((d) => datasetOf(d, 'inputFacets')),
      outputs: (e.outputs ?? []).map((d) => datasetOf(d, 'outputFacets')),
    },
  };
}
