import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SEED_EXAMPLE } from '../../demo/world/seed-example';
import type { Collections } from '../../demo/world/records';
import { waitForConvergence } from '../support/convergence';
import { serveApi, type ApiUnderTest } from '../support/api';
import { startHarness, type Harness } from '../support/harness';

const T = '2026-01-01T00:00:00Z';

/**
 * A planted family: models A, B and C share rare features (A and B three, A and C two), D shares one
 * with A; every model also uses the seed's common feature. C lacks f3, which A and B both use.
 */
function plantFamily(records: Collections): void {
  const owner = { owner_emails: [SEED_EXAMPLE.userEmail], labels: [], created_at: T, updated_at: T };
  for (const f of ['f1', 'f2', 'f3', 'f4'])
    records.features.set(`family-${f}`, {
      id: `family-${f}`,
      name: `family-${f}`,
      description: 'A rare feature of the planted family.',
      value_type: 'float',
      source_dataset_ids: [SEED_EXAMPLE.datasetId],
      version: 1,
      ...owner,
    });
  const models: Record<string, string[]> = {
    A: ['family-f1', 'family-f2', 'family-f3'],
    B: ['family-f1', 'family-f2', 'family-f3'],
    C: ['family-f1', 'family-f2'],
    D: ['family-f3', 'family-f4'],
  };
  for (const [letter, features] of Object.entries(models)) {
    records.models.set(`family-model-${letter}`, {
      id: `family-model-${letter}`,
      name: `family-model-${letter}`,
      description: 'Planted.',
      ...owner,
    });
    records.instances.set(`family-model-${letter}-v1`, {
      id: `family-model-${letter}-v1`,
      model_id: `family-model-${letter}`,
      version: 'v1',
      pipeline_run_id: null,
      feature_ids: [...features, SEED_EXAMPLE.featureId],
      deployed_to: [],
      status: 'released',
      ...owner,
    });
  }
}

describe('suggestions from the graph', () => {
  let h: Harness;
  let api: ApiUnderTest;
  const get = (path: string) => api.get(path);

  before(async () => {
    h = await startHarness({ seed: 11, size: 120 });
    plantFamily(h.demo.world.records);
    await h.demo.announce();
    await waitForConvergence(h);
    api = await serveApi(h);
  });
  after(async () => {
    await api?.close();
    await h?.close();
  });

  it('when the models like one are asked for, then its family comes first, the one sharing more rare features first, each saying what it shares', async () => {
    const { status, body } = await get('/v1/entities/model/registry/family-model-A/similar?limit=5');
    assert.equal(status, 200);
    const top = body.similar.slice(0, 3).map((s: any) => s.uri);
    assert.deepEqual(top, [
      'mlg://model/registry/family-model-B',
      'mlg://model/registry/family-model-C',
      'mlg://model/registry/family-model-D',
    ]);
    assert.ok(body.similar[0].score > body.similar[1].score && body.similar[1].score > body.similar[2].score);
    assert.deepEqual(body.similar[0].sharedFeatures.map((f: any) => f.name).sort(), [
      SEED_EXAMPLE.featureId,
      'family-f1',
      'family-f2',
      'family-f3',
    ]);
    assert.match(body.similar[1].reason, /^shares 3 features: family-f1, family-f2, days-since-last-play$/);
    const weights = new Map<string, number>(body.similar[0].sharedFeatures.map((f: any) => [f.name, f.weight]));
    for (const rare of ['family-f1', 'family-f2', 'family-f3'])
      assert.ok((weights.get(rare) ?? 0) > (weights.get(SEED_EXAMPLE.featureId) ?? 0), `${rare} is rarer than the common feature`);
  });

  it('when features are suggested for a model, then those its closest peers use and it lacks come first, with the peers that use them', async () => {
    const { body } = await get('/v1/entities/model/registry/family-model-C/suggestions');
    assert.equal(body.features[0]?.uri, 'mlg://feature/featurestore/family-f3');
    const users = body.features[0].usedBy.map((m: any) => m.name);
    assert.ok(users.includes('family-model-A') && users.includes('family-model-B'), users.join(', '));
    assert.match(body.features[0].reason, /used by \d of the \d most similar/);
    assert.ok(!body.features.some((f: any) => ['family-f1', 'family-f2'].includes(f.name)), 'nothing it already uses');
  });

  it('when similar instances are asked for, then they are compared by their own features', async () => {
    const { body } = await get('/v1/entities/model-instance/registry/family-model-A-v1/similar?limit=1');
    assert.deepEqual(
      body.similar.map((s: any) => s.uri),
      ['mlg://model-instance/registry/family-model-B-v1'],
    );
  });

  it('when similarity is asked of a dataset or an unknown model, then a 400 names the type and a 404 the id', async () => {
    const dataset = await get(`/v1/entities/dataset/datasets/${SEED_EXAMPLE.datasetId}/similar`);
    assert.equal(dataset.status, 400);
    assert.equal(dataset.body.parameter, 'type');
    const unknown = await get('/v1/entities/model/registry/no-such-model/suggestions');
    assert.equal(unknown.status, 404);
  });
});
