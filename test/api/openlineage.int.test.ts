import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { createApp } from '../../api/app';
import { listen } from '../../api/server';
import { createProducer, readTopic } from '../../bus/kafka';
import { createLogger } from '../../platform/logger';
import { DEAD_LETTER_HEADERS } from '../../intake/event-handler';
import { startHarness, type Harness } from '../support/harness';
import { waitFor, waitForQuiet } from '../support/wait';

const WRITE = 'mlg-demo-write-token';
const READ = 'mlg-demo-read-token';
const SHARED = path.resolve(import.meta.dirname, '../../../shared/openlineage');

const jsonFiles = (dir: string): { file: string; event: unknown }[] =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: f, event: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as unknown }));
const scenario = (name: string) => jsonFiles(path.join(SHARED, 'scenarios', name, 'events'));
const edgeCases = () => jsonFiles(path.join(SHARED, 'edge-cases'));

/** A seeded shuffle, so that a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Dataplex's name of an OpenLineage dataset (expected-links use them), or null for other platforms. */
function dataplexName(namespace: string, name: string): string | null {
  if (namespace === 'bigquery') return `bigquery:${name}`;
  if (namespace === 'file') return `filesystem:localhost.\`${name.replace(/^\//, '')}\``;
  const gcs = /^gs:\/\/([^/]+)$/.exec(namespace);
  return gcs ? `gcs:${gcs[1]}.\`${name}\`` : null;
}

describe('OpenLineage intake', () => {
  let h: Harness;
  let base: string;
  // A no-op until the server is up, so that a failed `before` still closes the harness.
  let close: () => Promise<void> = () => Promise.resolve();

  const post = async (url: string, body: unknown, opts: { token?: string | null; gzip?: boolean } = {}) => {
    const text = JSON.stringify(body);
    const token = opts.token === undefined ? WRITE : opts.token;
    const response = await fetch(`${base}${url}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(opts.gzip ? { 'content-encoding': 'gzip' } : {}),
      },
      body: opts.gzip ? gzipSync(text) : text,
    });
    const answer = await response.text();
    return { status: response.status, body: answer ? JSON.parse(answer) : null };
  };
  const get = async (url: string) => {
    const response = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${READ}` } });
    return { status: response.status, body: (await response.json()) as any };
  };
  const sendAll = async (events: readonly unknown[]): Promise<void> => {
    // Half one by one, half in batches: both doors lead to the same place.
    const half = Math.ceil(events.length / 2);
    for (const event of events.slice(0, half)) assert.equal((await post('/api/v1/lineage', event)).status, 201);
    for (let i = half; i < events.length; i += 7) {
      const { status, body } = await post('/api/v1/lineage/batch', events.slice(i, i + 7));
      assert.equal(status, 200);
      assert.equal(body.status, 'success', JSON.stringify(body));
    }
  };
  /** Waits until every OpenLineage workflow is done and the graph has stopped changing. */
  const settle = async (): Promise<void> => {
    const client = h.services.temporal.client;
    await waitFor('OpenLineage workflows to finish', async () => {
      const { count } = await client.workflow.count(`WorkflowId STARTS_WITH "openlineage:" AND ExecutionStatus = "Running"`);
      return count === 0;
    });
    await waitForQuiet(
      'the graph',
      async () => {
        const { rows } = await sql<{
          n: string;
        }>`select (select count(*) from tx) || '/' || (select count(*) from openlineage_records) as n`.execute(h.services.db);
        return rows[0]?.n ?? '';
      },
      { quietMs: 1500 },
    );
  };
  /** Everything the graph holds about OpenLineage entities: states, attributes, edges, column lineage. */
  const snapshot = async () => {
    const db = h.services.db;
    const entities = await db
      .selectFrom('entities')
      .select(['uri', 'type', 'name', 'description', 'state', 'attributes', 'tags'])
      .where('source', '=', 'openlineage')
      .orderBy('uri')
      .execute();
    const edges = await db
      .selectFrom('current_edges')
      .select(['subject', 'predicate', 'object', 'origin'])
      .where('subject', 'like', 'mlg://%/openlineage/%')
      .orderBy('subject')
      .orderBy('predicate')
      .orderBy('object')
      .execute();
    const columns = await db
      .selectFrom('column_edges')
      .selectAll()
      .orderBy('output_uri')
      .orderBy('output_field')
      .orderBy('input_uri')
      .orderBy('input_field')
      .execute();
    return { entities, edges, columns };
  };
  const allEvents = () => [
    ...scenario('airflow'),
    ...scenario('simple_run_event'),
    ...scenario('spark_dataproc_bigquery_shakespare'),
    ...edgeCases(),
  ];

  before(async () => {
    h = await startHarness({ seed: 3, size: 20, env: { MLG_OPENLINEAGE_TOPIC: `ol-${Date.now()}` } });
    const server = await listen(createApp({ services: h.services, logger: createLogger({ logLevel: 'silent' }) }), '127.0.0.1', 0);
    base = `http://127.0.0.1:${server.port}`;
    close = () => server.close();
  });
  after(async () => {
    await close();
    await h.close();
  });

  let first: Awaited<ReturnType<typeof snapshot>>;

  it('when every shared scenario and edge case is posted, then each is accepted and becomes runs, jobs, datasets and their edges', async () => {
    const events = allEvents();
    await sendAll(events.map((e) => e.event));
    await settle();
    first = await snapshot();
    const byUri = new Map(first.entities.map((e) => [e.uri, e]));
    const edges = new Set(first.edges.map((e) => `${e.subject} ${e.predicate} ${e.object}`));

    // simple_run_event: a runId that is not a UUID is kept within its job.
    const simpleRun = 'mlg://pipeline-run/openlineage/job_namespace%2Fjob_name%2Frun_id';
    assert.equal(byUri.get(simpleRun)?.attributes.state, 'SUCCEEDED');
    assert.ok(edges.has(`${simpleRun} run_of mlg://pipeline/openlineage/job_namespace%2Fjob_name`));
    assert.ok(edges.has(`${simpleRun} reads mlg://dataset/openlineage/bigquery%2Ftest.table.input`));
    assert.ok(edges.has(`${simpleRun} writes mlg://dataset/openlineage/bigquery%2Ftest.table.output`));

    // airflow: DAG runs and task runs, each task run part of its DAG run, task jobs part of their DAG.
    const airflow = scenario('airflow').map((e) => e.event as { run: { runId: string; facets?: { parent?: unknown } } });
    const airflowRuns = first.entities.filter((e) => e.type === 'pipeline-run' && e.attributes.jobNamespace === 'airflow');
    assert.equal(airflowRuns.length, new Set(airflow.map((e) => e.run.runId)).size);
    const partOf = first.edges.filter((e) => e.predicate === 'part_of' && airflowRuns.some((r) => r.uri === e.subject));
    assert.equal(partOf.length, new Set(airflow.filter((e) => e.run.facets?.parent).map((e) => e.run.runId)).size);
    assert.ok(partOf.length > 0);
    for (const e of partOf) assert.equal(byUri.get(e.object)?.type, 'pipeline-run');
    assert.ok(edges.has('mlg://pipeline/openlineage/airflow%2FBQ.copy part_of mlg://pipeline/openlineage/airflow%2FBQ'));
    assert.deepEqual(byUri.get('mlg://pipeline/openlineage/airflow%2FBQ.copy')?.attributes.jobType, {
      integration: 'AIRFLOW',
      jobType: 'TASK',
      processingType: 'BATCH',
    });
    for (const run of airflowRuns)
      assert.ok(['SUCCEEDED', 'FAILED'].includes(run.attributes.state as string), `${run.uri}: ${JSON.stringify(run.attributes.state)}`);

    // spark: the application run and its two child runs; partial inputs of RUNNING events accumulate.
    const sparkRuns = first.entities.filter((e) => e.type === 'pipeline-run' && e.attributes.jobNamespace === 'default');
    assert.ok(sparkRuns.length >= 3, `spark runs: ${sparkRuns.map((r) => r.name).join(', ')}`);
    assert.ok(first.edges.some((e) => sparkRuns.some((r) => r.uri === e.subject) && e.predicate === 'part_of'));

    // edge cases: a DatasetEvent and a JobEvent, unicode, naming with s3 namespaces.
    assert.ok(
      byUri.has('mlg://dataset/openlineage/my-dataset-namespace%2Fmy-dataset-name') ||
        first.entities.some((e) => e.name === 'my-dataset-name'),
    );
    assert.ok(
      edges.has(
        'mlg://pipeline/openlineage/my-scheduler-namespace%2Fmyjob reads mlg://dataset/openlineage/my-datasource-namespace%2Finstance.schema.input-1',
      ),
    );
    assert.ok(first.entities.some((e) => e.name === 'myjob.buggy_task🕷'));
    assert.ok(byUri.has('mlg://dataset/openlineage/s3%3A%2F%2Fblob-source%2Finstance.schema.table'));

    // Every distinct event was stored once.
    const stored = await h.services.db
      .selectFrom('openlineage_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(stored.n), new Set(events.map((e) => JSON.stringify(e.event))).size);
  });

  it('when the graph is read, then the dataset pairs its runs imply match the expected links of airflow and simple_run_event', async () => {
    const byUri = new Map(first.entities.map((e) => [e.uri, e]));
    const name = (uri: string): string | null => {
      const a = byUri.get(uri)?.attributes;
      return a ? dataplexName(a.namespace as string, a.name as string) : null;
    };
    for (const [scenarioName, namespaces] of [
      ['airflow', ['airflow']],
      ['simple_run_event', ['job_namespace']],
    ] as const) {
      const runs = first.entities.filter(
        (e) => e.type === 'pipeline-run' && (namespaces as readonly string[]).includes(e.attributes.jobNamespace as string),
      );
      const pairs = new Set<string>();
      for (const run of runs) {
        const reads = first.edges.filter((e) => e.subject === run.uri && e.predicate === 'reads').map((e) => name(e.object));
        const writes = first.edges.filter((e) => e.subject === run.uri && e.predicate === 'writes').map((e) => name(e.object));
        for (const r of reads) for (const w of writes) if (r && w && r !== w) pairs.add(`${r} -> ${w}`);
      }
      const links = JSON.parse(fs.readFileSync(path.join(SHARED, 'expected-links', scenarioName, 'links.json'), 'utf8')) as {
        source: { fully_qualified_name: string };
        target: { fully_qualified_name: string };
      }[];
      const expected = new Set(links.map((l) => `${l.source.fully_qualified_name} -> ${l.target.fully_qualified_name}`));
      assert.deepEqual([...pairs].sort(), [...expected].sort(), scenarioName);
    }
  });

  it('when a column is asked for, then its upstream and downstream columns come with their transformations', async () => {
    const output = '/v1/entities/dataset/openlineage/bigquery%2Fmock-project.test.upload_cp/column-lineage';
    const up = await get(`${output}?field=a&direction=upstream&depth=1`);
    assert.equal(up.status, 200, JSON.stringify(up.body));
    assert.deepEqual(
      up.body.columns.map((c: any) => [c.dataset, c.field, c.distance]),
      [['mlg://dataset/openlineage/bigquery%2Fmock-project.test.upload', 'a', 1]],
    );
    // Two steps up: the files the upload was loaded from.
    const further = await get(`${output}?field=a&direction=upstream&depth=5`);
    assert.deepEqual(
      further.body.columns.map((c: any) => [c.dataset, c.field, c.distance]),
      [
        ['mlg://dataset/openlineage/bigquery%2Fmock-project.test.upload', 'a', 1],
        ['mlg://dataset/openlineage/gs%3A%2F%2Fmock-bucket%2Fcopied.csv', 'a', 2],
        ['mlg://dataset/openlineage/gs%3A%2F%2Fmock-bucket%2Ftest.csv', 'a', 2],
      ],
    );
    assert.deepEqual(up.body.steps[0].transformations, [{ type: 'DIRECT', subtype: 'IDENTITY', description: 'identical', masking: null }]);
    const down = await get(
      '/v1/entities/dataset/openlineage/bigquery%2Fmock-project.test.upload/column-lineage?field=b&direction=downstream',
    );
    assert.equal(down.status, 200);
    assert.ok(
      down.body.columns.some((c: any) => c.dataset.endsWith('upload_cp') && c.field === 'b'),
      JSON.stringify(down.body),
    );
    const bad = await get(`${output}?direction=sideways`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.parameter, 'direction');
  });

  it('when every event is sent again, then nothing is written', async () => {
    const before = await h.services.db
      .selectFrom('tx')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    await sendAll(allEvents().map((e) => e.event));
    await settle();
    const after = await h.services.db
      .selectFrom('tx')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(after.n, before.n);
    assert.deepEqual(await snapshot(), first);
  });

  it('when the scenarios are replayed shuffled and every event twice into an empty graph, then the graph is the same', async () => {
    await h.reset();
    const events = allEvents().map((e) => e.event);
    await sendAll(shuffled([...events, ...events], 17));
    await settle();
    assert.deepEqual(await snapshot(), first);
  });

  it('when an event is malformed, then a 400 names the field; a batch lists it and takes the rest; no token is a 401, a read token a 403', async () => {
    const [good] = scenario('simple_run_event');
    const noTime = { ...(good?.event as object), eventTime: undefined };
    const noJob = { eventTime: '2024-01-01T00:00:00Z', run: { runId: 'x' } };
    const one = await post('/api/v1/lineage', noTime);
    assert.equal(one.status, 400);
    assert.equal(one.body.parameter, 'eventTime');
    assert.equal((await post('/api/v1/lineage', noJob)).body.parameter, 'job');
    const batch = await post('/api/v1/lineage/batch', [good?.event, noJob]);
    assert.equal(batch.status, 200);
    assert.equal(batch.body.status, 'partial_success');
    assert.deepEqual(batch.body.summary, { received: 2, successful: 1, failed: 1, retriable: 0, non_retriable: 1 });
    assert.equal(batch.body.failed_events[0].index, 1);
    assert.equal((await post('/api/v1/lineage', good?.event, { token: null })).status, 401);
    assert.equal((await post('/api/v1/lineage', good?.event, { token: READ })).status, 403);
  });

  it('when a dataset is dropped, then it is deleted whatever order the events came in, and a later CREATE brings it back', async () => {
    const change = (eventTime: string, lifecycleStateChange: string) => ({
      eventTime,
      producer: 'test',
      dataset: { namespace: 'postgres://db:5432', name: 'shop.public.tmp', facets: { lifecycleStateChange: { lifecycleStateChange } } },
    });
    const uri = 'mlg://dataset/openlineage/postgres%3A%2F%2Fdb%3A5432%2Fshop.public.tmp';
    const state = async () => (await h.services.db.selectFrom('entities').select('state').where('uri', '=', uri).executeTakeFirst())?.state;
    // The DROP (later in event time) arrives first, the CREATE it follows second.
    assert.equal((await post('/api/v1/lineage', change('2026-02-02T00:00:00Z', 'DROP'))).status, 201);
    assert.equal((await post('/api/v1/lineage', change('2026-02-01T00:00:00Z', 'CREATE'))).status, 201);
    await settle();
    assert.equal(await state(), 'deleted');
    assert.equal(
      (await get(`/v1/entities/dataset/openlineage/${encodeURIComponent('postgres://db:5432/shop.public.tmp')}`)).body.state,
      'deleted',
    );
    assert.equal((await post('/api/v1/lineage', change('2026-02-03T00:00:00Z', 'CREATE'))).status, 201);
    await settle();
    assert.equal(await state(), 'hydrated');
  });

  it('when a run is asked for as of a time between its START and its COMPLETE, then it was running then; its history has both', async () => {
    const runId = '0f1e2d3c-4b5a-4678-9abc-def012345678';
    const event = (eventType: string, eventTime: string) => ({
      eventType,
      eventTime,
      run: { runId },
      job: { namespace: 'asof-test', name: 'nightly' },
    });
    const path = `/v1/entities/pipeline-run/openlineage/${runId}`;
    assert.equal((await post('/api/v1/lineage', event('START', '2026-03-01T00:00:00Z'))).status, 201);
    await settle();
    const between = new Date().toISOString();
    assert.equal((await post('/api/v1/lineage', event('COMPLETE', '2026-03-01T01:00:00Z'))).status, 201);
    await settle();
    assert.equal((await get(path)).body.attributes.state, 'SUCCEEDED');
    assert.equal((await get(`${path}?asOf=${between}`)).body.attributes.state, 'RUNNING');
    const history = await get(`${path}/history`);
    const states = history.body.entries
      .filter((e: any) => e.kind === 'fact' && e.attribute === 'attributes.state' && e.op === 'assert')
      .map((e: any) => e.value);
    assert.deepEqual(states, ['RUNNING', 'SUCCEEDED'], JSON.stringify(history.body).slice(0, 500));
  });

  it('when an event is gzipped, then it is accepted like any other', async () => {
    const event = {
      eventType: 'COMPLETE',
      eventTime: '2026-01-01T00:00:00Z',
      run: { runId: '6a7d7b54-2e0e-4d63-9d71-3c1c7f0d1f11' },
      job: { namespace: 'gzip-test', name: 'compressed' },
      producer: 'test',
    };
    assert.equal((await post('/api/v1/lineage', event, { gzip: true })).status, 201);
    await waitFor('the gzipped run', async () => {
      const row = await h.services.db
        .selectFrom('entities')
        .select('uri')
        .where('uri', '=', 'mlg://pipeline-run/openlineage/6a7d7b54-2e0e-4d63-9d71-3c1c7f0d1f11')
        .executeTakeFirst();
      return row !== undefined;
    });
  });

  it('when events come over Kafka, then a good one joins the graph and a bad one goes to the dead-letter topic with its reason', async () => {
    const { kafka } = h.services.config;
    const producer = createProducer(kafka, 'ol-test');
    const event = {
      eventType: 'START',
      eventTime: '2026-01-02T00:00:00Z',
      run: { runId: 'b5b0c0e4-7d8c-4a8e-9d1e-2f5f3e0a1b22' },
      job: { namespace: 'kafka-test', name: 'streamed' },
    };
    try {
      await producer.send({
        messages: [
          { topic: kafka.openLineageTopic, key: 'a', value: JSON.stringify(event) },
          {
            topic: kafka.openLineageTopic,
            key: 'b',
            value: JSON.stringify({ eventType: 'START', run: { runId: 'r' }, job: { namespace: 'n', name: 'j' } }),
          },
        ],
      });
    } finally {
      await producer.close();
    }
    await waitFor('the streamed run', async () => {
      const row = await h.services.db
        .selectFrom('entities')
        .select('state')
        .where('uri', '=', 'mlg://pipeline-run/openlineage/b5b0c0e4-7d8c-4a8e-9d1e-2f5f3e0a1b22')
        .executeTakeFirst();
      return row !== undefined;
    });
    await waitFor('the dead letter', async () => {
      const { messages } = await readTopic(kafka, kafka.deadLetterTopic);
      return messages.some(
        (m) =>
          m.headers[DEAD_LETTER_HEADERS.topic] === kafka.openLineageTopic && /eventTime/.test(m.headers[DEAD_LETTER_HEADERS.reason] ?? ''),
      );
    });
  });
});
