import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { entityDeclaration } from '../../connectors';
import { fetchListingPage, listableTypes, listingPath } from '../../connectors/listing';
import { SourceClient } from '../../connectors/source-client';
import { startDemoSources, type DemoSources } from '../../demo/demo-sources';
import { REFERENCE_SOURCES } from '../../domain/vocabulary';

describe('listing through the connectors', () => {
  let demo: DemoSources;
  before(async () => {
    demo = await startDemoSources({ seed: 9, size: 300, port: 0 });
  });
  after(async () => {
    await demo.close();
  });

  it('when a listing page is asked for, then its path carries the limit, the token and the time', () => {
    assert.equal(listingPath('/api/v1/models', { limit: 50, pageToken: null, updatedSince: null }), '/api/v1/models?limit=50');
    assert.equal(
      listingPath('/api/v1/models', { limit: 5, pageToken: 'abc', updatedSince: new Date('2026-01-02T03:04:05Z') }),
      '/api/v1/models?limit=5&page_token=abc&updated_since=2026-01-02T03%3A04%3A05.000Z',
    );
  });

  it("when every listable type of every source is listed to its end, then the normalized entities are exactly the sources' records", async () => {
    const listed = new Map<string, number>();
    for (const source of REFERENCE_SOURCES) {
      const client = new SourceClient(source, demo.urls[source]!, { cacheMs: 0, timeoutMs: 5_000 });
      for (const { type, path } of listableTypes(source)) {
        const declaration = entityDeclaration(type, source);
        assert.ok('normalize' in declaration);
        let pageToken: string | null = null;
        let count = 0;
        do {
          const page = await fetchListingPage(client, source, path, { limit: 100, pageToken, updatedSince: null });
          for (const item of page.items) assert.equal(declaration.normalize(item).primary.type, type);
          count += page.items.length;
          pageToken = page.nextPageToken;
        } while (pageToken);
        listed.set(type, count);
      }
    }
    const r = demo.world.records;
    assert.deepEqual(Object.fromEntries(listed), {
      model: r.models.size,
      'model-instance': r.instances.size,
      service: r.services.size,
      pipeline: r.pipelines.size,
      'pipeline-run': r.runs.size,
      feature: r.features.size,
      'ab-test': r.tests.size,
      dataset: r.datasets.size,
      user: r.users.size,
      team: r.teams.size,
    });
  });

  it('when a path is not a listing, then the error says the source does not list there', async () => {
    const client = new SourceClient('registry', demo.urls.registry!, { cacheMs: 0, timeoutMs: 5_000 });
    await assert.rejects(
      fetchListingPage(client, 'registry', '/api/v1/models/no-such-model', { limit: 10, pageToken: null, updatedSince: null }),
      /does not serve a listing/,
    );
  });
});
