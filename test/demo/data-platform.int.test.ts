import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../api/app';
import { listen } from '../../api/server';
import { dataPlatformEvents, DATA_PLATFORM, sendDataPlatformEvents } from '../../demo/openlineage/data-platform';
import { SEED_EXAMPLE } from '../../demo/world/seed-example';
import { createLogger } from '../../platform/logger';
import { runSweep, waitForConvergence, waitForPipelineQuiet } from '../support/convergence';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait';

const READ = 'mlg-demo-read-token';
const WRITE = 'mlg-demo-write-token';

describe("the demo's data platform", () => {
  let h: Harness;
  let base: string;
  // A no-op until the server is up, so that a failed `before` still closes the harness.
  let close: () => Promise<void> = () => Promise.resolve();
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${READ}` } });
    return { status: response.status, body: (await response.json()) as any };
  };

  before(async () => {
    h = await startHarness({ seed: 11, size: 120 });
    await h.demo.announce();
    await waitForConvergence(h);
    const server = await listen(createApp({ services: h.services, logger: createLogger({ logLevel: 'silent' }) }), '127.0.0.1', 0);
    base = `http://127.0.0.1:${server.port}`;
    close = () => server.close();
    await sendDataPlatformEvents(base, WRITE, dataPlatformEvents(h.demo.world, { datasets: 3 }));
    await waitFor('the warehouse table from OpenLineage', async () => {
      const row = await h.services.db
        .selectFrom('entities')
        .select('state')
        .where('uri', '=', 'mlg://dataset/openlineage/s3%3A%2F%2Fwarehouse%2Fmember_viewing_history')
        .executeTakeFirst();
      return row?.state === 'hydrated';
    });
    await waitForPipelineQuiet(h);
    await runSweep(h);
  });
  after(async () => {
    await close();
    await h.close();
  });

  it('when the warehouse table is reported by OpenLineage, then it is the same dataset as the catalog record at its location', async () => {
    const { body } = await get('/v1/entities/dataset/datasets/member-viewing-history');
    assert.ok(
      body.relationships.some(
        (r: any) => r.predicate === 'same_as' && r.uri === 'mlg://dataset/openlineage/s3%3A%2F%2Fwarehouse%2Fmember_viewing_history',
      ),
      JSON.stringify(body.relationships),
    );
  });

  it('when the lineage of the catalog dataset is asked for, then it crosses same_as at no cost into the Airflow task and the Spark output', async () => {
    const { body } = await get('/v1/entities/dataset/datasets/member-viewing-history/lineage?direction=upstream&depth=2');
    const distance = new Map(body.nodes.map((n: any) => [n.uri, n.distance]));
    assert.equal(distance.get('mlg://dataset/openlineage/s3%3A%2F%2Fwarehouse%2Fmember_viewing_history'), 0, JSON.stringify(body.nodes));
    const taskRun = body.nodes.find(
      (n: any) => n.type === 'pipeline-run' && n.name.startsWith(`${DATA_PLATFORM.dag}.build_member_viewing_history`),
    );
    assert.equal(taskRun?.distance, 1);
    assert.equal(distance.get('mlg://dataset/openlineage/s3%3A%2F%2Fraw%2Fmember_viewing_history_sessions'), 2);
  });

  it("when a Spark job's output column changes, then its impact reaches the feature, the model instance and the A/B test through same_as", async () => {
    const raw = encodeURIComponent(`${DATA_PLATFORM.raw}/member_viewing_history_sessions`);
    const { status, body } = await get(`/v1/entities/dataset/openlineage/${raw}/column-impact?field=account_id&depth=6`);
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body.columns[0], {
      dataset: 'mlg://dataset/openlineage/s3%3A%2F%2Fwarehouse%2Fmember_viewing_history',
      field: 'member_id',
      distance: 1,
    });
    const reached = new Set(body.groups.flatMap((g: any) => g.entities.map((e: any) => e.uri)));
    for (const uri of [
      'mlg://dataset/datasets/member-viewing-history',
      `mlg://feature/featurestore/${SEED_EXAMPLE.featureId}`,
      `mlg://model-instance/registry/${SEED_EXAMPLE.instanceId}`,
      `mlg://ab-test/experiments/${SEED_EXAMPLE.testId}`,
    ])
      assert.ok(reached.has(uri), `${uri} not in the impact: ${[...reached].join(', ')}`);
    assert.ok(body.notify.users.some((u: any) => u.uri === `mlg://user/identity/${SEED_EXAMPLE.username}`));
  });

  it('when a path from the Spark output to the model instance is asked for, then the paths run through same_as, the training run and the feature', async () => {
    const from = `mlg://dataset/openlineage/${encodeURIComponent(`${DATA_PLATFORM.raw}/member_viewing_history_sessions`)}`;
    const to = `mlg://model-instance/registry/${SEED_EXAMPLE.instanceId}`;
    const { status, body } = await get(`/v1/paths?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&maxDepth=8`);
    assert.equal(status, 200, JSON.stringify(body));
    const routes = body.paths.map((p: any) => p.edges.map((e: any) => e.predicate));
    assert.ok(routes[0]?.includes('same_as'), JSON.stringify(body.paths[0]));
    // Through the training run that read the dataset, and through the feature derived from it.
    assert.ok(
      routes.some((r: string[]) => r.includes('derived_from') && r.includes('uses_feature')),
      JSON.stringify(routes),
    );
  });

  it('when the Spark job is searched for by name, then it is found like any other entity', async () => {
    await waitFor('the Spark application in search', async () => {
      const { body } = await get('/v1/search?q=sessionize_member_viewing_history&type=pipeline');
      return body.hits.some(
        (hit: any) =>
          hit.uri === `mlg://pipeline/openlineage/${encodeURIComponent(`${DATA_PLATFORM.spark}/sessionize_member_viewing_history`)}`,
      );
    });
  });

  it('when the Airflow task is read, then its owner resolved through identity and its run is part of the DAG run', async () => {
    const task = encodeURIComponent(`${DATA_PLATFORM.airflow}/${DATA_PLATFORM.dag}.build_member_viewing_history`);
    const { body } = await get(`/v1/entities/pipeline/openlineage/${task}`);
    assert.deepEqual(
      body.owners.map((o: any) => o.uri),
      [`mlg://user/identity/${SEED_EXAMPLE.username}`],
    );
    assert.ok(body.relationships.some((r: any) => r.predicate === 'part_of'));
  });
});
