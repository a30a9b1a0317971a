import { sql } from 'kysely';
import { createApp } from '../../api/app';
import { listen } from '../../api/server';
import { createLogger } from '../../platform/logger';
import { startHarness } from '../../test/support/harness';
import { waitFor } from '../../test/support/wait';
import { percentile, type BenchReport } from '../report';
import { noopWorkflowsPerSecond } from './noop-reference';

const WRITE = 'mlg-demo-write-token';
const BATCH = 200;
const DATASETS = 200;

/** A stable UUID-shaped run id. */
const runId = (i: number): string => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

/** Run i: a START reading two shared datasets, then a COMPLETE writing its own table with column lineage. */
function runEvents(i: number): [object, object] {
  const inputs = [`orders_${i % DATASETS}`, `customers_${(i * 7) % DATASETS}`].map((name) => ({
    namespace: 'postgres://shop-db:5432',
    name: `shop.public.${name}`,
    facets: {
      schema: {
        fields: [
          { name: 'id', type: 'bigint' },
          { name: 'amount', type: 'numeric' },
        ],
      },
    },
  }));
  const output = {
    namespace: 's3://lake',
    name: `daily/report_${i}`,
    facets: {
      schema: { fields: [{ name: 'total', type: 'numeric' }] },
      columnLineage: {
        fields: {
          total: { inputFields: [{ ...inputs[0], field: 'amount', transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION' }] }] },
        },
      },
    },
  };
  const base = { run: { runId: runId(i) }, job: { namespace: 'airflow://bench', name: `reports.build_${i % 50}` }, producer: 'bench' };
  const t = Date.UTC(2026, 0, 1) + i * 1000;
  return [
    { ...base, eventType: 'START', eventTime: new Date(t).toISOString(), inputs, outputs: [] },
    { ...base, eventType: 'COMPLETE', eventTime: new Date(t + 500).toISOString(), inputs, outputs: [output] },
  ];
}

/**
 * OpenLineage intake under load: runs of a START and a COMPLETE each (shared input datasets, an output
 * with column lineage) posted in batches to /api/v1/lineage/batch, measured until every run is
 * SUCCEEDED in the graph; beside it, the engine's no-op workflows per second in the same run (one
 * workflow per run is the intake's own cost floor).
 */
export async function openLineageScenario(opts: { size: number; command: string }): Promise<BenchReport> {
  const started = Date.now();
  const h = await startHarness({ seed: 7, size: 10 });
  const server = await listen(createApp({ services: h.services, logger: createLogger({ logLevel: 'silent' }) }), '127.0.0.1', 0);
  const base = `http://127.0.0.1:${server.port}`;
  try {
    const events = Array.from({ length: opts.size }, (_, i) => runEvents(i)).flat();
    const latencies: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < events.length; i += BATCH) {
      const t = performance.now();
      const response = await fetch(`${base}/api/v1/lineage/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${WRITE}` },
        body: JSON.stringify(events.slice(i, i + BATCH)),
      });
      if (!response.ok) throw new Error(`the batch at ${i} was answered ${response.status}: ${await response.text()}`);
      latencies.push(performance.now() - t);
    }
    const accepted = (performance.now() - t0) / 1000;
    const succeeded = async () =>
      Number(
        (
          await sql<{
            n: string;
          }>`select count(*) as n from entities where source = 'openlineage' and type = 'pipeline-run' and attributes ->> 'state' = 'SUCCEEDED'`.execute(
            h.services.db,
          )
        ).rows[0]?.n ?? 0,
      );
    await waitFor('every run to succeed', async () => (await succeeded()) >= opts.size, { timeoutMs: 1_800_000, intervalMs: 500 });
    const applied = (performance.now() - t0) / 1000;
    const noop = await noopWorkflowsPerSecond(h, Math.min(opts.size, 2000));
    const runsPerSecond = opts.size / applied;
    return {
      scenario: 'openlineage',
      command: opts.command,
      startedAt: new Date(started).toISOString(),
      durationSeconds: (Date.now() - started) / 1000,
      params: { runs: opts.size, events: events.length, batch: BATCH, sharedInputDatasets: DATASETS * 2 },
      figures: {
        acceptSeconds: accepted,
        appliedSeconds: applied,
        eventsAcceptedPerSecond: events.length / accepted,
        eventsAppliedPerSecond: events.length / applied,
        runsAppliedPerSecond: runsPerSecond,
        batchLatencyP50ms: percentile(latencies, 50),
        batchLatencyP99ms: percentile(latencies, 99),
        referenceNoopWorkflowsPerSecond: noop,
      },
      ratios: { runsPerSecondOverNoopWorkflows: runsPerSecond / noop },
      chart: {
        title: 'OpenLineage intake',
        unit: 'per second',
        bars: [
          { label: 'events accepted', value: events.length / accepted },
          { label: 'events applied', value: events.length / applied },
          { label: 'runs applied', value: runsPerSecond },
          { label: 'no-op workflows (reference)', value: noop },
        ],
      },
      notes: [
        `Each run is a START and a COMPLETE of one job (50 jobs in all), reading two of ${DATASETS * 2} shared datasets and writing its own table with column lineage; posted in batches of ${BATCH}.`,
        'Accepted: the events are stored and their run workflows signalled (the answer to the producer). Applied: every run is SUCCEEDED in the graph.',
        'The reference is one workflow that does nothing per run: each run costs one workflow here.',
      ],
    };
  } finally {
    await server.close();
    await h.close();
  }
}
