import { sql } from 'kysely';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { predicatesWithRole as byRole } from '../../domain/vocabulary';
import { allVisibleShares } from '../../store/bulk-load';
import { createDatabase } from '../../store/database';
import { startHarness } from '../../test/support/harness';
import { percentile, type BenchReport } from '../report';
import type { GroundTruth } from '../../demo/world/truth';
import { loadGeneratedGraph } from './graph-fixture';

const DEPTHS = [1, 3, 6, 10, 20];
const REQUESTS = 15;
/** Measured requests per root and cell, after one unmeasured warm-up. */
const ROUNDS = 3;
const RAW_SQL_TIMEOUT_MS = 10_000;
/** The downstream walk's predicates: out along these, in along the others. */
const [downOut, upIn, members] = [byRole('object-downstream'), byRole('object-upstream'), byRole('containment')];

/**
 * From the loaded world, what the measurements need, so that the world itself can be collected: the
 * roots (datasets by in-degree: the largest downstream fan-out and a sample of the long tail) and the
 * in-memory reference's adjacency of the same edges, downstream.
 */
function referenceOf(truth: GroundTruth, requests: number) {
  const degree = new Map<string, number>();
  for (const e of truth.edges) if (e.object.includes('//dataset/')) degree.set(e.object, (degree.get(e.object) ?? 0) + 1);
  const ranked = [...degree.entries()].sort((a, b) => b[1] - a[1]).map(([uri]) => uri);
  const next = new Map<string, string[]>();
  const link = (from: string, to: string) => {
    const list = next.get(from);
    if (list) list.push(to);
    else next.set(from, [to]);
  };
  for (const e of truth.edges) {
    if (downOut.includes(e.predicate)) link(e.subject, e.object);
    if (upIn.includes(e.predicate) || members.includes(e.predicate)) link(e.object, e.subject);
  }
  return {
    roots: { large: ranked.slice(0, requests), small: ranked.slice(-requests) },
    next,
    entities: truth.entities.length,
    edges: truth.edges.length,
  };
}

/** `api-process.ts` started with the harness's environment; resolves once it listens. */
async function startApiProcess(env: NodeJS.ProcessEnv): Promise<{ port: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/scenarios/api-process.ts'], {
    env: { ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const [line] = (await Promise.race([once(createInterface({ input: child.stdout }), 'line'), exited])) as unknown[];
  if (typeof line !== 'string') throw new Error(`the API process exited before it listened (${String(child.exitCode)})`);
  const { port } = JSON.parse(line) as { port: number };
  return {
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A GET over one kept-alive connection, read to its end: the lightest client Node has, like pg's for the reference. */
function getter(port: number, headers: Record<string, string>): (path: string) => Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return (path) =>
    new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
          if (res.statusCode !== 200) reject(new Error(`GET ${path} answered ${res.statusCode}`));
          res.resume().once('end', resolve).once('error', reject);
        })
        .once('error', reject);
    });
}

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/**
 * Lineage latency through the HTTP API on a large graph loaded in bulk, at several depths, for roots
 * with small and large results; beside it, the same downstream walk as one raw recursive SQL
 * statement through pg, and as a BFS over the same edges held in memory.
 */
export async function traverseScenario(opts: { size: number; command: string; requests?: number }): Promise<BenchReport> {
  const requests = opts.requests ?? REQUESTS;
  const started = Date.now();
  const h = await startHarness({ seed: 111, size: 10, inProcessPipeline: false });
  const say = (m: string) => console.log(`[bench] ${m}`);
  // One statement, no global visited set: a hub's (node, depth) pairs can multiply with depth, so
  // the reference runs on connections with a statement timeout of their own (set when they open, so
  // each measurement is one round trip) and a timeout is recorded, not thrown.
  const referenceDb = createDatabase(h.services.config.postgres, { max: 1, statementTimeoutMs: RAW_SQL_TIMEOUT_MS });
  // Stopped however the run ends: a child process left running would keep this one from exiting.
  let apiProcess: Awaited<ReturnType<typeof startApiProcess>> | undefined;
  try {
    const { roots, next, entities, edges } = referenceOf(await loadGeneratedGraph(h.services.db, opts.size, say), requests);
    // Index-only scans read the heap where the visibility map does not cover a page: said beside the figures.
    const allVisible = await allVisibleShares(h.services.db);
    // The API in a process of its own, as deployed: this one holds the in-memory reference (a large
    // heap whose garbage collection the service would never pay for).
    apiProcess = await startApiProcess(h.env);
    const path = (uri: string) => uri.replace(/^mlg:\/\//, '/v1/entities/');
    const memoryBfs = (root: string, depth: number, cap: number): number => {
      const seen = new Set([root]);
      let frontier = [root];
      for (let d = 0; d < depth && frontier.length > 0 && seen.size <= cap; d++) {
        const n: string[] = [];
        for (const uri of frontier) {
          for (const o of next.get(uri) ?? []) {
            if (seen.has(o)) continue;
            seen.add(o);
            n.push(o);
          }
        }
        frontier = n;
      }
      return seen.size;
    };
    const rawSql = (root: string, depth: number, cap: number) =>
      sql`
      with recursive walk(uri, depth) as (
        select ${root}::text, 0
        union
        select case when e.subject = w.uri then e.object else e.subject end, w.depth + 1
        from walk w join current_edges e on (e.subject = w.uri and e.predicate = any(${downOut}::text[])) or (e.object = w.uri and e.predicate = any(${[...upIn, ...members]}::text[]))
        where w.depth < ${depth}
      ) select uri, min(depth) from walk group by uri limit ${cap}`.execute(referenceDb);
    const get = getter(apiProcess.port, { authorization: 'Bearer mlg-demo-read-token' });

    const figures: Record<string, number> = {};
    const bars: { label: string; value: number }[] = [];
    const ratios: Record<string, number> = {};
    const cap = h.services.config.api.nodeCap;
    const timedOutBefore = new Set<string>();
    for (const [kind, list] of Object.entries(roots)) {
      for (const depth of DEPTHS) {
        const api: number[] = [];
        const raw: number[] = [];
        const mem: number[] = [];
        const ask = (root: string) => get(`${path(root)}/lineage?direction=downstream&depth=${depth}`);
        // The reference as long as it finishes; a timeout is recorded, and ends it for this kind of root.
        let rawTimeouts = 0;
        const runReference = async (measured: boolean) => {
          for (const root of list) {
            if (rawTimeouts > 0 || timedOutBefore.has(kind)) return;
            try {
              const ms = await timed(() => rawSql(root, depth, cap));
              if (measured) raw.push(ms);
            } catch (error) {
              if ((error as { code?: string }).code !== '57014') throw error;
              rawTimeouts += 1;
            }
          }
        };
        // Warm-up, not measured: each root once by the reference, then by the API, so that both are
        // measured on warm caches (each reads pages the other does not: the walk reads the edge index
        // alone, the reference also the edge table). A reference that runs into its timeout churns the
        // buffer cache, so the API's warm-up comes after it.
        await runReference(false);
        for (const root of list) await ask(root);
        for (let round = 0; round < ROUNDS; round++) {
          for (const root of list) {
            api.push(await timed(() => ask(root)));
            mem.push(await timed(async () => memoryBfs(root, depth, cap)));
          }
          await runReference(true);
        }
        // Once the single statement times out at a depth, it cannot do better deeper down.
        if (rawTimeouts > 0) timedOutBefore.add(kind);
        const key = `${kind}.depth${depth}`;
        figures[`${key}.apiP50ms`] = percentile(api, 50);
        figures[`${key}.apiP99ms`] = percentile(api, 99);
        figures[`${key}.rawSqlP50ms`] = timedOutBefore.has(kind) ? -1 : percentile(raw, 50);
        figures[`${key}.memoryBfsP50ms`] = percentile(mem, 50);
        if (!timedOutBefore.has(kind)) ratios[`${key}.apiOverRawSql`] = percentile(api, 50) / Math.max(percentile(raw, 50), 1e-3);
        ratios[`${key}.apiOverMemoryBfs`] = percentile(api, 50) / Math.max(percentile(mem, 50), 1e-3);
        bars.push({ label: `${kind} roots, depth ${depth} (p50)`, value: percentile(api, 50) });
      }
    }
    return {
      scenario: 'traverse',
      command: opts.command,
      startedAt: new Date(started).toISOString(),
      durationSeconds: (Date.now() - started) / 1000,
      params: {
        size: opts.size,
        entities,
        edges,
        rootsPerCell: requests,
        roundsPerRoot: ROUNDS,
        nodeCap: cap,
        direction: 'downstream',
        allVisibleShare: Object.fromEntries(Object.entries(allVisible).map(([table, share]) => [table, Math.round(share * 1000) / 1000])),
      },
      figures,
      ratios,
      chart: { title: 'Downstream lineage through the API, p50', unit: 'ms', bars },
      notes: [
        'Large roots are the datasets with the most incoming edges (hubs); small roots the least connected datasets.',
        'The API answers at most the node cap (1,000 by default) with truncated: true, so deep traversals of hubs stop there.',
        'References follow the same lineage predicates (without listing containers); the memory BFS excludes the time to load the edges.',
        'The API answers each node with its type and name and every edge between answered nodes, over HTTP (node:http, one kept-alive connection), from a process of its own (as deployed; logging at warn); the raw statement answers URIs and depths only, to this process, through pg on a connection of its own whose statement timeout is set when it opens (one round trip per statement).',
        `In each cell every root is asked once, unmeasured, by the raw statement and then by the API, so that both are measured warm; then ${ROUNDS} measured rounds over the roots. The graph is vacuumed and analyzed after loading, as after any backfill; allVisibleShare is each table's share of pages the visibility map then covered (index-only scans read the heap for the rest).`,
        `rawSqlP50ms = -1 means the single recursive statement hit its ${RAW_SQL_TIMEOUT_MS / 1000} s timeout at that depth (or a shallower one) for those roots: with no global visited set it revisits nodes at every depth.`,
      ],
    };
  } finally {
    await apiProcess?.stop();
    await referenceDb.destroy();
    await h.close();
  }
}
