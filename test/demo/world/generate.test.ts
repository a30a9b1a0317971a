import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateWorld } from '../../../demo/world/generate';
import { SEED_EXAMPLE } from '../../../demo/world/seed-example';
import { groundTruth } from '../../../demo/world/truth';

describe('generateWorld', () => {
  it('when generated twice from the same seed and size, then the worlds are identical', () => {
    const a = groundTruth(generateWorld({ seed: 7, size: 3000 }));
    const b = groundTruth(generateWorld({ seed: 7, size: 3000 }));
    assert.deepEqual(a, b);
  });

  it('when the seed differs, then the world differs', () => {
    const a = groundTruth(generateWorld({ seed: 7, size: 3000 }));
    const b = groundTruth(generateWorld({ seed: 8, size: 3000 }));
    assert.notDeepEqual(a.edges, b.edges);
  });

  it('when asked for a size, then the graph holds about that many entities', () => {
    for (const size of [50, 5000]) {
      const truth = groundTruth(generateWorld({ seed: 1, size }));
      assert.ok(
        truth.entities.length >= size * 0.8 && truth.entities.length <= size * 1.3 + 60,
        `size ${size} gave ${truth.entities.length}`,
      );
    }
  });

  it('then every kind of entity and every declared predicate is present, even in a small world', () => {
    const truth = groundTruth(generateWorld({ seed: 3, size: 60 }));
    const types = new Set(truth.entities.map((e) => e.type));
    assert.deepEqual([...types].sort(), [
      'ab-test',
      'ab-test-cell',
      'dataset',
      'feature',
      'model',
      'model-instance',
      'pipeline',
      'pipeline-run',
      'service',
      'team',
      'user',
    ]);
    const predicates = new Set(truth.edges.map((e) => e.predicate));
    for (const p of [
      'derived_from',
      'produced_by',
      'reads',
      'writes',
      'executed_for',
      'uses_feature',
      'deployed_to',
      'tested_in',
      'version_of',
      'run_of',
      'cell_of',
      'member_of',
      'owned_by',
      'owned_by_team',
    ])
      assert.ok(predicates.has(p as never), p);
  });

  it('then the seed example is part of every world', () => {
    for (const size of [10, 2000]) {
      const world = generateWorld({ seed: size, size });
      assert.equal(world.records.instances.get(SEED_EXAMPLE.instanceId)?.pipeline_run_id, SEED_EXAMPLE.runId);
      assert.equal(world.records.users.get(SEED_EXAMPLE.userEmail)?.username, 'alice');
      assert.equal(world.records.tests.get(SEED_EXAMPLE.testId)?.name, 'Ranking Model v5 vs v4');
    }
  });

  it('then the degrees have a long tail: a few hubs, most entities with few edges', () => {
    const truth = groundTruth(generateWorld({ seed: 11, size: 20000 }));
    const degree = new Map<string, number>();
    for (const e of truth.edges) {
      if (e.predicate === 'owned_by' || e.predicate === 'owned_by_team') continue;
      degree.set(e.object, (degree.get(e.object) ?? 0) + 1);
    }
    const degrees = [...degree.values()].sort((a, b) => a - b);
    const median = degrees[Math.floor(degrees.length / 2)] ?? 0;
    const max = degrees.at(-1) ?? 0;
    assert.ok(median <= 5, `median in-degree ${median}`);
    assert.ok(max >= 50 * Math.max(1, median), `max in-degree ${max} vs median ${median}`);
  });
});
