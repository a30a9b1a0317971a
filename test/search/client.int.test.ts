import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSearchClient, pingElasticsearch, type SearchClient } from '../../search/client';
import { testConfig, uniqueName } from '../support/services';

describe('Elasticsearch', () => {
  let client: SearchClient;
  const index = `${testConfig().elasticsearch.indexPrefix}${uniqueName('smoke')}`;
  before(() => {
    client = createSearchClient(testConfig().elasticsearch);
  });
  after(async () => {
    await client.indices.delete({ index, ignore_unavailable: true });
    await client.close();
  });

  it('when pinged, then it reports a usable cluster', async () => {
    const { status, version } = await pingElasticsearch(client);
    assert.ok(['green', 'yellow'].includes(status));
    assert.match(version, /^\d+\.\d+/);
  });

  it('when a document is indexed, then a fuzzy search finds it', async () => {
    await client.index({
      index,
      id: 'ranking-model',
      document: { name: 'ranking-model', description: 'ranks the homepage' },
      refresh: 'wait_for',
    });
    await client.index({ index, id: 'churn-model', document: { name: 'churn-model', description: 'predicts churn' }, refresh: 'wait_for' });
    const result = await client.search<{ name: string }>({
      index,
      query: { match: { description: { query: 'homepag', fuzziness: 'AUTO' } } },
    });
    assert.deepEqual(
      result.hits.hits.map((hit) => hit._id),
      ['ranking-model'],
    );
  });
});
