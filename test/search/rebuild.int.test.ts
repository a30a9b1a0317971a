import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { uriOf } from '../../domain/uri';
import { dropIndices, ensureIndices, indexNames } from '../../search/indices';
import { rebuildIndices } from '../../search/rebuild';
import { bulkLoadGraph } from '../../store/bulk-load';
import { startHarness, type Harness } from '../support/harness';

const COUNT = 5_000;

describe('rebuilding the search indices', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ seed: 31, size: 10, inProcessPipeline: false });
    const entities = Array.from({ length: COUNT }, (_, i) => {
      const nativeId = `rebuild-${String(i).padStart(5, '0')}`;
      return { uri: uriOf('dataset', nativeId), type: 'dataset' as const, nativeId, name: nativeId };
    });
    await bulkLoadGraph(h.services.db, { entities, edges: [] });
    await ensureIndices(h.services.search, h.services.config.elasticsearch.indexPrefix);
  });
  after(async () => {
    await dropIndices(h.services.search, h.services.config.elasticsearch.indexPrefix);
    await h.close();
  });

  it('when a write that began before the rebuild commits after its page was read, then the new index has it, and nothing older is written twice', async () => {
    const prefix = h.services.config.elasticsearch.indexPrefix;
    const first = uriOf('dataset', 'rebuild-00000');
    // A live write already under way: its transaction stamps the entity with its own (earlier) time.
    const { promise: released, resolve: commit } = Promise.withResolvers<void>();
    const { promise: updated, resolve: hasUpdated } = Promise.withResolvers<void>();
    const committed = h.services.db.transaction().execute(async (trx) => {
      await sql`update entities set name = 'renamed while rebuilding', touched_at = now() where uri = ${first}`.execute(trx);
      hasUpdated();
      await released;
    });
    await updated;
    // The rebuild reads the first page (which holds the entity) before that write commits.
    const rebuilt = rebuildIndices(h.services.db, h.services.search, prefix, ({ done }) => {
      if (done > 0) commit();
    });
    await committed;
    const result = await rebuilt;
    const { n } = await h.services.db.selectFrom('entities').select(h.services.db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(result.entities, Number(n));
    assert.equal(result.caughtUp, 1, 'only the entity written during the rebuild is written again');
    const { entities } = indexNames(prefix);
    await h.services.search.indices.refresh({ index: entities });
    const doc = await h.services.search.get<{ name: string }>({ index: entities, id: first });
    assert.equal(doc._source?.name, 'renamed while rebuilding');
  });
});
