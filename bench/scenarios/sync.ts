import { setTimeout as sleep } from 'node:timers/promises';
import { MUTATION_KINDS, mutate } from '../../demo/world/mutate';
import { Random } from '../../demo/world/random';
import { groundTruth } from '../../demo/world/truth';
import type { SyncMode } from '../../domain/sync-mode';
import { REFERENCE_SOURCES, type ReferenceSource } from '../../domain/vocabulary';
import { documentsOfRows } from '../../search/documents';
import { createGeneration } from '../../search/indices';
import { rebuildIndices } from '../../search/rebuild';
import { entityRowPage } from '../../store/entity-reader';
import { startSync } from '../../temporal/sync-schedule';
import { waitForConvergence } from '../../test/support/convergence';
import { startHarness, type Harness } from '../../test/support/harness';
import { syncProgressQuery, type SyncProgress } from '../../workflows/sync';
import type { BenchReport } from '../report';

/** Listing requests each source may make per second (the same gate as hydration). */
const RATE = 5;
/** Page sizes: large, so that persistence bounds the sync; small, so that the sources' limits do. */
const LARGE_PAGE = 1000;
const SMALL_PAGE = 25;
/** How long the request-bound syncs are measured. */
const BOUND_SECONDS = 30;

/** Syncs every source side by side, identity first; resolves with each one's progress and seconds. */
async function syncAll(h: Harness, mode: SyncMode, pageSize: number): Promise<{ results: SyncProgress[]; seconds: number }> {
  const config = { ...h.services.config, sync: { ...h.services.config.sync, pageSize } };
  const one = async (source: ReferenceSource) =>
    (await startSync(h.services.temporal.client, config, { source, mode, since: null, force: false })).handle.result();
  const t = performance.now();
  const identity = await one('identity');
  const rest = await Promise.all(REFERENCE_SOURCES.filter((s) => s !== 'identity').map(one));
  return { results: [identity, ...rest], seconds: (performance.now() - t) / 1000 };
}

/**
 * Runs a full sync of every source with small pages for a while, so that the sources' request limits
 * bind, and answers each source's pages per second over its limit; the syncs are then stopped.
 */
async function requestShares(h: Harness): Promise<Record<string, number>> {
  const config = { ...h.services.config, sync: { ...h.services.config.sync, pageSize: SMALL_PAGE } };
  const handles = await Promise.all(
    REFERENCE_SOURCES.map(
      async (source) => (await startSync(h.services.temporal.client, config, { source, mode: 'full', since: null, force: false })).handle,
    ),
  );
  const pagesNow = async () =>
    Promise.all(handles.map(async (handle) => (await handle.query(syncProgressQuery).catch(() => null))?.pages ?? 0));
  // Past the start: every sync has asked for its first page.
  await sleep(3_000);
  const [before, t0] = [await pagesNow(), performance.now()];
  // Sampled each second: a source whose listing ends within the window is measured until its last page.
  const last = before.map((pages) => ({ pages, at: t0 }));
  while (performance.now() - t0 < BOUND_SECONDS * 1000) {
    await sleep(1000);
    const [now, at] = [await pagesNow(), performance.now()];
    now.forEach((pages, i) => {
      if (pages > (last[i]?.pages ?? 0)) last[i] = { pages, at };
    });
  }
  await Promise.all(handles.map((handle) => handle.terminate('benchmark: the request rate was measured').catch(() => undefined)));
  return Object.fromEntries(
    REFERENCE_SOURCES.map((source, i) => {
      const end = last[i] ?? { pages: 0, at: t0 };
      const seconds = (end.at - t0) / 1000;
      return [source, seconds > 0 ? (end.pages - (before[i] ?? 0)) / seconds / RATE : 0];
    }),
  );
}

/**
 * Reconciliation at scale: a world synced into an empty graph (persistence-bound, large pages), the
 * same listing again with small pages (bound by the sources' request limits), an incremental sync
 * after 1% of the world changed without events, then `mlg reindex`'s rebuild beside a raw `_bulk` of
 * the same documents.
 */
export async function syncScenario(opts: { size: number; command: string }): Promise<BenchReport> {
  const started = Date.now();
  const h = await startHarness({ seed: 202, size: opts.size, ratePerSecond: RATE });
  const say = (m: string) => console.log(`[bench] ${m}`);
  try {
    const truthEntities = groundTruth(h.demo.world).entities.length;
    say(`world of ${truthEntities} entities; full sync from empty`);
    const full = await syncAll(h, 'full', LARGE_PAGE);
    const listed = full.results.reduce((n, r) => n + r.entities, 0);
    await waitForConvergence(h, { timeoutMs: 120_000 });
    say(`full sync: ${listed} entities in ${full.seconds.toFixed(1)} s; graph = ground truth`);

    say(`full syncs again with pages of ${SMALL_PAGE} for ${BOUND_SECONDS} s: bound by ${RATE} requests/s per source`);
    const shares = await requestShares(h);
    const changes = Math.max(1, Math.round(truthEntities / 100));
    const rng = new Random(9);
    // Deletions show only in a full listing: the incremental sync is measured on changes and creations.
    const kinds = MUTATION_KINDS.filter((k) => k !== 'delete_instance');
    for (let i = 0; i < changes; i++) mutate(h.demo.world, rng, kinds[i % kinds.length]);
    say(`${changes} changes without events; incremental sync`);
    const incremental = await syncAll(h, 'incremental', LARGE_PAGE);
    await waitForConvergence(h, { timeoutMs: 120_000 });
    const incrementalListed = incremental.results.reduce((n, r) => n + r.entities, 0);

    say('reindex');
    const prefix = h.services.config.elasticsearch.indexPrefix;
    const reindex = await rebuildIndices(h.services.db, h.services.search, prefix);
    // The reference: the same documents (entities and owners, under the same ids: their URIs),
    // prepared beforehand, sent as raw _bulk requests of 1,000, two in flight as the rebuild does.
    const scratchIndices = await createGeneration(h.services.search, prefix, 'bench-raw-bulk');
    const actions: object[][] = [];
    let entityDocs = 0;
    for (let after = ''; ;) {
      const rows = await entityRowPage(h.services.db, after, 1000);
      if (rows.length === 0) break;
      const docs = await documentsOfRows(h.services.db, rows);
      entityDocs += docs.entities.length;
      actions.push(
        ...docs.entities.map((doc) => [{ index: { _index: scratchIndices.entities, _id: doc.uri } }, doc]),
        ...docs.owners.map((doc) => [{ index: { _index: scratchIndices.owners, _id: doc.uri } }, doc]),
      );
      after = rows.at(-1)?.uri ?? after;
    }
    const tRaw = performance.now();
    const requests: object[][] = [];
    for (let i = 0; i < actions.length; i += 1000) requests.push(actions.slice(i, i + 1000).flat());
    const sendAll = async () => {
      for (let next = requests.shift(); next; next = requests.shift())
        if ((await h.services.search.bulk({ operations: next })).errors) throw new Error('a raw _bulk request had failed actions');
    };
    await Promise.all([sendAll(), sendAll()]);
    await h.services.search.indices.refresh({ index: [scratchIndices.entities, scratchIndices.owners] });
    const rawSeconds = (performance.now() - tRaw) / 1000;
    await h.services.search.indices.delete({ index: [scratchIndices.entities, scratchIndices.owners], ignore_unavailable: true });

    const entitiesPerSecond = listed / full.seconds;
    const requestShareValues = Object.values(shares);
    const reindexDocsPerSecond = reindex.entities / reindex.seconds;
    const rawDocsPerSecond = entityDocs / rawSeconds;
    return {
      scenario: 'sync',
      command: opts.command,
      startedAt: new Date(started).toISOString(),
      durationSeconds: (Date.now() - started) / 1000,
      params: {
        size: opts.size,
        entities: truthEntities,
        ratePerSecondPerSource: RATE,
        largePage: LARGE_PAGE,
        smallPage: SMALL_PAGE,
        changes,
      },
      figures: {
        fullSyncSeconds: full.seconds,
        fullSyncEntitiesPerSecond: entitiesPerSecond,
        ...Object.fromEntries(Object.entries(shares).map(([s, share]) => [`boundRequestsOverLimit.${s}`, share])),
        incrementalSeconds: incremental.seconds,
        incrementalListed,
        reindexDocsPerSecond,
        rawBulkDocsPerSecond: rawDocsPerSecond,
      },
      ratios: {
        boundRequestsOverLimitMin: Math.min(...requestShareValues),
        boundRequestsOverLimitMean: requestShareValues.reduce((a, b) => a + b, 0) / Math.max(requestShareValues.length, 1),
        reindexOverRawBulk: reindexDocsPerSecond / rawDocsPerSecond,
      },
      chart: {
        title: 'Sync and reindex throughput',
        unit: 'per second',
        bars: [
          { label: 'full sync, entities/s', value: entitiesPerSecond },
          { label: 'reindex, documents/s', value: reindexDocsPerSecond },
          { label: 'raw _bulk, documents/s', value: rawDocsPerSecond },
        ],
      },
      notes: [
        `Each source may make ${RATE} requests a second (the rate gate hydration uses); each listing page is one request.`,
        `The full sync from empty uses pages of ${LARGE_PAGE}: persistence bounds it. Then full syncs of every source list the world in pages of ${SMALL_PAGE} for ${BOUND_SECONDS} s, so that the request limits bind: boundRequestsOverLimit is each source's pages per second over its limit, sampled each second until its last page (a small source's listing ends early; the syncs are then stopped). The gate's window is 1.15 s (a 150 ms margin, store/rate-gate.ts), so 1/1.15 = 0.87 is its ceiling.`,
        'The graph is compared with the ground truth after the full and the incremental sync (entities, owners, tags, declared edges).',
        'The reindex reads every entity from PostgreSQL and writes a new index generation (entity and owner documents, two requests in flight); the raw _bulk sends the same documents under the same ids (their URIs), prepared beforehand, in requests of 1,000, two in flight, to scratch indices with the same mappings and settings (no refresh, no replica). Both count entities per second.',
      ],
    };
  } finally {
    await h.close();
  }
}
