import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mutate } from '../../demo/world/mutate';
import { Random } from '../../demo/world/random';
import { groundTruth } from '../../demo/world/truth';
import type { SyncMode } from '../../domain/sync-mode';
import { uriOf } from '../../domain/uri';
import { REFERENCE_SOURCES, type ReferenceSource } from '../../domain/vocabulary';
import { indexNames } from '../../search/indices';
import { latestSyncRuns } from '../../store/sync-runs';
import { startSync } from '../../temporal/sync-schedule';
import type { SyncProgress } from '../../workflows/sync';
import { waitForConvergence } from '../support/convergence';
import { startHarness, type Harness } from '../support/harness';

describe('sync: reconciliation with each source through its listing', () => {
  let h: Harness;
  const sync = async (source: ReferenceSource, mode: SyncMode, opts: { force?: boolean } = {}): Promise<SyncProgress> => {
    const { handle } = await startSync(h.services.temporal.client, h.services.config, {
      source,
      mode,
      since: null,
      force: opts.force ?? false,
    });
    return handle.result();
  };
  const syncAll = async (mode: SyncMode): Promise<SyncProgress[]> => {
    const identity = await sync('identity', mode);
    return [identity, ...(await Promise.all(REFERENCE_SOURCES.filter((s) => s !== 'identity').map((s) => sync(s, mode))))];
  };
  const stateOf = async (uri: string) =>
    (await h.services.db.selectFrom('entities').select('state').where('uri', '=', uri).executeTakeFirst())?.state;

  before(async () => {
    h = await startHarness({ seed: 31, size: 80 });
  });
  after(async () => {
    await h.close();
  });

  it('when no event ever arrived, then a full sync of every source brings the graph and the index to the ground truth', async () => {
    const results = await syncAll('full');
    assert.ok(results.every((r) => r.phase === 'completed' && r.invalid === 0 && r.deleted === 0));
    assert.equal(
      results.reduce((n, r) => n + r.entities, 0),
      groundTruth(h.demo.world).entities.filter((e) => e.type !== 'ab-test-cell').length,
    );
    await waitForConvergence(h, { timeoutMs: 5_000 });
    const names = indexNames(h.services.config.elasticsearch.indexPrefix);
    await h.services.search.indices.refresh({ index: names.entities });
    assert.equal((await h.services.search.count({ index: names.entities })).count, groundTruth(h.demo.world).entities.length);
    const runs = await latestSyncRuns(h.services.db);
    assert.deepEqual(runs.map((r) => [r.source, r.status]).sort(), REFERENCE_SOURCES.map((s) => [s, 'completed']).sort());
  });

  it('when an entity is created and its event is lost, then an incremental sync lists only what changed and brings it in', async () => {
    const created = mutate(h.demo.world, new Random(7), 'new_instance').created[0];
    assert.ok(created);
    const uri = uriOf('model-instance', created.id);
    assert.equal(await stateOf(uri), undefined);
    const result = await sync('registry', 'incremental');
    assert.equal(result.phase, 'completed');
    assert.ok(result.since !== null, 'an incremental sync starts where the last one started');
    assert.ok(result.entities >= 1 && result.entities < 10, `listed ${result.entities}, only what changed`);
    assert.equal(await stateOf(uri), 'hydrated');
    await waitForConvergence(h, { timeoutMs: 5_000 });
  });

  it('when the source no longer lists an entity, then a full sync marks it deleted', async () => {
    const [id] = [...h.demo.world.records.datasets.keys()];
    assert.ok(id);
    h.demo.world.records.datasets.delete(id);
    const result = await sync('datasets', 'full');
    assert.deepEqual([result.phase, result.unlisted, result.deleted], ['completed', 1, 1]);
    assert.equal(await stateOf(uriOf('dataset', id)), 'deleted');
    await waitForConvergence(h, { timeoutMs: 5_000 });
  });

  it('when a source suddenly lists nothing, then the full sync deletes nothing and says why', async () => {
    const kept = new Map(h.demo.world.records.features);
    h.demo.world.records.features.clear();
    try {
      const result = await sync('featurestore', 'full');
      assert.equal(result.phase, 'failed');
      assert.equal(result.deleted, 0);
      assert.equal(result.unlisted, kept.size);
      assert.match(result.message ?? '', /nothing was deleted/);
      for (const id of kept.keys()) assert.equal(await stateOf(uriOf('feature', id)), 'hydrated');
      const run = (await latestSyncRuns(h.services.db)).find((r) => r.source === 'featurestore');
      assert.equal(run?.status, 'failed');
    } finally {
      for (const [id, record] of kept) h.demo.world.records.features.set(id, record);
    }
  });

  it('when a full sync races live events for the same entities, then the newest state wins', async () => {
    const syncing = sync('registry', 'full');
    await h.demo.mutate(15, 'deploy_instance');
    await h.demo.mutate(15, 'new_instance');
    const result = await syncing;
    assert.equal(result.phase, 'completed');
    await waitForConvergence(h, { timeoutMs: 60_000 });
  });
});
