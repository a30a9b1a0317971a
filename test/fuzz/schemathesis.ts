import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePythonPackage } from '../../stack/python';
import type { OpenApiDocument } from './fuzz-document';

const SCHEMATHESIS = '4.32.5';

export interface SchemathesisRun {
  readonly exitCode: number;
  /** Its summary's count of test cases, generated and passed; null when it printed none. */
  readonly cases: { readonly generated: number; readonly passed: number } | null;
  /** Its warnings, as printed (missing test data, schema mismatches). */
  readonly warnings: readonly string[];
  readonly command: string;
}

/** What schemathesis printed between its WARNINGS and SUMMARY rules, line by line. */
export function warningsOf(output: string): string[] {
  const start = output.search(/^=+ WARNINGS =+$/m);
  const end = output.search(/^=+ SUMMARY =+$/m);
  if (start < 0 || end < start) return [];
  return output
    .slice(start, end)
    .split('\n')
    .slice(1)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
}

/** The `Test cases: N generated, M passed` line of its summary. */
export function casesOf(output: string): SchemathesisRun['cases'] {
  const m = /Test cases:\s*\n?\s*(\d+) generated, (\d+) passed/.exec(output);
  return m ? { generated: Number(m[1]), passed: Number(m[2]) } : null;
}

/**
 * Runs schemathesis (from PyPI, installed once into the cache) on a document against the API, with
 * the `not_a_server_error` check, writing its output and JUnit report to `out`.
 */
export async function runSchemathesis(options: {
  readonly document: OpenApiDocument;
  readonly config: string;
  readonly base: string;
  readonly token: string;
  readonly maxExamples: number;
  readonly seed: number;
  readonly out: string;
  readonly work: string;
}): Promise<SchemathesisRun> {
  const bin = path.join(await ensurePythonPackage('schemathesis', SCHEMATHESIS), 'bin', 'schemathesis');
  fs.mkdirSync(options.work, { recursive: true });
  const documentFile = path.join(options.work, 'openapi.json');
  const configFile = path.join(options.work, 'schemathesis.toml');
  fs.writeFileSync(documentFile, JSON.stringify(options.document));
  fs.writeFileSync(configFile, options.config);
  const args = [
    '--config-file',
    configFile,
    'run',
    documentFile,
    '--url',
    options.base,
    '--checks',
    'not_a_server_error',
    '--header',
    `Authorization: Bearer ${options.token}`,
    '--max-examples',
    String(options.maxExamples),
    '--seed',
    String(options.seed),
    '--workers',
    '2',
    '--request-timeout',
    '30',
    '--report',
    'junit',
    '--report-junit-path',
    path.join(options.out, 'junit.xml'),
    '--suppress-health-check',
    'all',
    '--no-color',
  ];
  // The command as it can be read back: the token is the fuzz run's own, but not printed anyway; paths from the project's root.
  const command = `schemathesis ${args.join(' ').replace(options.token, '<admin token>').replaceAll(`${process.cwd()}/`, '')}`;
  console.log(`[fuzz] ${command}`);
  let output = '';
  const exitCode = await new Promise<number>((resolve) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr])
      stream.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        process.stdout.write(chunk);
      });
    child.once('close', (exit) => resolve(exit ?? 1));
  });
  fs.writeFileSync(path.join(options.work, 'schemathesis.out'), output);
  return { exitCode, cases: casesOf(output), warnings: warningsOf(output), command };
}
