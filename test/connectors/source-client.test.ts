import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SourceClient } from '../../connectors/source-client';
import { startDemoSources, type DemoSources } from '../../demo/demo-sources';
import { SEED_EXAMPLE } from '../../demo/world/seed-example';

const PATH = `/api/v1/models/${SEED_EXAMPLE.modelId}`;

describe("a source's client", () => {
  let demo: DemoSources;
  before(async () => {
    demo = await startDemoSources({ seed: 9, size: 50, port: 0, only: ['registry'] });
  });
  after(async () => {
    await demo.close();
  });

  it('when the same entity is asked for twice within the cache window, then the source is called once', async () => {
    const client = new SourceClient('registry', demo.urls.registry!, { cacheMs: 60_000, timeoutMs: 5_000 });
    const before = demo.counters.pathCount('registry', PATH);
    await Promise.all([client.get(PATH), client.get(PATH)]);
    await client.get(PATH);
    assert.equal(demo.counters.pathCount('registry', PATH) - before, 1);
  });

  it('when a hydration begins after the cached answer was asked for, then it asks the source again: an event may be newer', async () => {
    const client = new SourceClient('registry', demo.urls.registry!, { cacheMs: 60_000, timeoutMs: 5_000 });
    const before = demo.counters.pathCount('registry', PATH);
    await client.get(PATH);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const began = Date.now();
    await client.get(PATH, { notBefore: began });
    await client.get(PATH, { notBefore: began });
    assert.equal(demo.counters.pathCount('registry', PATH) - before, 2, 'once before, once for the hydration (shared by the second)');
  });
});
