import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { thinEvent } from '../../connectors/events';
import { SEED_EXAMPLE } from '../../demo/world/seed-example';
import type { World } from '../../demo/world/world';
import { serveApi, type ApiUnderTest } from '../support/api';
import { waitForConvergence } from '../support/convergence';
import { startHarness, type Harness } from '../support/harness';

/** One feature and one dataset recorded twice, under names written another way, with the same sources. */
function plantDuplicates(world: World): { feature: [string, string]; dataset: [string, string] } {
  const r = world.records;
  const feature = r.features.get(SEED_EXAMPLE.featureId);
  const dataset = r.datasets.get(SEED_EXAMPLE.outputDatasetId);
  assert.ok(feature && dataset);
  const featureTwin = `${feature.id.replaceAll('-', '_').toUpperCase()}`;
  r.features.set(featureTwin, { ...feature, id: featureTwin, name: featureTwin });
  const datasetTwin = `${dataset.id.replaceAll('-', '.')}`;
  r.datasets.set(datasetTwin, { ...dataset, id: datasetTwin, name: datasetTwin, location: `${dataset.location}-copy` });
  return { feature: [feature.id, featureTwin], dataset: [dataset.id, datasetTwin] };
}

describe('likely duplicates', () => {
  let h: Harness;
  let api: ApiUnderTest;
  let planted: ReturnType<typeof plantDuplicates>;
  const pairsOf = (body: any) => body.duplicates.map((d: any) => [d.a.uri, d.b.uri].sort().join(' '));

  before(async () => {
    h = await startHarness({ seed: 11, size: 120 });
    planted = plantDuplicates(h.demo.world);
    await h.demo.announce();
    await h.demo.send([thinEvent('feature_created', planted.feature[1]), thinEvent('dataset_created', planted.dataset[1])]);
    await waitForConvergence(h);
    api = await serveApi(h);
  });
  after(async () => {
    await api?.close();
    await h?.close();
  });

  it('when the graph is checked for duplicate features and datasets, then the planted pairs are found, and nothing else', async () => {
    const features = await api.get('/v1/quality/duplicates?type=feature');
    assert.equal(features.status, 200);
    assert.deepEqual(pairsOf(features.body), [
      planted.feature
        .map((id) => `mlg://feature/featurestore/${id}`)
        .sort()
        .join(' '),
    ]);
    const datasets = await api.get('/v1/quality/duplicates?type=dataset');
    assert.deepEqual(pairsOf(datasets.body), [
      planted.dataset
        .map((id) => `mlg://dataset/datasets/${id}`)
        .sort()
        .join(' '),
    ]);
    const [pair] = features.body.duplicates;
    assert.equal(pair.nameSimilarity, 1);
    assert.ok(pair.sharedSources.length > 0);
    assert.match(pair.reason, /names 100% alike; \d+ of \d+ sources shared: /);
  });

  it("when a feature's duplicates are asked for, then its twin comes back with the reason; for a model the type is refused", async () => {
    const twin = await api.get(`/v1/entities/feature/featurestore/${planted.feature[1]}/duplicates`);
    assert.equal(twin.status, 200);
    assert.deepEqual(
      twin.body.duplicates.map((d: any) => [d.a.uri, d.b.uri].sort()),
      [planted.feature.map((id) => `mlg://feature/featurestore/${id}`).sort()],
    );
    const model = await api.get(`/v1/entities/model/registry/${SEED_EXAMPLE.modelId}/duplicates`);
    assert.equal(model.status, 400);
    assert.equal(model.body.parameter, 'type');
    const bad = await api.get('/v1/quality/duplicates?type=model');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.parameter, 'type');
  });
});
