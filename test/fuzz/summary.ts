import fs from 'node:fs';
import path from 'node:path';
import type { AuthFuzzResult } from './auth-fuzz';
import type { EventFuzzResult } from './event-fuzz';
import type { SchemathesisRun } from './schemathesis';

export interface FuzzSummary {
  readonly command: string;
  readonly at: string;
  readonly seconds: number;
  readonly operations: { readonly served: number; readonly fuzzed: number };
  readonly schemathesis: SchemathesisRun;
  readonly auth: AuthFuzzResult;
  readonly events: EventFuzzResult;
  readonly passed: boolean;
}

const statuses = (byStatus: Record<string, number>): string =>
  Object.entries(byStatus)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');

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
    `| the API by its OpenAPI document (schemathesis, \`not_a_server_error\`): ${s.operations.served} served paths, fuzzed as ${s.operations.fuzzed} operations with real identifiers | ${generated} | ${s.schemathesis.cases ? `${s.schemathesis.cases.passed} passed` : 'no summary'} (exit ${s.schemathesis.exitCode}) |`,
    `| credentials: bearer tokens and session cookies against a route of each scope | ${s.auth.sent} | ${statuses(s.auth.byStatus)}; ${s.auth.serverErrors} server errors, ${s.auth.wronglyGranted} granted wrongly |`,
    `| the events topic | ${s.events.kafka.sent} | ${s.events.kafka.accepted} accepted, ${s.events.kafka.deadLettered} dead-lettered (${s.events.kafka.deadLetteredWithReason} with a reason), lag after ${s.events.kafka.lagAfter}, consumer ${s.events.kafka.consumerStopped ? 'STOPPED' : 'kept running'} |`,
    `| POST /v1/events | ${s.events.http.sent} | ${statuses(s.events.http.byStatus)}; ${s.events.http.serverErrors} server errors |`,
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
  fs.rmSync(path.join(out, 'events.json'), { force: true });
}
