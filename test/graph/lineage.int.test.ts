import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { thinEvent } from '../../connectors/events';
import { groundTruth } from '../../demo/world/truth';
import { traverse, traverseAll, type Traversal } from '../../graph/lineage';
import { runSweep, waitForConvergence, waitForPipelineQuiet } from '../support/convergence';
import { startHarness, type Harness } from '../support/harness';
import { truthLineage } from '../support/truth-lineage';

const DEPTH = 4;
const options = (asOf: Date | null) => ({ depth: DEPTH, nodeCap: 10_000, asOf });
const distances = (t: Traversal) => Object.fromEntries([...t.nodes.values()].map((n) => [n.uri, n.distance]).sort());
const edges = (t: Traversal) => [...t.edges.keys()].sort();

describe('lineage walks in the database', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ seed: 73, size: 40 });
    await h.demo.announce();
    await waitForConvergence(h);
    await waitForPipelineQuiet(h);
    await runSweep(h);
    await waitForConvergence(h, { inferred: true });
  });
  after(() => h.close());

  it('when every entity is walked both ways, then the walk equals the ground truth, computed independently, and walking as of now equals walking the projections', async () => {
    const truth = groundTruth(h.demo.world);
    const now = new Date();
    assert.ok(truth.entities.length > 40, `the world is not empty: ${truth.entities.length} entities`);
    for (const { uri } of truth.entities) {
      const [down, up] = await traverseAll(h.services.db, uri, ['downstream', 'upstream'], options(null));
      const [downThen, upThen] = await traverseAll(h.services.db, uri, ['downstream', 'upstream'], options(now));
      assert.ok(down && up && downThen && upThen);
      assert.deepEqual(
        distances(down),
        Object.fromEntries([...truthLineage(truth, uri, 'downstream', DEPTH)].sort()),
        `downstream of ${uri}`,
      );
      assert.deepEqual(distances(up), Object.fromEntries([...truthLineage(truth, uri, 'upstream', DEPTH)].sort()), `upstream of ${uri}`);
      assert.deepEqual([distances(downThen), edges(downThen)], [distances(down), edges(down)], `downstream of ${uri} as of now`);
      assert.deepEqual([distances(upThen), edges(upThen)], [distances(up), edges(up)], `upstream of ${uri} as of now`);
      for (const t of [down, up])
        for (const step of t.steps) assert.ok(step.from === uri || t.nodes.has(step.from), `${step.from} is a returned node`);
    }
  });

  it('when an instance is deleted, then walks no longer return it, and walks as of before the deletion still do', async () => {
    const [id, instance] = [...h.demo.world.records.instances.entries()].find(([, i]) => i.deployed_to.length > 0) ?? [];
    assert.ok(id && instance, 'a deployed instance');
    const uri = `mlg://model-instance/registry/${encodeURIComponent(id)}`;
    const service = `mlg://service/registry/${encodeURIComponent(instance.deployed_to[0] ?? '')}`;
    const reaches = async (asOf: Date | null) => (await traverse(h.services.db, service, 'upstream', options(asOf))).nodes.has(uri);
    assert.ok(await reaches(null));
    const before = new Date();
    h.demo.world.records.instances.delete(id);
    await h.demo.send([thinEvent('model_instance_deleted', id)]);
    await waitForConvergence(h);
    await waitForPipelineQuiet(h);
    assert.equal(await reaches(null), false, 'a deleted instance is not returned');
    assert.equal(await reaches(before), true, 'as of before the deletion, it is');
  });

  it('when the node cap is smaller than the lineage, then the walk stops at the cap and says truncated', async () => {
    const truth = groundTruth(h.demo.world);
    const sizes = truth.entities.map(({ uri }) => ({ uri, size: truthLineage(truth, uri, 'downstream', DEPTH).size }));
    const widest = sizes.sort((a, b) => b.size - a.size)[0];
    assert.ok(widest && widest.size > 3);
    const capped = await traverse(h.services.db, widest.uri, 'downstream', { depth: DEPTH, nodeCap: 3, asOf: null });
    assert.equal(capped.nodes.size, 3);
    assert.equal(capped.truncated, true);
    for (const e of capped.edges.values()) assert.ok([e.subject, e.object].every((u) => u === widest.uri || capped.nodes.has(u)));
  });
});
