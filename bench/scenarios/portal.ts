import { demoToken } from '../../platform/config';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../api/app';
import { listen } from '../../api/server';
import { dataPlatformEvents, sendDataPlatformEvents } from '../../demo/openlineage/data-platform';
import { SEED_EXAMPLE } from '../../demo/world/seed-example';
import { createLogger } from '../../platform/logger';
import { buildPortal } from '../../portal/build';
import { rebuildIndices } from '../../search/rebuild';
import { startSyncAll } from '../../temporal/sync-schedule';
import { openBrowser } from '../../test/support/browser';
import { runSweep, waitForConvergence } from '../../test/support/convergence';
import { startHarness, type Harness } from '../../test/support/harness';
import { percentile, type BenchReport } from '../report';
import { loadGeneratedGraph } from './graph-fixture';

const SCREENSHOTS = path.resolve('docs/screenshots');
const PAGE_LOADS = 15;
const QUERIES = 30;
const LINEAGE_DRAWS = 5;
/** The lineage picture measured: a graph of about this many nodes. */
const LINEAGE_NODES = { min: 450, target: 500, max: 600 };
const LARGE_GRAPH_SIZE = 20_000;

const ms = async (fn: () => Promise<unknown>): Promise<number> => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
const stats = (values: readonly number[]) => ({ p50: percentile(values, 50), p95: percentile(values, 95), max: Math.max(...values) });

/** A fresh browser context (nothing cached) already holding the read token, as after signing in. */
async function freshPage(browser: Browser, token: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addInitScript((t) => sessionStorage.setItem('mlg-token', t), token);
  return context.newPage();
}

async function shot(page: Page, name: string, url: string, ready: (page: Page) => Promise<unknown>): Promise<string> {
  await page.goto(url);
  await ready(page);
  await page.waitForTimeout(300);
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return path.relative(process.cwd(), file);
}

/**
 * The portal measured in Debian's chromium: an entity page's first load (cold cache) and search
 * results as you type on the demo world brought in as `npm start` does, beside the API calls they
 * make; then the lineage picture of a ~500-node graph from a generated graph loaded in bulk, beside
 * the lineage API call alone. Also takes the screenshots in docs/screenshots.
 */
export async function portalScenario(opts: { size: number; command: string }): Promise<BenchReport> {
  const started = Date.now();
  const say = (m: string) => console.log(`[bench] ${m}`);
  const h: Harness = await startHarness({ seed: 11, size: opts.size });
  let browser: Browser | null = null;
  try {
    await buildPortal();
    const server = await listen(createApp({ services: h.services, logger: createLogger({ logLevel: 'silent' }) }), '127.0.0.1', 0);
    const base = `http://127.0.0.1:${server.port}`;
    const token = demoToken('read');
    const write = demoToken('admin');
    const api = async (p: string): Promise<unknown> => {
      const response = await fetch(`${base}${p}`, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`${p}: ${response.status}`);
      return response.json();
    };
    await startSyncAll(h.services.temporal.client, h.services.config, 'full');
    await waitForConvergence(h, { timeoutMs: 600_000 });
    await sendDataPlatformEvents(base, write, dataPlatformEvents(h.demo.world, { datasets: 5 }));
    await runSweep(h);
    say(`demo world of ${h.demo.world.size()} records in the graph`);
    browser = await openBrowser();

    // 1. First load of an entity page, cold: a new context per load.
    const instances = [...h.demo.world.records.instances.keys()].slice(0, PAGE_LOADS);
    const pageLoads: number[] = [];
    const entityCalls: number[] = [];
    for (const id of instances) {
      const page = await freshPage(browser, token);
      pageLoads.push(
        await ms(async () => {
          await page.goto(`${base}/entity/model-instance/registry/${encodeURIComponent(id)}`);
          await page.getByRole('region', { name: 'Relationships' }).waitFor();
          // Loaded: the panel's own reads (the producing run, usage) have answered too.
          await page.waitForFunction(`!document.body.innerText.includes('Loading…')`);
        }),
      );
      await page.context().close();
      entityCalls.push(await ms(() => api(`/v1/entities/model-instance/registry/${encodeURIComponent(id)}`)));
    }
    say(`entity page first load p50 ${percentile(pageLoads, 50).toFixed(0)} ms`);

    // 2. Search as you type: from the last keystroke to the suggestions of that text.
    const names = [...h.demo.world.records.features.values(), ...h.demo.world.records.datasets.values()]
      .map((r) => r.name)
      .slice(0, QUERIES);
    const queries = names.map((name, i) => (i % 3 === 2 ? name.slice(0, 3) + name.slice(4) : name));
    const page = await freshPage(browser, token);
    await page.goto(`${base}/`);
    const box = page.getByRole('combobox');
    const typed: number[] = [];
    const searchCalls: number[] = [];
    for (const q of queries) {
      await box.fill('');
      typed.push(
        await ms(async () => {
          await box.fill(q);
          await page.locator('[role=listbox][aria-busy=false]').waitFor();
        }),
      );
      searchCalls.push(await ms(() => api(`/v1/search?q=${encodeURIComponent(q)}&limit=8`)));
    }
    say(`search as you type p95 ${percentile(typed, 95).toFixed(0)} ms`);

    // Screenshots of the demo world: the search, an entity page of each kind, the lineage picture.
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const e = SEED_EXAMPLE;
    const region = (name: string) => (p: Page) => p.getByRole('region', { name }).first().waitFor();
    const shots = [
      await shot(page, 'search', `${base}/search?q=ranking`, region('Results')),
      await shot(page, 'model-instance', `${base}/entity/model-instance/registry/${e.instanceId}`, region('Features')),
      await shot(page, 'model', `${base}/entity/model/registry/${e.modelId}`, (p) => p.locator('.timeline li').first().waitFor()),
      await shot(page, 'feature', `${base}/entity/feature/featurestore/${e.featureId}`, region('Source datasets')),
      await shot(page, 'dataset', `${base}/entity/dataset/datasets/${e.datasetId}`, region('Schema')),
      await shot(page, 'pipeline', `${base}/entity/pipeline/orchestrator/${e.pipelineId}`, (p) => p.locator('tbody tr').first().waitFor()),
      await shot(page, 'ab-test', `${base}/entity/ab-test/experiments/${e.testId}`, region('Cells')),
      await shot(page, 'team', `${base}/entity/team/identity/${e.teamId}`, region('Owns')),
      await shot(page, 'user', `${base}/entity/user/identity/${e.username}`, region('Owns')),
      await shot(page, 'lineage', `${base}/entity/model-instance/registry/${e.instanceId}?view=lineage&direction=both&depth=2`, (p) =>
        p.locator('.react-flow__node').first().waitFor(),
      ),
      await shot(page, 'impact', `${base}/entity/feature/featurestore/${e.featureId}?view=impact`, region('Notify')),
    ];
    await page.context().close();

    // 3. The lineage picture of a ~500-node graph, from a generated graph loaded in bulk.
    const truth = await loadGeneratedGraph(h.services.db, LARGE_GRAPH_SIZE, say);
    await rebuildIndices(h.services.db, h.services.search, h.services.config.elasticsearch.indexPrefix);
    const degree = new Map<string, number>();
    for (const edge of truth.edges) if (edge.object.includes('//dataset/')) degree.set(edge.object, (degree.get(edge.object) ?? 0) + 1);
    const candidates = [...degree.entries()].sort((a, b) => b[1] - a[1]).map(([uri]) => uri);
    let chosen: { root: string; depth: number; nodes: number } | null = null;
    for (const root of candidates.slice(0, 40)) {
      for (let depth = 1; depth <= 10 && !chosen; depth++) {
        const answer = (await api(`${root.replace(/^mlg:\/\//, '/v1/entities/')}/lineage?direction=both&depth=${depth}`)) as {
          nodes: unknown[];
          truncated: boolean;
        };
        const nodes = answer.nodes.length + 1;
        if (answer.truncated || nodes > LINEAGE_NODES.max) break;
        if (nodes >= LINEAGE_NODES.min) chosen = { root, depth, nodes };
      }
      if (chosen) break;
    }
    if (!chosen) throw new Error(`no root with a lineage of ${LINEAGE_NODES.min}–${LINEAGE_NODES.max} nodes`);
    say(`lineage picture: ${chosen.nodes} nodes at depth ${chosen.depth}`);
    const portalPath = `${chosen.root.replace(/^mlg:\/\//, '/entity/')}?view=lineage&direction=both&depth=${chosen.depth}`;
    const draws: number[] = [];
    const lineageCalls: number[] = [];
    for (let i = 0; i < LINEAGE_DRAWS; i++) {
      const p = await freshPage(browser, token);
      const expected = chosen.nodes;
      draws.push(
        await ms(async () => {
          await p.goto(`${base}${portalPath}`);
          await p.waitForFunction(`document.querySelectorAll('.react-flow__node').length >= ${expected}`, null, { timeout: 60_000 });
          // Drawn: React Flow has measured the nodes and shows them (it hides them until then).
          await p.waitForFunction(`document.querySelector('.react-flow__node[style*="visibility: hidden"]') === null`, null, {
            timeout: 60_000,
          });
        }),
      );
      await p.context().close();
      lineageCalls.push(
        await ms(() => api(`${chosen.root.replace(/^mlg:\/\//, '/v1/entities/')}/lineage?direction=both&depth=${chosen.depth}`)),
      );
    }
    await server.close();
    const figures = {
      entityPageFirstLoadMs: stats(pageLoads),
      entityApiCallMs: stats(entityCalls),
      searchAsYouTypeMs: stats(typed),
      searchApiCallMs: stats(searchCalls),
      lineagePicture: { nodes: chosen.nodes, depth: chosen.depth, drawnMs: stats(draws), apiCallMs: stats(lineageCalls) },
      screenshots: shots,
    };
    return {
      scenario: 'portal',
      command: opts.command,
      startedAt: new Date(started).toISOString(),
      durationSeconds: Math.round((Date.now() - started) / 1000),
      params: { demoSize: opts.size, pageLoads: PAGE_LOADS, queries: QUERIES, lineageDraws: LINEAGE_DRAWS, largeGraph: LARGE_GRAPH_SIZE },
      figures,
      ratios: {
        entityPageOverApiP50: percentile(pageLoads, 50) / percentile(entityCalls, 50),
        searchAsYouTypeOverApiP95: percentile(typed, 95) / percentile(searchCalls, 95),
        lineageDrawnOverApiP50: percentile(draws, 50) / percentile(lineageCalls, 50),
      },
      chart: {
        title: 'The portal in chromium, beside the API calls it makes',
        unit: 'ms',
        bars: [
          { label: 'entity page, first load p50', value: percentile(pageLoads, 50) },
          { label: 'entity API call p50', value: percentile(entityCalls, 50) },
          { label: 'search as you type p95', value: percentile(typed, 95) },
          { label: 'search API call p95', value: percentile(searchCalls, 95) },
          { label: `lineage picture (${chosen.nodes} nodes) p50`, value: percentile(draws, 50) },
          { label: 'lineage API call p50', value: percentile(lineageCalls, 50) },
        ],
      },
      notes: [
        'Each entity page load and each lineage picture starts in a new browser context: nothing cached.',
        "Search as you type includes the box's 120 ms debounce: from filling the box to its suggestions for that text.",
        'The lineage picture is timed from navigation until every node is in the page and React Flow shows them (laid out by dagre).',
        'Target for the lineage picture of 500 nodes: ≤ 1.5 s on this machine.',
      ],
    };
  } finally {
    await browser?.close();
    await h.close();
  }
}
