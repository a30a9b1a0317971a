/**
 * `npm run soak -- [--minutes 60] [--size 2000] [--rate 2]`: the service as `npm start` runs it, on
 * the test profile (not at the same time as `npm test`), under a steady stream of the demo's
 * mutations. Each minute it records the resident memory of every process (the service, this runner
 * with the demo sources, and each server) and the freshness of a new model instance (from its event
 * to its search document). Writes bench/results/soak.{json,md,svg}.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { indexNames } from '../search/indices';
import { pidFile, profileDir } from '../stack/paths';
import { SERVER_NAMES } from '../stack/server';
import { waitForConvergence } from '../test/support/convergence';
import { useTestProfile } from '../test/support/profile';
import { startSystem } from './faults/system';
import { percentile, writeReport } from './report';

/** Resident memory of a process in MiB (its own pages, not its children's), or null if it is gone. */
function rssMiB(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** The pid of each local server of the test profile: from its pid file, or (Elasticsearch) its command line. */
function serverPids(): Record<string, number> {
  const pids: Record<string, number> = {};
  for (const server of SERVER_NAMES) {
    const file = pidFile('test', server);
    if (fs.existsSync(file)) pids[server] = Number(fs.readFileSync(file, 'utf8').trim());
  }
  const esDir = path.join(profileDir('test'), 'elasticsearch');
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = (() => {
      try {
        return fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      } catch {
        return '';
      }
    })();
    if (cmdline.includes('org.elasticsearch.bootstrap.Elasticsearch') && cmdline.includes(esDir)) pids.elasticsearch = Number(entry);
  }
  return pids;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '60' },
      size: { type: 'string', default: '2000' },
      rate: { type: 'string', default: '2' },
      'warmup-minutes': { type: 'string', default: '10' },
    },
  });
  const minutes = Number(values.minutes);
  const warmup = Number(values['warmup-minutes']);
  const rate = Number(values.rate);
  if (!Number.isInteger(minutes) || minutes < 1) throw new Error(`--minutes must be a whole number of at least 1, not '${values.minutes}'`);
  const say = (message: string): void => console.log(`[soak] ${message}`);
  await useTestProfile(say);
  const started = new Date();
  const logFile = path.join(os.tmpdir(), `mlg-soak-${process.pid}.log`);
  const system = await startSystem({ seed: 5, size: Number(values.size), logFile });
  const samples: { minute: number; rss: Record<string, number | null>; freshnessMs: number | null; entities: number }[] = [];
  try {
    await system.h.demo.announce();
    await waitForConvergence(system.h, { timeoutMs: 1_800_000 });
    say(`world ingested; streaming ${rate} changes a second for ${minutes} minutes (service log ${logFile})`);
    system.h.demo.startStream(rate);
    const index = indexNames(system.h.services.config.elasticsearch.indexPrefix).entities;
    const t0 = Date.now();
    for (let minute = 1; minute <= minutes; minute++) {
      // Freshness: a new instance, from its event to its searchable document.
      const [mutation] = await system.h.demo.mutate(1, 'new_instance');
      const created = mutation?.created.find((c) => c.collection === 'instances');
      const sent = Date.now();
      let freshnessMs: number | null = null;
      while (created && Date.now() - sent < 50_000) {
        const doc = await system.h.services.search.exists({ index, id: `mlg://model-instance/registry/${created.id}` }).catch(() => false);
        if (doc) {
          freshnessMs = Date.now() - sent;
          break;
        }
        await sleep(100);
      }
      await sleep(Math.max(0, t0 + minute * 60_000 - Date.now()));
      const pids = { service: system.pid(), runner: process.pid, ...serverPids() };
      const rss = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, pid === null ? null : rssMiB(pid)]));
      const entities = Number(
        (
          await system.h.services.db
            .selectFrom('entities')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      samples.push({ minute, rss, freshnessMs, entities });
      say(
        `minute ${minute}: ${Object.entries(rss)
          .map(([n, v]) => `${n} ${v?.toFixed(0) ?? '-'} MiB`)
          .join(', ')}; freshness ${freshnessMs ?? 'none'} ms; ${entities} entities`,
      );
    }
    await system.h.demo.stopStream();
  } finally {
    await system.close();
  }
  const series = (name: string): number[] => samples.map((s) => s.rss[name] ?? Number.NaN).filter(Number.isFinite);
  const growth = (name: string): number => {
    const values = series(name);
    const base = values[Math.min(warmup, values.length) - 1] ?? values[0] ?? 0;
    const end = values.at(-1) ?? base;
    return base > 0 ? (end - base) / base : 0;
  };
  const fresh = samples.flatMap((s) => (s.freshnessMs === null ? [] : [s.freshnessMs]));
  const names = Object.keys(samples[0]?.rss ?? {});
  const report = writeReport({
    scenario: 'soak',
    command: `npm run soak -- ${process.argv.slice(2).join(' ')}`.trim(),
    startedAt: started.toISOString(),
    durationSeconds: (Date.now() - started.getTime()) / 1000,
    params: { minutes, size: Number(values.size), mutationsPerSecond: rate, warmupMinutes: warmup },
    figures: {
      ...Object.fromEntries(
        names.map((n) => [
          `rss ${n} MiB (after warm-up → end)`,
          `${series(n)[warmup - 1]?.toFixed(0) ?? '-'} → ${series(n).at(-1)?.toFixed(0) ?? '-'}`,
        ]),
      ),
      freshnessP50Ms: percentile(fresh, 50),
      freshnessMaxMs: Math.max(0, ...fresh),
      freshnessMissed: samples.length - fresh.length,
      entitiesAtEnd: samples.at(-1)?.entities ?? 0,
      samples,
    },
    ratios: Object.fromEntries(names.map((n) => [`rssGrowthAfterWarmup ${n}`, growth(n)])),
    chart: {
      title: 'Service RSS each minute',
      unit: 'MiB',
      bars: samples.map((s) => ({ label: `minute ${s.minute}`, value: s.rss.service ?? 0 })),
    },
    notes: [
      "RSS is each process's own resident set (/proc/<pid>/status VmRSS); PostgreSQL's is its postmaster only, not its backends.",
      `Growth is (end − value at minute ${warmup}) ÷ value at minute ${warmup}; the target is below 10% for the service.`,
      'Freshness: once a minute a new model instance is created in the demo registry and its event sent; the time until its search document exists.',
    ],
  });
  for (const file of report) say(`wrote ${file}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
