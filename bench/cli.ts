/**
 * `npm run bench -- <ingest|traverse|search|ratelimit|sync|openlineage|portal|suggestions|quality|tls> [--size N] [--rate R] [--workers W]
 * [--profile test|cluster|secure] [--processes P]`: runs a scenario against the real local stack (the test
 * profile's servers unless told, so not at the same time as `npm test`) and writes JSON, a Markdown
 * report and an SVG chart under bench/results/. `ingest --processes P` runs the pipeline in P processes
 * of its own instead of the benchmark's. `tls [--repeat K]` runs ingest on the cluster and the secure
 * profiles in turns, K times each.
 */
import { parseArgs } from 'node:util';
import { useTestProfile } from '../test/support/profile';
import { writeReport, type BenchReport } from './report';

// sync: 100,000 by default; at 1M its ground-truth comparison (one JSON string of the whole graph) is too large.
const DEFAULT_SIZE: Record<string, number> = {
  ingest: 10_000,
  traverse: 1_000_000,
  search: 1_000_000,
  ratelimit: 300,
  sync: 100_000,
  openlineage: 2_000,
  // portal: the demo world's size (as npm start), then a generated graph of 20,000 for the lineage picture.
  portal: 2_000,
  suggestions: 20_000,
  quality: 600,
  tls: 2_000,
};

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      size: { type: 'string' },
      rate: { type: 'string', default: '10' },
      workers: { type: 'string', default: '3' },
      profile: { type: 'string', default: 'test' },
      processes: { type: 'string', default: '0' },
      repeat: { type: 'string', default: '3' },
    },
  });
  const [scenario] = positionals;
  if (!scenario || !(scenario in DEFAULT_SIZE))
    throw new Error(`usage: npm run bench -- <${Object.keys(DEFAULT_SIZE).join('|')}> [--size N]`);
  const size = Number(values.size ?? DEFAULT_SIZE[scenario]);
  if (!Number.isInteger(size) || size < 1) throw new Error(`--size must be a positive whole number, not '${values.size}'`);
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`;
  const profile = values.profile;
  if (profile !== 'test' && profile !== 'cluster' && profile !== 'secure')
    throw new Error(`--profile must be test, cluster or secure, not '${profile}'`);
  const processes = Number(values.processes);
  if (!Number.isInteger(processes) || processes < 0) throw new Error(`--processes must be a whole number, not '${values.processes}'`);
  // The tls scenario brings up its two profiles itself.
  if (scenario !== 'tls') await useTestProfile((m) => console.log(`[bench] ${m}`), profile);
  let report: BenchReport;
  switch (scenario) {
    case 'ratelimit': {
      const { ratelimitScenario } = await import('./scenarios/ratelimit');
      report = await ratelimitScenario({ size, rate: Number(values.rate), workers: Number(values.workers), command });
      break;
    }
    case 'tls': {
      const { tlsScenario } = await import('./scenarios/tls');
      report = await tlsScenario({ size, repeat: Number(values.repeat), command });
      break;
    }
    case 'ingest': {
      const { ingestScenario } = await import('./scenarios/ingest');
      report = await ingestScenario({ size, command, profile, processes });
      break;
    }
    case 'sync': {
      const { syncScenario } = await import('./scenarios/sync');
      report = await syncScenario({ size, command });
      break;
    }
    case 'openlineage': {
      const { openLineageScenario } = await import('./scenarios/openlineage');
      report = await openLineageScenario({ size, command });
      break;
    }
    case 'portal': {
      const { portalScenario } = await import('./scenarios/portal');
      report = await portalScenario({ size, command });
      break;
    }
    case 'suggestions': {
      const { suggestionsScenario } = await import('./scenarios/suggestions');
      report = await suggestionsScenario({ size, command });
      break;
    }
    case 'quality': {
      const { qualityScenario } = await import('./scenarios/quality');
      report = await qualityScenario({ size, command });
      break;
    }
    case 'traverse': {
      const { traverseScenario } = await import('./scenarios/traverse');
      report = await traverseScenario({ size, command });
      break;
    }
    default: {
      const { searchScenario } = await import('./scenarios/search');
      report = await searchScenario({ size, command });
    }
  }
  for (const file of writeReport(report)) console.log(`[bench] wrote ${file}`);
  console.log(JSON.stringify({ figures: report.figures, ratios: report.ratios }, null, 2));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
