import fs from 'node:fs';
import path from 'node:path';
import type { AuthFuzzResult } from './auth-fuzz';
import type { EventFuzzResult } from './event-fuzz';
import type { SchemathesisRun } from './schemathesis';

export interface FuzzSummary {
  readonly command: string;
  readonly at: string;
  readonly seconds: number;
  readonly operations: { readonly served: readonly string[]; readonly fuzzed: number };
  readonly schemathesis: SchemathesisRun;
  /** Schemathesis's requests as the API answered them, by operation and status. */
  readonly answers: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly auth: AuthFuzzResult;
  readonly events: EventFuzzResult;
  readonly passed: boolean;
}

const statuses = (byStatus: Record<string, number>): string =>
  Object.entries(byStatus)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');

/** The statuses of the requests for operations the document does not declare. */
function others(s: FuzzSummary): Record<string, number> {
  const byStatus: Record<string, number> = {};
  for (const [operation, answered] of Object.entries(s.answers))
    if (!s.operations.served.includes(operation))
      for (const [status, n] of Object.entries(answered)) byStatus[status] = (byStatus[status] ?? 0) + n;
  return byStatus;
}

/** The case counts of a fuzz run, for people (summary.md) and for machines (summary.json). */
export function writeFuzzSummary(out: string, s: FuzzSummary): void {
  const generated = s.schemathesis.cases?.generated ?? 0;
  const total = generated + s.auth.sent + s.events.kafka.sent + s.events.http.sent;
  const serverErrors =
    (s.schemathesis.cases ? generated - s.schemathesis.cases.passed : 0) + s.auth.serverErrors + s.events.http.serverErrors;
  const md = [
    `# Fuzzing: ${s.passed ? 'passed' : 'FAILED'}`,
    '',
    `\`${s.command}\`, ${s.at}, ${s.seconds} s on the test profile (a world of 120, seed 81, with real producers' OpenLineage events).`,
    '',
    `${total} generated cases in all; ${serverErrors} failed.`,
    '',
    '| what | cases | outcome |',
    '| --- | ---: | --- |',
    `| the API by its OpenAPI document (schemathesis, \`not_a_server_error\`): ${s.operations.served.length} served operations, fuzzed as ${s.operations.fuzzed} operations with real identifiers | ${generated} | ${s.schemathesis.cases ? `${s.schemathesis.cases.passed} passed` : 'no summary'} (exit ${s.schemathesis.exitCode}) |`,
    `| credentials: bearer tokens and session cookies against a route of each scope | ${s.auth.sent} | ${statuses(s.auth.byStatus)}; ${s.auth.serverErrors} server errors, ${s.auth.wronglyGranted} granted wrongly |`,
    `| the events topic | ${s.events.kafka.sent} | ${s.events.kafka.accepted} accepted, ${s.events.kafka.deadLettered} dead-lettered (${s.events.kafka.deadLetteredWithReason} with a reason), lag after ${s.events.kafka.lagAfter}, consumer ${s.events.kafka.consumerStopped ? 'STOPPED' : 'kept running'} |`,
    `| POST /v1/events | ${s.events.http.sent} | ${statuses(s.events.http.byStatus)}; ${s.events.http.serverErrors} server errors |`,
    '',
    "How the API answered schemathesis's requests, by operation: the share of 2xx is how often a generated request got through to the graph.",
    '',
    '| operation | requests | 2xx | 400 | 404 | other |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...Object.entries(s.answers)
      .filter(([operation]) => s.operations.served.includes(operation))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([operation, byStatus]) => {
        const count = (test: (status: number) => boolean): number =>
          Object.entries(byStatus)
            .filter(([status]) => test(Number(status)))
            .reduce((sum, [, n]) => sum + n, 0);
        const all = count(() => true);
        const ok = count((st) => st >= 200 && st < 300);
        const bad = count((st) => st === 400);
        const missing = count((st) => st === 404);
        return `| \`${operation}\` | ${all} | ${ok} (${Math.round((100 * ok) / all)}%) | ${bad} | ${missing} | ${all - ok - bad - missing} |`;
      }),
    '',
    `Besides, schemathesis probed methods and paths the API does not declare: ${statuses(others(s))}.`,
    '',
    ...(s.auth.failures.length ? ['Credential failures:', '', ...s.auth.failures.map((f) => `- ${f}`), ''] : []),
    "Schemathesis's warnings:",
    '',
    ...(s.schemathesis.warnings.length ? ['```', ...s.schemathesis.warnings, '```'] : ['none']),
    '',
    `Command: \`${s.schemathesis.command}\``,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(out, 'summary.md'), md);
  fs.writeFileSync(path.join(out, 'summary.json'), `${JSON.stringify({ ...s, total, serverErrors }, null, 2)}\n`);
}
