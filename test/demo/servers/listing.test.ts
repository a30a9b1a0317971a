import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDemoSources, type DemoSources } from '../../../demo/demo-sources';

interface Page {
  items: { id?: string; run_id?: string; email?: string }[];
  next_page_token: string | null;
}

/** The listing endpoints of the source contract ("Listing", source-apis.md), on the demo sources. */
describe('demo source listings', () => {
  let demo: DemoSources;
  before(async () => {
    demo = await startDemoSources({ seed: 7, size: 400, port: 0 });
  });
  after(async () => {
    await demo.close();
  });
  const get = async (url: string): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(url);
    return { status: response.status, body: await response.json() };
  };
  const listAll = async (base: string, resource: string, query = ''): Promise<{ pages: number; ids: string[] }> => {
    const ids: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const { status, body } = await get(`${base}/api/v1/${resource}?limit=7${query}${token ? `&page_token=${token}` : ''}`);
      assert.equal(status, 200);
      const page = body as Page;
      pages++;
      assert.ok(page.items.length <= 7);
      ids.push(...page.items.map((item) => item.id ?? item.run_id ?? item.email ?? ''));
      token = page.next_page_token;
    } while (token);
    return { pages, ids };
  };

  it('when a collection is listed page by page, then every record comes exactly once, in a stable order, with the hydration payload', async () => {
    const { pages, ids } = await listAll(demo.urls.registry!, 'instances');
    const expected = [...demo.world.records.instances.keys()].sort();
    assert.deepEqual(ids, expected);
    assert.equal(pages, Math.max(1, Math.ceil(expected.length / 7)));
    const { body } = await get(`${demo.urls.registry!}/api/v1/instances?limit=1`);
    const first = (body as Page).items[0];
    assert.deepEqual(first, JSON.parse(JSON.stringify(demo.world.records.instances.get(expected[0]!))));
  });

  it('when every collection of every source is listed, then each holds what its source serves', async () => {
    const cases: [string, string, Map<string, unknown>][] = [
      [demo.urls.orchestrator!, 'pipeline-runs', demo.world.records.runs],
      [demo.urls.featurestore!, 'features', demo.world.records.features],
      [demo.urls.experiments!, 'tests', demo.world.records.tests],
      [demo.urls.datasets!, 'datasets', demo.world.records.datasets],
      [demo.urls.identity!, 'users', demo.world.records.users],
    ];
    for (const [base, resource, records] of cases) {
      const { body } = await get(`${base}/api/v1/${resource}?limit=1000`);
      assert.equal((body as Page).items.length, Math.min(records.size, 1000), resource);
    }
  });

  it('when updated_since is given, then only records changed at or after it come back', async () => {
    const since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const changed = await demo.mutate(20);
    const { ids } = await listAll(demo.urls.registry!, 'instances', `&updated_since=${encodeURIComponent(since)}`);
    const touched = new Set(
      changed
        .flatMap((m) => m.events.map((e) => (e as Record<string, string>).instance_id))
        .filter((id): id is string => typeof id === 'string'),
    );
    const stillThere = [...touched].filter((id) => demo.world.records.instances.has(id)).sort();
    assert.deepEqual(ids, stillThere);
  });

  it('when limit is over 1,000, then a page holds at most 1,000; when the parameters are bad, then 400 says which', async () => {
    const { body } = await get(`${demo.urls.identity!}/api/v1/users?limit=5000`);
    assert.ok((body as Page).items.length <= 1000);
    for (const [query, word] of [
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['page_token=not-a-token', 'page_token'],
      ['updated_since=yesterday', 'updated_since'],
    ] as const) {
      const answer = await get(`${demo.urls.registry!}/api/v1/models?${query}`);
      assert.equal(answer.status, 400, query);
      assert.match(JSON.stringify(answer.body), new RegExp(word));
    }
  });
});
