import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { groundTruth } from '../../demo/world/truth';
import { indexNames } from '../../search/indices';
import { describeDifference, graphOf, truthSnapshot } from '../support/graph';
import { startHarness, type Harness } from '../support/harness';
import { waitFor, waitForQuiet } from '../support/wait';

describe('ingestion: events → workflows → hydrate → persist → index', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ seed: 21, size: 120 });
  });
  after(async () => {
    await h.close();
  });

  const converged = async (): Promise<boolean> => {
    const [actual, expected] = [await graphOf(h.services.db, { inferred: false }), truthSnapshot(groundTruth(h.demo.world), { inferred: false })];
    return JSON.stringify(actual) === JSON.stringify(expected);
  };
  const explain = async (): Promise<string> => describeDifference(await graphOf(h.services.db, { inferred: false }), truthSnapshot(groundTruth(h.demo.world), { inferred: false }));

  it('when the world is announced, then the graph converges to the ground truth: entities, owners, tags and declared edges', async () => {
    await h.demo.announce();
    await waitFor('the graph to equal the ground truth', converged, { timeoutMs: 90_000, explain });
  });

  it('then every entity is searchable', async () => {
    const names = indexNames(h.services.config.elasticsearch.indexPrefix);
    const expected = groundTruth(h.demo.world).entities.length;
    await waitFor('every entity to be indexed', async () => {
      await h.services.search.indices.refresh({ index: names.entities });
      return (await h.services.search.count({ index: names.entities })).count === expected;
    });
    const hit = await h.services.search.search<{ uri: string; owners: string[]; tags: string[] }>({ index: names.entities, query: { term: { 'name.keyword': 'ranking-model v5' } } });
    assert.equal(hit.hits.hits[0]?._source?.uri, 'mlg://model-instance/registry/ranking-model-v5-20XX0101');
    assert.deepEqual(hit.hits.hits[0]?._source?.owners, ['mlg://user/identity/alice']);
    assert.deepEqual(hit.hits.hits[0]?._source?.tags, ['team::personalization']);
  });

  it('when the world changes and its events arrive, then the graph follows it', async () => {
    await h.demo.mutate(40);
    await waitFor('the graph to follow the mutations', converged, { timeoutMs: 90_000, explain });
  });

  it('when the same state is processed again, then no fact, edge or transaction is added', async () => {
    const count = async () => {
      const [tx, facts, edges] = await Promise.all(['tx', 'facts', 'edges'].map((t) => h.services.db.selectFrom(t as 'tx').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()));
      return [tx?.n, facts?.n, edges?.n];
    };
    const lastWrite = async () => JSON.stringify(await h.services.db.selectFrom('entities').select((eb) => eb.fn.max('last_hydrated_at').as('at')).executeTakeFirst());
    await waitForQuiet('the pipeline', lastWrite, { quietMs: 3000 });
    const before = await count();
    const announcedAt = new Date();
    const refreshed = await h.demo.announce();
    assert.ok(refreshed.length > 100);
    await waitFor('every entity to be hydrated again', async () => {
      const stale = await h.services.db.selectFrom('entities').select('uri').where('state', 'in', ['hydrated', 'enriched']).where('last_hydrated_at', '<', announcedAt).execute();
      return stale.length === 0;
    });
    await waitForQuiet('the pipeline', lastWrite, { quietMs: 2000 });
    assert.deepEqual(await count(), before);
  });
});
