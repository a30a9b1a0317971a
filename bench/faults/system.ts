import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHarness, type Harness } from '../../test/support/harness';
import { waitFor } from '../../test/support/wait';

/** The read and write tokens `npm start` uses by default. */
export const READ_TOKEN = 'faults-read-token-0001';
export const WRITE_TOKEN = 'faults-admin-token-0001';
/** With the demo off, the service needs credentials of its own. */
const TOKENS = `faults-read:${READ_TOKEN}:read,faults-admin:${WRITE_TOKEN}:admin`;

/**
 * The system under fault: the demo sources (in this process, so their ground truth survives every
 * fault) and the service as `npm start` runs it (API, Temporal workers, Kafka consumer) in a child
 * process, against the test profile's servers. The child is watched: any exit that was not asked for
 * is counted as a death.
 */
export interface SystemUnderFault {
  readonly h: Harness;
  readonly api: string;
  readonly logFile: string;
  /** Exits of the service that nobody asked for, with their codes. */
  readonly unexpectedExits: { at: string; code: number | null; signal: string | null }[];
  /** The service process's pid, null between a death and its restart. */
  pid(): number | null;
  /** SIGKILLs the service and starts it again at once. */
  killAndRestart(): Promise<void>;
  /** Waits until the API answers its health route (whatever the servers' state). */
  waitForApi(timeoutMs?: number): Promise<void>;
  get(path: string, token?: string): Promise<{ status: number; headers: Headers; body: unknown }>;
  post(path: string, body: unknown, token?: string): Promise<{ status: number; headers: Headers; body: unknown }>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

export async function startSystem(opts: {
  seed: number;
  size: number;
  logFile: string;
  env?: NodeJS.ProcessEnv;
}): Promise<SystemUnderFault> {
  const h = await startHarness({
    seed: opts.seed,
    size: opts.size,
    inProcessPipeline: false,
    env: { MLG_STALE_AFTER_MS: String(3_600_000), ...opts.env },
  });
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  fs.writeFileSync(opts.logFile, '');
  const unexpectedExits: SystemUnderFault['unexpectedExits'] = [];
  let child: ChildProcess | null = null;
  let stopping = false;

  const spawnService = (): ChildProcess => {
    const log = fs.openSync(opts.logFile, 'a');
    const process_ = spawn(process.execPath, ['--import', 'tsx', 'bin/start.ts'], {
      env: { ...h.env, MLG_DEMO: 'off', MLG_API_TOKENS: TOKENS, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', LOG_FILE: '' },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    const expected = { exit: false };
    process_.once('exit', (code, signal) => {
      if (stopping || expected.exit) return;
      // A death is recorded (it fails the fault) and, as a supervisor would, the service is started again.
      unexpectedExits.push({ at: new Date().toISOString(), code, signal });
      child = spawnService();
    });
    (process_ as ChildProcess & { expected?: typeof expected }).expected = expected;
    return process_;
  };
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    const current: (ChildProcess & { expected?: { exit: boolean } }) | null = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    if (current.expected) current.expected.exit = true;
    const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
    current.kill(signal);
    await Promise.race([exited, sleep(20_000).then(() => void current.kill('SIGKILL'))]);
    await exited;
  };

  const request = async (
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    token: string,
  ): Promise<{ status: number; headers: Headers; body: unknown }> => {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };

  const system: SystemUnderFault = {
    h,
    api,
    logFile: opts.logFile,
    unexpectedExits,
    pid: () => child?.pid ?? null,
    async killAndRestart() {
      await stop('SIGKILL');
      child = spawnService();
    },
    async waitForApi(timeoutMs = 120_000) {
      await waitFor('the API to answer', async () => (await fetch(`${api}/v1/health`).catch(() => null)) !== null, {
        timeoutMs,
        intervalMs: 200,
      });
    },
    get: (path, token = READ_TOKEN) => request('GET', path, undefined, token),
    post: (path, body, token = WRITE_TOKEN) => request('POST', path, body, token),
    async close() {
      stopping = true;
      await stop('SIGTERM');
      await h.close();
    },
  };
  child = spawnService();
  await system.waitForApi();
  return system;
}
