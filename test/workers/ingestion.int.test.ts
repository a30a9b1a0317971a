import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { groundTruth } from '../../demo/world/truth';
import { indexNames } from '../../search/indices';
import { waitForConvergence, waitForPipelineQuiet } from '../support/convergence';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait';

describe('ingestion: events → workflows → hydrate → persist → index', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ seed: 21, size: 120 });
  });
  after(async () => {
    await h.close();
  });

  it('when the world is announced, then the graph converges to the ground truth: entities, owners, tags and declared edges', async () => {
    await h.demo.announce();
    await waitForConvergence(h);
  });

  it('then every entity is searchable', async () => {
    const names = indexNames(h.services.config.elasticsearch.indexPrefix);
    const expected = groundTruth(h.demo.world).entities.length;
    await waitFor('every entity to be indexed', async () => {
      await h.services.search.indices.refresh({ index: names.entities });
      return (await h.services.search.count({ index: names.entities })).count === expected;
    });
    const hit = await h.services.search.search<{ uri: string; owners: string[]; tags: string[] }>({
      index: names.entities,
      query: { term: { 'name.keyword': 'ranking-model v5' } },
    });
    assert.equal(hit.hits.hits[0]?._source?.uri, 'mlg://model-instance/registry/ranking-model-v5-20XX0101');
    assert.deepEqual(hit.hits.hits[0]?._source?.owners, ['mlg://user/identity/alice']);
    assert.deepEqual(hit.hits.hits[0]?._source?.tags, ['team::personalization']);
  });

  it('when the world changes and its events arrive, then the graph follows it', async () => {
    await h.demo.mutate(40);
    await waitForConvergence(h);
  });

  it('when the same state is processed again, then no fact, edge or transaction is added', async () => {
    const count = async () => {
      const [tx, facts, edges] = await Promise.all(
        ['tx', 'facts', 'edges'].map((t) =>
          h.services.db
            .selectFrom(t as 'tx')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow(),
        ),
      );
      return [tx?.n, facts?.n, edges?.n];
    };
    await waitForPipelineQuiet(h, 3000);
    const before = await count();
    const announcedAt = new Date();
    const refreshed = await h.demo.announce();
    assert.ok(refreshed.length > 100);
    await waitFor('every entity to be hydrated again', async () => {
      const stale = await h.services.db
        .selectFrom('entities')
        .select('uri')
        .where('state', 'in', ['hydrated', 'enriched'])
        .where('last_hydrated_at', '<', announcedAt)
        .execute();
      return stale.length === 0;
    });
    await waitForPipelineQuiet(h);
    assert.deepEqual(await count(), before);
  });
});
