import { groupMemberCount } from '../../bus/kafka';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { knobsSchema } from '../../demo/servers/knobs';
import { indexNames } from '../../search/indices';
import type { EntityWorkflowStatus } from '../../workflows/entity';
import { waitForConvergence, waitForPipelineQuiet } from '../../test/support/convergence';
import { startHarness, type Harness } from '../../test/support/harness';
import { startPipelineProcess, stopProcesses } from '../../test/support/processes';
import { waitFor } from '../../test/support/wait';
import { PROFILES } from '../../stack/profiles';
import { clusterShards } from '../../stack/temporal-cluster';
import { cpuMsPer, cpuSeconds } from '../cpu-usage';
import { percentile, type BenchReport } from '../report';
import { noopWorkflowsPerSecond } from './noop-reference';

const count = async (h: Harness, table: 'facts' | 'edges' | 'entities'): Promise<number> =>
  Number(
    (
      await h.services.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/**
 * How long until each emitted URI is searchable: polls every 50 ms while URIs are still being emitted
 * (`emitting` resolves when the last one is), so that each is timed from its own emission.
 */
async function freshness(h: Harness, since: Map<string, number>, emitting: Promise<void>, timeoutMs: number): Promise<number[]> {
  const index = indexNames(h.services.config.elasticsearch.indexPrefix).entities;
  const found = new Set<string>();
  const seen: number[] = [];
  let done = false;
  void emitting.then(() => (done = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const pending = [...since.keys()].filter((uri) => !found.has(uri));
    if (done && pending.length === 0) break;
    if (pending.length > 0) {
      const answer = await h.services.search.mget<{ uri: string }>({ index, ids: pending }).catch(() => ({ docs: [] }));
      for (const doc of answer.docs)
        if ('found' in doc && doc.found) {
          found.add(doc._id);
          seen.push(Date.now() - (since.get(doc._id) ?? Date.now()));
        }
    }
    await sleep(50);
  }
  return seen;
}

/** 30 new instances, one every 300 ms: how long until each is searchable, from its emission. */
async function newInstanceFreshness(h: Harness): Promise<number[]> {
  const emitted = new Map<string, number>();
  const emitting = (async () => {
    for (let i = 0; i < 30; i++) {
      const before = Date.now();
      const [mutation] = await h.demo.mutate(1, 'new_instance');
      for (const created of mutation?.created ?? [])
        if (created.collection === 'instances') emitted.set(`mlg://model-instance/registry/${created.id}`, before);
      await sleep(300);
    }
  })();
  return freshness(h, emitted, emitting, 120_000);
}

/**
 * A generated world streamed as thin events with 30% duplicates and reordering: throughput, hydration
 * calls per entity, freshness, history per update, and correctness, each beside a same-run reference.
 */
export async function ingestScenario(opts: {
  size: number;
  command: string;
  profile?: 'test' | 'cluster' | 'secure';
  processes?: number;
}): Promise<BenchReport> {
  const started = Date.now();
  const profile = opts.profile ?? 'test';
  const processes = opts.processes ?? 0;
  const knobs = knobsSchema.parse({ stream: { duplicateRate: 0.3, reorderWindow: 10 } });
  const h = await startHarness({
    seed: 101,
    size: opts.size,
    knobs,
    ratePerSecond: 5000,
    env: { MLG_DEBOUNCE_MS: '0' },
    inProcessPipeline: processes === 0,
  });
  const children = Array.from({ length: processes }, () => startPipelineProcess('both', h.env));
  const engine = PROFILES[profile].temporalEngine;
  try {
    if (children.length > 0) await waitForConsumers(h, children.length);
    const t0 = Date.now();
    const cpuAtStart = cpuSeconds();
    const events = await h.demo.announce();
    const distinct = new Set(events.map((e) => `${e.event_type}:${JSON.stringify(e)}`)).size;
    // Each comparison reads the whole graph, which would compete with ingestion: at most 5% of the time.
    await waitForConvergence(h, { timeoutMs: 3_600_000, maxShare: 0.05 });
    const converged = Date.now();
    await waitForPipelineQuiet(h, 3000);
    const cpuIngest = cpuSeconds();
    const entities = await count(h, 'entities');
    const rows = (await count(h, 'facts')) + (await count(h, 'edges'));
    const ingestSeconds = (converged - t0) / 1000;
    const served = Object.values(h.demo.counters.snapshot()).reduce((n, c) => n + (c?.served ?? 0), 0);

    // Steady state: new instances one at a time; how long until each is searchable. Idle first, then
    // under load: the world changing at half the throughput just measured, every change an event.
    const fresh = await newInstanceFreshness(h);
    const loadPerSecond = Math.max(1, Math.round(entities / ingestSeconds / 2));
    h.demo.startStream(loadPerSecond);
    await sleep(5_000);
    const freshUnderLoad = await newInstanceFreshness(h);
    await h.demo.stopStream();
    await waitForPipelineQuiet(h, 3000);

    // History per update, from a sample of entity workflows.
    let historyEvents = 0;
    let refreshes = 0;
    for await (const wf of h.services.temporal.client.workflow.list({
      query: `TaskQueue="${h.services.config.temporal.taskQueue}" AND WorkflowType="entityWorkflow"`,
      pageSize: 50,
    })) {
      historyEvents += wf.historyLength;
      const status = (await h.services.temporal.client.workflow
        .getHandle(wf.workflowId, wf.runId)
        .result()
        .catch(() => null)) as EntityWorkflowStatus | null;
      refreshes += status?.refreshes ?? 1;
      if (refreshes >= 60) break;
    }

    // References in the same run: the engine's own ceiling, raw PostgreSQL inserts, a raw _bulk.
    const noops = Math.min(2000, events.length);
    const cpuBeforeNoop = cpuSeconds();
    const noopPerSecond = await noopWorkflowsPerSecond(h, noops);
    const cpuNoop = cpuMsPer(cpuBeforeNoop, cpuSeconds(), noops);

    const tPg = Date.now();
    const rowValues = Array.from({ length: rows }, (_, i) => ({
      uri: `mlg://dataset/datasets/bench-${i}`,
      attribute: 'attributes.x',
      value: JSON.stringify({ i }),
    }));
    await h.services.db.transaction().execute(async (trx) => {
      await sql`create temporary table if not exists bench_rows (uri text, attribute text, value jsonb) on commit drop`.execute(trx);
      for (let i = 0; i < rowValues.length; i += 1000) {
        const chunk = rowValues.slice(i, i + 1000);
        await sql`insert into bench_rows (uri, attribute, value) select * from unnest(${chunk.map((r) => r.uri)}::text[], ${chunk.map((r) => r.attribute)}::text[], ${chunk.map((r) => r.value)}::jsonb[])`.execute(
          trx,
        );
      }
    });
    const pgRowsPerSecond = rows / ((Date.now() - tPg) / 1000);

    const index = indexNames(h.services.config.elasticsearch.indexPrefix).entities;
    const docs = (await h.services.search.search({ index, size: Math.min(entities, 10_000), query: { match_all: {} } })).hits.hits.map(
      (hit) => hit._source as object,
    );
    const scratch = `${index}-bench-bulk`;
    const tEs = Date.now();
    for (let i = 0; i < docs.length; i += 1000)
      await h.services.search.bulk({
        operations: docs.slice(i, i + 1000).flatMap((doc, j) => [{ index: { _index: scratch, _id: String(i + j) } }, doc]),
      });
    await h.services.search.indices.refresh({ index: scratch });
    const esDocsPerSecond = docs.length / ((Date.now() - tEs) / 1000);
    await h.services.search.indices.delete({ index: scratch, ignore_unavailable: true });

    const eventsPerSecond = events.length / ingestSeconds;
    const entitiesPerSecond = entities / ingestSeconds;
    return {
      scenario: profile === 'test' && processes === 0 ? 'ingest' : `ingest-${profile === 'secure' ? 'secure' : engine}-${processes}p`,
      command: opts.command,
      startedAt: new Date(started).toISOString(),
      durationSeconds: (Date.now() - started) / 1000,
      params: {
        size: opts.size,
        events: events.length,
        distinctEvents: distinct,
        duplicateRate: 0.3,
        reorderWindow: 10,
        debounceMs: Number(h.env.MLG_DEBOUNCE_MS ?? 0),
        temporalEngine: engine,
        historyShards: engine === 'cluster' ? clusterShards() : 1,
        pipelineProcesses: processes === 0 ? 'the benchmark process' : processes,
      },
      figures: {
        eventsPerSecond,
        entitiesHydratedPerSecond: entitiesPerSecond,
        hydrationCallsPerEntity: served / entities,
        freshnessP50ms: percentile(fresh, 50),
        freshnessP95ms: percentile(fresh, 95),
        freshnessP99ms: percentile(fresh, 99),
        freshnessSamples: fresh.length,
        loadChangesPerSecond: loadPerSecond,
        freshnessUnderLoadP50ms: percentile(freshUnderLoad, 50),
        freshnessUnderLoadP99ms: percentile(freshUnderLoad, 99),
        freshnessUnderLoadSamples: freshUnderLoad.length,
        historyEventsPerUpdate: refreshes > 0 ? historyEvents / refreshes : 0,
        graphEqualsGroundTruth: true,
        referenceNoopWorkflowsPerSecond: noopPerSecond,
        cpuMsPerEntity: cpuMsPer(cpuAtStart, cpuIngest, entities),
        cpuMsPerNoopWorkflow: cpuNoop,
        ourRowsPerSecond: rows / ingestSeconds,
        referencePgRowsPerSecond: pgRowsPerSecond,
        ourDocsPerSecond: entities / ingestSeconds,
        referenceEsDocsPerSecond: esDocsPerSecond,
      },
      ratios: {
        entitiesPerSecondOverNoopWorkflows: entitiesPerSecond / noopPerSecond,
        rowsPerSecondOverRawPostgres: rows / ingestSeconds / pgRowsPerSecond,
        docsPerSecondOverRawBulk: entities / ingestSeconds / esDocsPerSecond,
      },
      chart: {
        title: 'Ingestion throughput beside its references',
        unit: 'per second',
        bars: [
          { label: 'events consumed', value: eventsPerSecond },
          { label: 'entities hydrated', value: entitiesPerSecond },
          { label: 'no-op workflows (engine ceiling)', value: noopPerSecond },
        ],
      },
      notes: [
        'Convergence is checked against the ground truth (entities, owners, tags, declared edges); the run fails if it is not reached.',
        'Freshness is measured in steady state: 30 new instances, one every 300 ms, from emission to a document in the entities index; idle, then while the world changes at half the measured throughput (loadChangesPerSecond, each change an event).',
        'History events per update is a proxy for Temporal actions: the history length of entity workflow runs over their refreshes (idle timers included).',
        "CPU per entity and per no-op workflow: each group's CPU time on this machine (from /proc, per process; one that ended meanwhile is not counted) while the world was ingested (convergence checks and the pipeline's quiet wait included) or the no-op workflows ran, over their count; node is the benchmark's process and any pipeline processes. What an entity costs beyond a no-op workflow is its own work.",
      ],
    };
  } finally {
    await stopProcesses(children);
    await h.close();
  }
}

/** Waits until `n` consumer processes have joined the group, so that the backlog is shared from the start. */
async function waitForConsumers(h: Harness, n: number): Promise<void> {
  const { kafka } = h.services.config;
  await waitFor(`${n} consumers in the group`, async () => (await groupMemberCount(kafka, kafka.consumerGroup)) === n, {
    timeoutMs: 120_000,
  });
}
