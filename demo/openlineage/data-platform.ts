import type { World } from '../world/world';
import { WORLD_EPOCH } from '../world/world';
import { SEED_EXAMPLE } from '../world/seed-example';
import type { DatasetRecord } from '../world/records';

/**
 * The demo's data platform: the jobs upstream of the ML platform, as OpenLineage producers report
 * them. For each of a few datasets that features derive from (the seed's member-viewing-history
 * first), a Spark application sessionizes raw playback events from Kafka into a raw table, and an
 * Airflow task of the `warehouse_daily` DAG builds the warehouse table from it, at the dataset's own
 * location: so the OpenLineage dataset and the datasets source's record are one physical table, and
 * lineage crosses from a Spark job's column into features, model instances and A/B tests.
 */
export const DATA_PLATFORM = Object.freeze({
  kafka: 'kafka://events-broker:9092',
  topic: 'playback_events',
  spark: 'spark://etl-cluster',
  airflow: 'airflow://scheduler',
  dag: 'warehouse_daily',
  raw: 's3://raw',
  producer: 'https://github.com/model-lifecycle-graph/demo/data-platform',
});

const P = DATA_PLATFORM;
const SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const facet = <T extends object>(body: T) => ({
  _producer: P.producer,
  _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/Facet.json',
  ...body,
});

/** A stable UUID-shaped id from text (the demo's runs keep their ids from one start to the next). */
function uuidOf(text: string): string {
  let h = 0x811c9dc5;
  const hex: string[] = [];
  for (let round = 0; hex.join('').length < 32; round++) {
    for (const ch of `${round}:${text}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    hex.push(h.toString(16).padStart(8, '0'));
  }
  const s = hex.join('').slice(0, 32);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-8${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

const table = (location: string): { namespace: string; name: string } | null => {
  const m = /^(s3:\/\/[^/]+)\/(.+)$/.exec(location);
  return m ? { namespace: m[1] as string, name: m[2] as string } : null;
};
const schemaFacet = (fields: readonly { name: string; type: string }[]) =>
  facet({ fields: fields.map((f) => ({ name: f.name, type: f.type })) });
const direct = (subtype: string, description: string) => [{ type: 'DIRECT', subtype, description, masking: false }];

/** The datasets the data platform builds: the seed's first, then those features derive from, by id. */
export function builtDatasets(world: World, count: number): DatasetRecord[] {
  const sources = new Set([...world.records.features.values()].flatMap((f) => f.source_dataset_ids));
  const ids = [SEED_EXAMPLE.datasetId, ...[...sources].filter((id) => id !== SEED_EXAMPLE.datasetId).sort()];
  return ids.flatMap((id) => world.records.datasets.get(id) ?? []).slice(0, count);
}

/** The OpenLineage events of one day of the data platform, in the order a producer would send them. */
export function dataPlatformEvents(world: World, opts: { datasets: number; day?: number }): object[] {
  const day = opts.day ?? 0;
  const at = (minutes: number): string => new Date(WORLD_EPOCH + day * 86_400_000 + minutes * 60_000).toISOString();
  const events: object[] = [];
  const dagRun = uuidOf(`${P.dag}:${day}`);
  const dagJob = { namespace: P.airflow, name: P.dag };
  events.push(
    runEvent('START', at(0), dagRun, dagJob, [], [], {
      jobType: facet({ processingType: 'BATCH', integration: 'AIRFLOW', jobType: 'DAG' }),
    }),
  );
  builtDatasets(world, opts.datasets).forEach((dataset, i) => {
    const target = table(dataset.location);
    if (!target) return;
    const rawName = `${target.name}_sessions`;
    const raw = { namespace: P.raw, name: rawName };
    const rawFields = [
      { name: 'account_id', type: 'long' },
      { name: 'title_id', type: 'long' },
      { name: 'event_time', type: 'timestamp' },
      { name: 'duration_ms', type: 'long' },
    ];
    const kafkaInput = { namespace: P.kafka, name: P.topic, facets: { schema: schemaFacet(rawFields) } };
    const rawColumns = Object.fromEntries(
      rawFields.map((f) => [
        f.name,
        { inputFields: [{ namespace: P.kafka, name: P.topic, field: f.name, transformations: direct('IDENTITY', 'copied') }] },
      ]),
    );
    const rawOutput = { ...raw, facets: { schema: schemaFacet(rawFields), columnLineage: facet({ fields: rawColumns }) } };

    // Spark: an application run and the child run of its one query, as Spark's listener reports them.
    const app = { namespace: P.spark, name: `sessionize_${target.name}` };
    const appRun = uuidOf(`${app.name}:${day}`);
    const query = { namespace: P.spark, name: `${app.name}.insert_into_${rawName}` };
    const queryRun = uuidOf(`${query.name}:${day}`);
    const sparkJob = { jobType: facet({ processingType: 'BATCH', integration: 'SPARK', jobType: 'APPLICATION' }) };
    const parentApp = { parent: facet({ run: { runId: appRun }, job: app }) };
    const t0 = 10 + i * 20;
    events.push(
      runEvent('START', at(t0), appRun, app, [], [], sparkJob, { processing_engine: facet({ name: 'spark', version: '3.5.1' }) }),
    );
    events.push(runEvent('START', at(t0 + 1), queryRun, query, [kafkaInput], [], sparkJob, parentApp));
    events.push(runEvent('COMPLETE', at(t0 + 5), queryRun, query, [kafkaInput], [rawOutput], sparkJob, parentApp));
    events.push(runEvent('COMPLETE', at(t0 + 6), appRun, app, [], [], sparkJob));

    // Airflow: the warehouse_daily task that builds the dataset from the raw sessions.
    const task = { namespace: P.airflow, name: `${P.dag}.build_${target.name}` };
    const taskRun = uuidOf(`${task.name}:${day}`);
    const fromRaw = (field: string, subtype: string, description: string) => ({
      inputFields: [{ ...raw, field, transformations: direct(subtype, description) }],
    });
    const columns: Record<string, object> = {};
    for (const f of dataset.schema) {
      if (f.name === 'member_id') columns[f.name] = fromRaw('account_id', 'IDENTITY', 'renamed');
      else if (f.name === 'title_id') columns[f.name] = fromRaw('title_id', 'IDENTITY', 'copied');
      else if (f.name === 'watched_at') columns[f.name] = fromRaw('event_time', 'TRANSFORMATION', 'truncated to the second');
      else columns[f.name] = fromRaw('duration_ms', 'AGGREGATION', 'summed per member');
    }
    const output = {
      ...target,
      facets: {
        schema: schemaFacet(dataset.schema),
        columnLineage: facet({ fields: columns }),
        documentation: facet({ description: dataset.description }),
        ownership: facet({ owners: dataset.owner_emails.map((email) => ({ name: `user:${email}`, type: 'MAINTAINER' })) }),
      },
    };
    const taskFacets = {
      jobType: facet({ processingType: 'BATCH', integration: 'AIRFLOW', jobType: 'TASK' }),
      sql: facet({ query: `INSERT OVERWRITE ${target.name} SELECT account_id AS member_id, ... FROM ${rawName}` }),
      ownership: facet({ owners: dataset.owner_emails.map((email) => ({ name: `user:${email}`, type: 'MAINTAINER' })) }),
    };
    const parentDag = { parent: facet({ run: { runId: dagRun }, job: dagJob }) };
    events.push(runEvent('START', at(t0 + 8), taskRun, task, [{ ...raw }], [], taskFacets, parentDag));
    events.push(
      runEvent(
        'COMPLETE',
        at(t0 + 12),
        taskRun,
        task,
        [{ ...raw, facets: { schema: schemaFacet(rawFields) } }],
        [output],
        taskFacets,
        parentDag,
      ),
    );
  });
  events.push(runEvent('COMPLETE', at(15 + opts.datasets * 20), dagRun, dagJob, [], []));
  return events;
}

function runEvent(
  eventType: string,
  eventTime: string,
  runId: string,
  job: { namespace: string; name: string },
  inputs: object[],
  outputs: object[],
  jobFacets: object = {},
  runFacets: object = {},
): object {
  return {
    eventType,
    eventTime,
    run: { runId, facets: runFacets },
    job: { ...job, facets: jobFacets },
    inputs,
    outputs,
    producer: P.producer,
    schemaURL: SCHEMA_URL,
  };
}

/** Sends the data platform's events to the service's OpenLineage endpoint, as its producers would. */
export async function sendDataPlatformEvents(api: string, token: string, events: readonly object[]): Promise<void> {
  const response = await fetch(`${api}/api/v1/lineage/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(events),
  });
  if (!response.ok) throw new Error(`the OpenLineage endpoint answered ${response.status}: ${await response.text()}`);
}
