import fs from 'node:fs';
import path from 'node:path';
import { machine, RESULTS_DIR } from '../report';
import type { MatrixRun } from './matrix';

const VERDICT_COLUMNS = [
  ['entitiesMissing', 'entities missing'],
  ['ownersMissing', 'owners missing'],
  ['edgesMissing', 'edges missing'],
  ['documentsMissing', 'documents missing'],
  ['entitiesExtra', 'entities extra'],
  ['edgesExtra', 'edges extra'],
  ['duplicatedFacts', 'duplicated facts'],
  ['duplicatedEdges', 'duplicated edges'],
  ['emptyTransactions', 'empty tx'],
  ['eventsLeftInKafka', 'events left in Kafka'],
  ['deadLettered', 'dead-lettered'],
] as const;

/** Writes bench/results/faults.json and faults.md: the command, the outage timeline and the figures. */
export function writeFaultsReport(
  run: MatrixRun,
  meta: { command: string; startedAt: string; durationSeconds: number },
  dir = RESULTS_DIR,
): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, 'faults');
  const env = machine();
  fs.writeFileSync(`${base}.json`, `${JSON.stringify({ ...meta, machine: env, ...run, logFile: undefined }, null, 2)}\n`);
  const rows = run.results.map((r) => {
    const v = r.verdict;
    return `| ${r.fault} | ${r.passed ? 'yes' : '**no**'} | ${r.faultSeconds.toFixed(0)} | ${r.recoverySeconds.toFixed(1)} | ${r.transactions} | ${r.unexpectedExits} | ${r.longWorkflowTasks} | ${r.lateLocalActivities} | ${VERDICT_COLUMNS.map(([key]) => v[key]).join(' | ')} |`;
  });
  const probes = run.results.flatMap((r) =>
    Object.entries(r.probes).map(
      ([name, p]) => `| ${r.fault} | ${name} | ${p.status} | ${p.retryAfter ?? ''} | ${p.server ?? (p.down ?? []).join(', ')} |`,
    ),
  );
  const md = [
    '# Fault matrix',
    '',
    `Command: \`${meta.command}\`  `,
    `Run: ${meta.startedAt}, ${Math.round(meta.durationSeconds)} s  `,
    `Machine: ${env.cpus} × ${env.cpuModel}, ${env.memoryGiB} GiB, Node ${env.node}, ${env.platform}`,
    '',
    `A world of ${run.size} (${run.entities} entities at the end) ingested by the service as \`npm start\` runs it (API, workers and consumer in one`,
    'process) on the test profile, with the demo mutating the world throughout each fault. After each fault the run waits until',
    'Kafka is drained and the graph equals the ground truth, runs the enrichment sweep, and compares: every truth entity, owner',
    'and edge (declared and inferred) through the public API; every search document; duplicated facts and edges and empty',
    'transactions in the append-only tables; events not committed in Kafka; dead-lettered events; deaths of the service process.',
    '',
    `Overall: **${run.passed ? 'passed' : 'FAILED'}**`,
    '',
    '## Results',
    `| fault | clean | fault s | recovery s | tx written | deaths | workflow tasks > 5 s | late local activities | ${VERDICT_COLUMNS.map(([, label]) => label).join(' | ')} |`,
    `|---|---|---|---|---|---|---|---|${VERDICT_COLUMNS.map(() => '---').join('|')}|`,
    ...rows,
    '',
    '## What the API answered during each outage',
    '| fault | request | status | Retry-After | server named / down |',
    '|---|---|---|---|---|',
    ...probes,
    '',
    'Status 0: no HTTP answer at all (the connection was refused), as while the process is killed and restarted.',
    '',
    '## Timeline',
    '| s | what |',
    '|---|---|',
    ...run.timeline.map((t) => `| ${t.at.toFixed(1)} | ${t.what.replaceAll('|', '\\|')} |`),
    '',
  ].join('\n');
  fs.writeFileSync(`${base}.md`, md);
  return [`${base}.json`, `${base}.md`];
}
