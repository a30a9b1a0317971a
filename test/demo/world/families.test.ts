import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plantModelFamilies } from '../../../demo/world/families';
import { generateWorld } from '../../../demo/world/generate';

describe('planted families of similar models', () => {
  it('when families are planted, then the generated models are unchanged, and each family is six models on its own rare features', () => {
    const plain = generateWorld({ seed: 3, size: 500 });
    const world = generateWorld({ seed: 3, size: 500 });
    const families = plantModelFamilies(world, { families: 4, seed: 3 });
    assert.equal(families.length, 4);
    for (const [id, model] of plain.records.models) assert.deepEqual(world.records.models.get(id), model);
    for (const family of families) {
      assert.equal(family.models.length, 6);
      const users = [...world.records.instances.values()].filter((i) => i.feature_ids.some((f) => family.features.includes(f)));
      const outside = users.filter((i) => !family.models.includes(i.model_id));
      assert.ok(outside.length <= 1, 'at most the one outsider uses a family feature');
      for (const model of family.models)
        assert.ok(
          users.some((i) => i.model_id === model),
          `${model} uses its family's features`,
        );
    }
  });
});
