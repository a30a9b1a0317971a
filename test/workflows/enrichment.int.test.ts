import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { thinEvent } from '../../connectors/events';
import { IMPERFECT_KNOBS } from '../../demo/servers/knobs';
import { SEED_EXAMPLE } from '../../demo/world/seed-example';
import { runSweep, waitForConvergence, waitForPipelineQuiet } from '../support/convergence';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait';
import { describeDifference, graphOf, truthSnapshot } from '../support/graph';
import { groundTruth } from '../../demo/world/truth';
import { indexNames } from '../../search/indices';
import { runSweepAndWait, triggerEnrichment } from '../../temporal/enrichment-schedule';

const INSTANCE = 'mlg://model-instance/registry/ranking-model-v5-20XX0101';
const RUN = 'mlg://pipeline-run/orchestrator/train-weekly-ranking-20XX0101';
const TEST = 'mlg://ab-test/experiments/12345';
const CELL = 'mlg://ab-test-cell/experiments/12345.2';

describe('enrichment of the seed example', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ seed: 61, size: 60 });
    await h.demo.announce();
    await waitForConvergence(h);
    await waitForPipelineQuiet(h);
  });
  after(async () => {
    await h.close();
  });

  const testedIn = () =>
    h.services.db.selectFrom('current_edges').selectAll().where('subject', '=', INSTANCE).where('predicate', '=', 'tested_in').execute();

  it('when a sweep runs after ingestion, then the instance is tested_in test 12345 by rule R1 with its three supporting edges', async () => {
    const counts = await runSweep(h);
    assert.ok(counts.candidates > 0 && counts.inferred > 0 && counts.enriched > 0, JSON.stringify(counts));
    const edges = await testedIn();
    assert.equal(edges.length, 1);
    assert.equal(edges[0]?.object, TEST);
    assert.equal(edges[0]?.rule, 'R1');
    assert.deepEqual(edges[0]?.support, [
      { subject: CELL, predicate: 'cell_of', object: TEST },
      { subject: INSTANCE, predicate: 'produced_by', object: RUN },
      { subject: RUN, predicate: 'executed_for', object: CELL },
    ]);
    const instance = await h.services.db
      .selectFrom('entities')
      .select(['state', 'last_enriched_at'])
      .where('uri', '=', INSTANCE)
      .executeTakeFirstOrThrow();
    assert.equal(instance.state, 'enriched');
    assert.ok(instance.last_enriched_at);
  });

  it('then the whole graph, inferred edges included, equals the ground truth: none missing, none extra', async () => {
    await waitForConvergence(h, { inferred: true, timeoutMs: 10_000 });
  });

  it('when a sweep runs again with nothing changed, then it infers and retracts nothing', async () => {
    const counts = await runSweep(h);
    assert.equal(counts.inferred, 0);
    assert.equal(counts.retracted, 0);
  });

  it('when a sweep is already running, then running one and waiting answers with a sweep that started after it ended', async () => {
    const { client } = h.services.temporal;
    const earlier = await triggerEnrichment(client, h.services.config);
    const mine = await runSweepAndWait(client, h.services.config);
    // Schedules name their workflows to the second: two sweeps may share an id, never a run.
    const [before, after] = await Promise.all([
      client.workflow.getHandle(earlier.workflowId, earlier.runId).describe(),
      client.workflow.getHandle(mine.workflowId).describe(),
    ]);
    assert.notEqual(after.runId, earlier.runId);
    assert.ok(before.closeTime && after.startTime >= before.closeTime, `${String(after.startTime)} after ${String(before.closeTime)}`);
  });

  it('when the run no longer runs for the cell and its event arrives, then the next sweep retracts the inferred edge', async () => {
    const run = h.demo.world.records.runs.get(SEED_EXAMPLE.runId);
    assert.ok(run);
    run.ab_test_cells = [];
    await h.demo.send([thinEvent('pipeline_run_completed', SEED_EXAMPLE.runId)]);
    await waitFor(
      'the executed_for edge to be retracted',
      async () =>
        (
          await h.services.db
            .selectFrom('current_edges')
            .select('object')
            .where('subject', '=', RUN)
            .where('predicate', '=', 'executed_for')
            .execute()
        ).length === 0,
    );
    const counts = await runSweep(h);
    assert.ok(counts.retracted >= 1, JSON.stringify(counts));
    assert.equal((await testedIn()).length, 0);
    const history = await h.services.db
      .selectFrom('edges')
      .select(['op', 'rule'])
      .where('subject', '=', INSTANCE)
      .where('predicate', '=', 'tested_in')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      history.map((e) => e.op),
      ['assert', 'retract'],
    );
    await waitForConvergence(h, { inferred: true, timeoutMs: 10_000 });
  });
});

describe('enrichment of stale entities', () => {
  it('when an entity changed at the source with its event dropped, then a sweep refreshes it once its TTL has passed', async () => {
    const h = await startHarness({ seed: 62, size: 40, env: { MLG_STALE_AFTER_MS: '1500' } });
    try {
      await h.demo.announce();
      await waitForConvergence(h);
      const dataset = h.demo.world.records.datasets.get(SEED_EXAMPLE.datasetId);
      assert.ok(dataset);
      dataset.description = 'Changed quietly: no event was sent.';
      dataset.owner_emails = [];
      await new Promise((resolve) => setTimeout(resolve, 1600));
      const counts = await runSweep(h);
      assert.ok(counts.hydrated > 0, JSON.stringify(counts));
      await waitFor(
        'the dataset to be refreshed',
        async () =>
          (
            await h.services.db
              .selectFrom('entities')
              .select('description')
              .where('uri', '=', `mlg://dataset/datasets/${SEED_EXAMPLE.datasetId}`)
              .executeTakeFirst()
          )?.description === dataset.description,
      );
      await waitForConvergence(h);
    } finally {
      await h.close();
    }
  });
});

describe('the demo world with every imperfection on', () => {
  it('when the stream stops, then sweeps bring the graph, inferred edges included, to the ground truth', async () => {
    const h = await startHarness({ seed: 63, size: 150, knobs: IMPERFECT_KNOBS, env: { MLG_STALE_AFTER_MS: '1000' } });
    try {
      await h.demo.announce();
      await h.demo.mutate(60);
      await waitForPipelineQuiet(h, 3000);
      let sweeps = 0;
      await waitFor(
        'sweeps to converge the graph',
        async () => {
          sweeps += 1;
          await runSweep(h);
          await waitForPipelineQuiet(h, 2000);
          await runSweep(h);
          return waitForConvergence(h, { inferred: true, timeoutMs: 1 }).then(
            () => true,
            () => false,
          );
        },
        {
          timeoutMs: 120_000,
          intervalMs: 0,
          explain: async () =>
            describeDifference(
              await graphOf(h.services.db, { inferred: true }),
              truthSnapshot(groundTruth(h.demo.world), { inferred: true }),
            ),
        },
      );
      assert.ok(sweeps >= 1);
      const index = indexNames(h.services.config.elasticsearch.indexPrefix).entities;
      const expected = groundTruth(h.demo.world).entities.length;
      await waitFor('every entity to be searchable', async () => {
        await h.services.search.indices.refresh({ index });
        return (
          (await h.services.search.count({ index, query: { bool: { must_not: { term: { state: 'placeholder' } } } } })).count === expected
        );
      });
    } finally {
      await h.close();
    }
  });
});
