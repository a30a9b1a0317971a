import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plantDefects } from '../../../demo/world/defects';
import { generateWorld } from '../../../demo/world/generate';
import { truthDefects } from '../../../demo/world/quality-truth';
import { SEED_EXAMPLE } from '../../../demo/world/seed-example';
import { uriOf } from '../../../domain/uri';

describe('planted metadata defects', () => {
  it('when defects are planted, then the ground truth names each with its code, and the seed example keeps none', () => {
    const world = generateWorld({ seed: 5, size: 300 });
    const before = new Set(truthDefects(world).map((d) => `${d.uri} ${d.code}`));
    const planted = plantDefects(world, { count: 4, seed: 5 });
    const after = new Set(truthDefects(world).map((d) => `${d.uri} ${d.code}`));
    const expected = [
      ...planted.ownerless.map((id) => `${uriOf(world.records.models.has(id) ? 'model' : 'feature', id)} no-owner`),
      ...planted.undescribed.map((id) => `${uriOf('dataset', id)} no-description`),
      `${uriOf('feature', planted.ghostFeature)} never-hydrated`,
    ];
    assert.equal(planted.ownerless.length, 4);
    assert.equal(planted.leavers.length, 4);
    for (const defect of expected) assert.ok(after.has(defect), defect);
    const leaverAssets = [...world.records.models.entries()]
      .filter(([, m]) => m.owner_emails.some((e) => planted.leavers.includes(e)))
      .map(([id]) => `${uriOf('model', id)} owner-inactive`);
    for (const defect of leaverAssets) assert.ok(after.has(defect), defect);
    assert.ok(after.size > before.size);
    const [original, twin] = planted.duplicate ?? [];
    assert.ok(original && twin);
    assert.deepEqual(world.records.features.get(twin)?.source_dataset_ids, world.records.features.get(original)?.source_dataset_ids);
    assert.ok(![...after].some((d) => d.startsWith(uriOf('model-instance', SEED_EXAMPLE.instanceId))));
  });

  it('when the same world is planted twice, then the same defects are planted', () => {
    const plant = () => plantDefects(generateWorld({ seed: 9, size: 200 }), { count: 3, seed: 9 });
    assert.deepEqual(plant(), plant());
  });
});
