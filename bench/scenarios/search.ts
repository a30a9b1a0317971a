import { createApp } from '../../api/app';
import { listen } from '../../api/server';
import { generateWorld } from '../../demo/world/generate';
import { parseUri } from '../../domain/uri';
import { Random } from '../../demo/world/random';
import { groundTruth } from '../../demo/world/truth';
import { createLogger } from '../../platform/logger';
import type { EntityDocument } from '../../search/documents';
import { ensureIndices } from '../../search/indices';
import { entityQuery } from '../../search/query';
import { startHarness } from '../../test/support/harness';
import { percentile, type BenchReport } from '../report';

const QUERIES = 1000;

/** Search latency through the API over a large entities index, for a mix of exact names, typos and filters. */
export async function searchScenario(opts: { size: number; command: string; queries?: number }): Promise<BenchReport> {
  const count = opts.queries ?? QUERIES;
  const started = Date.now();
  const h = await startHarness({ seed: 121, size: 10, inProcessPipeline: false });
  const say = (m: string) => console.log(`[bench] ${m}`);
  try {
    const truth = groundTruth(generateWorld({ seed: 7, size: opts.size }));
    const names = await ensureIndices(h.services.search, h.services.config.elasticsearch.indexPrefix);
    await h.services.search.indices.putSettings({ index: names.entities, settings: { refresh_interval: '-1' } });
    const tLoad = Date.now();
    for (let i = 0; i < truth.entities.length; i += 5000) {
      const docs: EntityDocument[] = truth.entities.slice(i, i + 5000).map((e) => ({
        uri: e.uri,
        type: e.type,
        source: parseUri(e.uri).source,
        nativeId: parseUri(e.uri).nativeId,
        name: e.name,
        description: null,
        state: 'hydrated',
        owners: [...e.owners],
        ownerNames: [],
        teams: [],
        tags: e.tags.map((t) => `${t.tag}::${t.value}`),
        related: [],
        updatedAt: new Date().toISOString(),
      }));
      const response = await h.services.search.bulk({
        operations: docs.flatMap((d) => [{ index: { _index: names.entities, _id: d.uri } }, d]),
      });
      if (response.errors) throw new Error('bulk load failed');
      if (i % 100_000 === 0) say(`indexed ${i + docs.length} of ${truth.entities.length}`);
    }
    await h.services.search.indices.putSettings({ index: names.entities, settings: { refresh_interval: '1s' } });
    await h.services.search.indices.refresh({ index: names.entities });
    const loadSeconds = (Date.now() - tLoad) / 1000;

    const random = new Random(5);
    const typo = (s: string) => {
      const i = random.int(1, Math.max(1, s.length - 2));
      return s.slice(0, i) + s.slice(i + 1);
    };
    const queries = Array.from({ length: count }, (_, i) => {
      const e = random.pick(truth.entities);
      if (i % 10 < 4) return { kind: 'exact', q: e.name, type: [] as string[], tag: [] as string[] };
      if (i % 10 < 7) return { kind: 'typo', q: typo(e.name), type: [], tag: [] };
      return {
        kind: 'filtered',
        q: e.name.split(/[- ]/)[0] ?? e.name,
        type: [e.type],
        tag: e.tags.slice(0, 1).map((t) => `${t.tag}::${t.value}`),
      };
    });
    const server = await listen(createApp({ services: h.services, logger: createLogger({ logLevel: 'silent' }) }), '127.0.0.1', 0);
    const latency: Record<string, number[]> = { exact: [], typo: [], filtered: [], direct: [] };
    let exactFirst = 0;
    for (const q of queries) {
      const params = new URLSearchParams({ q: q.q, limit: '10' });
      if (q.type.length > 0) params.set('type', q.type.join(','));
      if (q.tag.length > 0) params.set('tag', q.tag.join(','));
      const t = performance.now();
      const body = (await (
        await fetch(`http://127.0.0.1:${server.port}/v1/search?${params.toString()}`, {
          headers: { authorization: 'Bearer mlg-demo-read-token' },
        })
      ).json()) as { hits: { name: string }[] };
      latency[q.kind]?.push(performance.now() - t);
      if (q.kind === 'exact' && body.hits[0]?.name.toLowerCase() === q.q.toLowerCase()) exactFirst += 1;
      const d = performance.now();
      await h.services.search.search({
        index: names.entities,
        size: 10,
        query: entityQuery({ q: q.q, types: q.type, owners: [], tags: q.tag, limit: 10, offset: 0 }),
      });
      latency.direct?.push(performance.now() - d);
    }
    await server.close();
    const all = [...(latency.exact ?? []), ...(latency.typo ?? []), ...(latency.filtered ?? [])];
    const figures: Record<string, number> = {
      documents: truth.entities.length,
      bulkLoadSeconds: loadSeconds,
      apiP50ms: percentile(all, 50),
      apiP99ms: percentile(all, 99),
      exactNameRankedFirst: exactFirst / (latency.exact?.length ?? 1),
    };
    for (const kind of ['exact', 'typo', 'filtered', 'direct']) {
      figures[`${kind}P50ms`] = percentile(latency[kind] ?? [], 50);
      figures[`${kind}P99ms`] = percentile(latency[kind] ?? [], 99);
    }
    return {
      scenario: 'search',
      command: opts.command,
      startedAt: new Date(started).toISOString(),
      durationSeconds: (Date.now() - started) / 1000,
      params: { size: opts.size, queries: count, mix: '40% exact names, 30% typos, 30% with type and tag filters' },
      figures,
      ratios: {
        apiP50OverDirectEsP50: percentile(all, 50) / Math.max(percentile(latency.direct ?? [], 50), 1e-3),
        apiP99OverDirectEsP99: percentile(all, 99) / Math.max(percentile(latency.direct ?? [], 99), 1e-3),
      },
      chart: {
        title: 'Search latency',
        unit: 'ms',
        bars: ['exact', 'typo', 'filtered', 'direct'].flatMap((k) => [
          { label: `${k} p50`, value: figures[`${k}P50ms`] ?? 0 },
          { label: `${k} p99`, value: figures[`${k}P99ms`] ?? 0 },
        ]),
      },
      notes: [
        '"direct" is the same query sent straight to Elasticsearch through the client: the reference for the API\'s own overhead.',
        'Exact names are often shared by several entities in a generated world (a model and its name-alike), so exactNameRankedFirst counts a hit whose name equals the query.',
      ],
    };
  } finally {
    await h.close();
  }
}
