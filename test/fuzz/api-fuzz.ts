/**
 * `npm run fuzz`: proves that no input can produce a 5xx or stop the consumer through its content
 * alone. It starts the test profile of the stack, a small demo world ingested and enriched, and the
 * API, then runs schemathesis (from PyPI, installed once into the cache) against the served OpenAPI
 * document with the `not_a_server_error` check, then fuzzes the two ways events come in (a producer
 * of generated messages to the events topic, and generated POST /v1/events bodies: deep nesting,
 * huge arrays, wrong types, garbage), and writes what it tried to bench/results/fuzz/. Not part of
 * `npm test`: run it on its own (it shares the test profile's servers).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../../api/app';
import { listen } from '../../api/server';
import { createLogger } from '../../platform/logger';
import { ensurePythonPackage } from '../../stack/python';
import { runSweep, waitForPipelineQuiet } from '../support/convergence';
import { useTestProfile } from '../support/profile';
import { fuzzEvents } from './event-fuzz';

const SCHEMATHESIS = '4.32.5';

async function ensureSchemathesis(): Promise<string> {
  return path.join(await ensurePythonPackage('schemathesis', SCHEMATHESIS), 'bin', 'schemathesis');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'max-examples': { type: 'string', default: '600' },
      seed: { type: 'string', default: '1' },
      'kafka-messages': { type: 'string', default: '3000' },
      'http-requests': { type: 'string', default: '2000' },
    },
  });
  await useTestProfile((m) => console.log(`[fuzz] ${m}`), 'test', 'check');
  const schemathesis = await ensureSchemathesis();
  const { startHarness } = await import('../support/harness');
  const h = await startHarness({ seed: 81, size: 120 });
  try {
    await h.demo.announce();
    await waitForPipelineQuiet(h, 3000);
    await runSweep(h);
    const server = await listen(createApp({ services: h.services, logger: createLogger({ logLevel: 'silent' }) }), '127.0.0.1', 0);
    const out = path.resolve('bench/results/fuzz');
    fs.mkdirSync(out, { recursive: true });
    const args = [
      'run',
      `http://127.0.0.1:${server.port}/openapi.json`,
      '--checks',
      'not_a_server_error',
      '--header',
      'Authorization: Bearer mlg-demo-write-token',
      '--max-examples',
      values['max-examples'],
      '--seed',
      values.seed,
      '--workers',
      '2',
      '--request-timeout',
      '30',
      '--report',
      'junit',
      '--report-junit-path',
      path.join(out, 'junit.xml'),
      '--suppress-health-check',
      'all',
      '--no-color',
    ];
    console.log(`[fuzz] schemathesis ${args.join(' ')}`);
    const log = fs.createWriteStream(path.join(out, 'schemathesis.log'));
    const code = await new Promise<number>((resolve) => {
      const child = spawn(schemathesis, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      for (const stream of [child.stdout, child.stderr])
        stream.on('data', (chunk: Buffer) => (process.stdout.write(chunk), log.write(chunk)));
      child.once('close', (exit) => resolve(exit ?? 1));
    });
    log.end();
    console.log('[fuzz] fuzzing the events topic and POST /v1/events');
    const events = await fuzzEvents(h, `http://127.0.0.1:${server.port}`, {
      seed: Number(values.seed),
      kafkaMessages: Number(values['kafka-messages']),
      httpRequests: Number(values['http-requests']),
    });
    fs.writeFileSync(
      path.join(out, 'events.json'),
      `${JSON.stringify({ command: `npm run fuzz -- ${process.argv.slice(2).join(' ')}`.trim(), at: new Date().toISOString(), ...events }, null, 2)}\n`,
    );
    console.log(`[fuzz] ${JSON.stringify(events)}`);
    await server.close();
    return code === 0 && events.passed ? 0 : 1;
  } finally {
    await h.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
