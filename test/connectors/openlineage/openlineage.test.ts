import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { columnLineageOfFacet } from '../../../connectors/openlineage/column-lineage';
import { normalizeEventTime, parseOpenLineageEvent, type OpenLineageEvent } from '../../../connectors/openlineage/event';
import { parseQualifiedName, qualifiedName, runNativeId } from '../../../connectors/openlineage/naming';
import { olStateOf } from '../../../connectors/openlineage/normalize';
import { mergeRecord, recordsOf, type OlRecord } from '../../../connectors/openlineage/records';

const runEvent = (eventType: string, eventTime: string, extra: object = {}): unknown => ({
  eventType,
  eventTime,
  run: { runId: '3b2f7a7e-1d1c-4a47-9f0e-0d6f5b3c2a11' },
  job: { namespace: 'ns', name: 'job' },
  producer: 'test',
  ...extra,
});
const parsed = (raw: unknown): OpenLineageEvent => {
  const verdict = parseOpenLineageEvent(raw);
  assert.ok(verdict.ok, JSON.stringify(verdict));
  return verdict.event;
};
/** The state of each entity after the events arrive in this order. */
function statesAfter(events: readonly unknown[]): Map<string, unknown> {
  const merged = new Map<string, Map<string, OlRecord>>();
  for (const raw of events)
    for (const r of recordsOf(parsed(raw))) {
      const key = `${r.type}\t${r.nativeId}`;
      const records = merged.get(key) ?? new Map<string, OlRecord>();
      records.set(r.key, mergeRecord(records.get(r.key), r));
      merged.set(key, records);
    }
  return new Map(
    [...merged].map(([key, records]) => {
      const [type, nativeId] = key.split('\t') as [OlRecord['type'], string];
      return [key, olStateOf({ type, nativeId }, records)];
    }),
  );
}

describe('OpenLineage: events', () => {
  it('when event times come without a time zone, with nanoseconds or an offset, then they become sortable UTC text', () => {
    assert.equal(normalizeEventTime('2020-12-28T19:51:01.641499'), '2020-12-28T19:51:01.641499000Z');
    assert.equal(normalizeEventTime('2020-12-28T19:52:00.001+10:00'), '2020-12-28T09:52:00.001000000Z');
    assert.equal(normalizeEventTime('2020-12-28T19:51:01.123456789Z'), '2020-12-28T19:51:01.123456789Z');
    assert.equal(normalizeEventTime('2020-12-28 19:51:01+0200'), '2020-12-28T17:51:01.000000000Z');
    assert.equal(normalizeEventTime('yesterday'), null);
  });

  it('when an event lacks its time, its job or its run id, then it is refused naming the field', () => {
    const refused = (raw: unknown) => {
      const verdict = parseOpenLineageEvent(raw);
      assert.ok(!verdict.ok);
      return verdict.field;
    };
    assert.equal(refused({ eventType: 'START', run: { runId: 'r' }, job: { namespace: 'n', name: 'j' } }), 'eventTime');
    assert.equal(refused({ eventTime: '2020-01-01T00:00:00Z', run: { runId: 'r' } }), 'job');
    assert.equal(refused({ eventTime: '2020-01-01T00:00:00Z', run: {}, job: { namespace: 'n', name: 'j' } }), 'run.runId');
    assert.equal(
      refused({ eventTime: '2020-01-01T00:00:00Z', run: { runId: 'r' }, job: { namespace: 'n', name: 'j' }, eventType: 'DONE' }),
      'eventType',
    );
    assert.equal(refused([]), 'body');
  });

  it('when an event holds text PostgreSQL cannot store (NUL, half a surrogate pair), then it is refused naming where', () => {
    const event = { eventTime: '2020-01-01T00:00:00Z', run: { runId: 'r' }, job: { namespace: 'n', name: 'j' } };
    const refused = (raw: unknown) => {
      const verdict = parseOpenLineageEvent(raw);
      assert.ok(!verdict.ok);
      return verdict.field;
    };
    assert.equal(refused({ ...event, job: { namespace: 'n', name: 'j\u0000' } }), 'job.name');
    assert.equal(refused({ ...event, run: { runId: 'r', facets: { x: ['\udc00'] } } }), 'run.facets.x.0');
    assert.equal(refused({ ...event, 'a\u0000': 1 }), '"a\\u0000"');
    assert.ok(parseOpenLineageEvent({ ...event, job: { namespace: 'n', name: 'j \ud83d\ude00' } }).ok, 'a whole pair is fine');
  });

  it('when the same event comes with its keys in another order, then it has the same hash', () => {
    const a = parsed({ eventTime: '2020-01-01T00:00:00Z', eventType: 'START', run: { runId: 'r' }, job: { namespace: 'n', name: 'j' } });
    const b = parsed({ job: { name: 'j', namespace: 'n' }, run: { runId: 'r' }, eventType: 'START', eventTime: '2020-01-01T00:00:00Z' });
    assert.equal(a.hash, b.hash);
  });
});

describe('OpenLineage: naming', () => {
  it('when namespaces and names are joined, then the common ones read as the naming spec writes them', () => {
    assert.equal(qualifiedName('s3://bucket', 'path/to/key'), 's3://bucket/path/to/key');
    assert.equal(qualifiedName('postgres://db:5432', 'shop.public.orders'), 'postgres://db:5432/shop.public.orders');
    assert.equal(qualifiedName('bigquery', 'p.d.t'), 'bigquery/p.d.t');
    assert.equal(
      runNativeId('3B2F7A7E-1D1C-4A47-9F0E-0D6F5B3C2A11', { namespace: 'n', name: 'j' }),
      '3b2f7a7e-1d1c-4a47-9f0e-0d6f5b3c2a11',
    );
    assert.equal(runNativeId('run_id', { namespace: 'n', name: 'j' }), 'n/j/run_id');
  });

  it('when any two namespace and name pairs are joined, then different pairs never share an id, and each id parses back', () => {
    const part = fc.string({ unit: fc.constantFrom('a', '/', ':', '%', '2', 'F', 's', '3'), maxLength: 8 });
    fc.assert(
      fc.property(part, part, (namespace, name) => {
        assert.deepEqual(parseQualifiedName(qualifiedName(namespace, name)), { namespace, name });
      }),
      { numRuns: 2000 },
    );
    assert.notEqual(qualifiedName('s3:', '/bucket/key'), qualifiedName('s3://bucket', 'key'));
  });
});

describe('OpenLineage: accumulation', () => {
  const start = runEvent('START', '2024-01-01T00:00:00Z', { inputs: [{ namespace: 'db', name: 'a' }] });
  const running = runEvent('RUNNING', '2024-01-01T00:01:00Z', { inputs: [{ namespace: 'db', name: 'b' }] });
  const complete = runEvent('COMPLETE', '2024-01-01T00:02:00Z', { outputs: [{ namespace: 'db', name: 'c' }] });
  const lateFail = runEvent('FAIL', '2024-01-01T00:03:00Z');
  const run = 'pipeline-run\t3b2f7a7e-1d1c-4a47-9f0e-0d6f5b3c2a11';

  it('when a run ends, then a late START does not undo it, later terminal events do not change it, and its inputs accumulate', () => {
    const state = statesAfter([complete, lateFail, start, running]).get(run) as ReturnType<typeof olStateOf>;
    const a = state.normalized.primary.attributes;
    assert.equal(a.state, 'SUCCEEDED');
    assert.equal(a.startedAt, '2024-01-01T00:00:00.000Z');
    assert.equal(a.endedAt, '2024-01-01T00:02:00.000Z');
    assert.deepEqual(state.normalized.edges.map((e) => `${e.predicate} ${'nativeId' in e.object ? e.object.nativeId : ''}`).sort(), [
      'reads db/a',
      'reads db/b',
      'run_of ns/job',
      'writes db/c',
    ]);
  });

  it('when the same events arrive in any order, any number of times, then every entity ends in the same state', () => {
    const events = [
      start,
      running,
      complete,
      lateFail,
      runEvent('OTHER', '2024-01-01T00:01:30Z', {
        run: { runId: '3b2f7a7e-1d1c-4a47-9f0e-0d6f5b3c2a11', facets: { tags: { tags: [{ key: 'k', value: 'v' }] } } },
      }),
    ];
    const expected = statesAfter(events);
    const arrivals = fc
      .array(fc.constantFrom(...events), { maxLength: 8 })
      .chain((repeats) => fc.shuffledSubarray([...events, ...repeats], { minLength: events.length + repeats.length }));
    fc.assert(
      fc.property(arrivals, (order) => {
        assert.deepEqual(statesAfter(order), expected);
      }),
      { numRuns: 200 },
    );
  });

  it('when a facet is deleted by a later event, then it is gone; when a later event just omits it, then it stays', () => {
    const withDoc = runEvent('START', '2024-01-01T00:00:00Z', {
      job: { namespace: 'ns', name: 'job', facets: { documentation: { description: 'Builds orders.' } } },
    });
    const without = runEvent('RUNNING', '2024-01-01T00:01:00Z');
    const deleted = runEvent('COMPLETE', '2024-01-01T00:02:00Z', {
      job: { namespace: 'ns', name: 'job', facets: { documentation: { _deleted: true } } },
    });
    const job = (events: unknown[]) =>
      (statesAfter(events).get('pipeline\tns/job') as ReturnType<typeof olStateOf>).normalized.primary.description;
    assert.equal(job([withDoc, without]), 'Builds orders.');
    assert.equal(job([deleted, withDoc, without]), null);
  });

  it('when a dataset was dropped and created again, then the latest change in event time decides, whatever the arrival order', () => {
    const change = (t: string, lifecycleStateChange: string) => ({
      eventTime: t,
      dataset: { namespace: 'db', name: 't', facets: { lifecycleStateChange: { lifecycleStateChange } } },
    });
    const dropped = (events: unknown[]) => (statesAfter(events).get('dataset\tdb/t') as ReturnType<typeof olStateOf>).dropped;
    assert.equal(dropped([change('2024-01-02T00:00:00Z', 'DROP'), change('2024-01-01T00:00:00Z', 'CREATE')]), true);
    assert.equal(dropped([change('2024-01-03T00:00:00Z', 'CREATE'), change('2024-01-02T00:00:00Z', 'DROP')]), false);
  });
});

describe('OpenLineage: column lineage', () => {
  it('when the facet has the current form, then each input keeps its transformations', () => {
    const lineage = columnLineageOfFacet({
      fields: {
        total: {
          inputFields: [
            {
              namespace: 'db',
              name: 'orders',
              field: 'amount',
              transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION', masking: false }],
            },
          ],
        },
      },
      dataset: [{ namespace: 'db', name: 'orders', field: 'status', transformations: [{ type: 'INDIRECT', subtype: 'FILTER' }] }],
    });
    assert.deepEqual(lineage?.fields.total, [
      {
        namespace: 'db',
        name: 'orders',
        dataset: 'db/orders',
        field: 'amount',
        transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION', description: null, masking: false }],
      },
    ]);
    assert.equal(lineage?.dataset[0]?.transformations[0]?.type, 'INDIRECT');
  });

  it('when the facet has the older per-field form, then its transformationType becomes a DIRECT or INDIRECT transformation', () => {
    const lineage = columnLineageOfFacet({
      fields: {
        a: {
          inputFields: [{ namespace: 'db', name: 'src', field: 'a' }],
          transformationType: 'IDENTITY',
          transformationDescription: 'identical',
        },
        b: { inputFields: [{ namespace: 'db', name: 'src', field: 'b' }], transformationType: 'FILTER' },
      },
    });
    assert.deepEqual(lineage?.fields.a?.[0]?.transformations, [
      { type: 'DIRECT', subtype: 'IDENTITY', description: 'identical', masking: null },
    ]);
    assert.equal(lineage?.fields.b?.[0]?.transformations[0]?.type, 'INDIRECT');
  });
});
