import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export class StackError extends Error {
  override readonly name = 'StackError';
}

export const isRoot = (): boolean => process.getuid?.() === 0;

/** Runs a command to completion and returns its stdout; throws with its output's tail when it fails. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; user?: string; /** Never shown in an error. */ secrets?: readonly string[] } = {},
): Promise<string> {
  const shown = (text: string): string => (options.secrets ?? []).reduce((t, secret) => t.replaceAll(secret, '<secret>'), text);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...identity(options.user),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', (error) => reject(new StackError(`${command} could not run: ${error.message}`)));
    child.once('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      if (code === 0) return resolve(stdout);
      const output = `${stdout}${Buffer.concat(err).toString('utf8')}`.trim().split('\n').slice(-20).join('\n');
      reject(new StackError(shown(`${command} ${args.join(' ')} exited with ${code}:\n${output}`)));
    });
  });
}

/** As root, a server that must not run as root is started under its own user's uid and gid. */
function identity(user: string | undefined): { uid?: number; gid?: number } {
  if (!user || !isRoot()) return {};
  const id = (flag: string): number => Number(spawnSync('id', [flag, user], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

export function which(command: string): string | null {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

export function ensureDir(dir: string, owner?: string): void {
  fs.mkdirSync(dir, { recursive: true });
  if (owner && isRoot()) spawnSync('chown', ['-R', owner, dir]);
}

/** Starts a long-running server detached from this process, its output appended to a log file. */
export function spawnDetached(
  command: string,
  args: readonly string[],
  opts: { log: string; pidFile: string; env?: NodeJS.ProcessEnv; cwd?: string; user?: string },
): number {
  ensureDir(path.dirname(opts.log));
  ensureDir(path.dirname(opts.pidFile));
  const out = fs.openSync(opts.log, 'a');
  const options: SpawnOptions = {
    detached: true,
    stdio: ['ignore', out, out],
    env: opts.env ?? process.env,
    cwd: opts.cwd,
    ...identity(opts.user),
  };
  const child = spawn(command, args, options);
  fs.closeSync(out);
  if (child.pid === undefined) throw new StackError(`${command} did not start; see ${opts.log}`);
  child.unref();
  fs.writeFileSync(opts.pidFile, String(child.pid));
  return child.pid;
}

export function readPid(file: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stops the process in a pid file: a polite signal first, KILL if it will not go. */
export async function stopPidFile(
  file: string,
  opts: { signal?: NodeJS.Signals; timeoutMs?: number; group?: boolean } = {},
): Promise<boolean> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const pid = readPid(file);
  if (pid === null || !isAlive(pid)) {
    fs.rmSync(file, { force: true });
    return false;
  }
  // A detached server leads its own process group: with `group`, its children are signalled too.
  const target = opts.group ? -pid : pid;
  signal(target, opts.signal ?? 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid) || opts.group) signal(target, 'SIGKILL');
  fs.rmSync(file, { force: true });
  return true;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls a check until it passes; on timeout the error names the server and its log file. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; log: string; alive?: () => boolean },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    if (opts.alive && !opts.alive()) throw new StackError(`${what} exited while starting; see ${opts.log}:\n${tail(opts.log)}`);
    await sleep(250);
  }
  throw new StackError(`${what} did not become healthy within ${Math.round(opts.timeoutMs / 1000)}s; see ${opts.log}:\n${tail(opts.log)}`);
}

export function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log yet)';
  }
}

/** Runs `step` once per cache key: a marker file records that it completed. */
export async function once(marker: string, step: () => Promise<void> | void): Promise<boolean> {
  if (fs.existsSync(marker)) return false;
  await step();
  ensureDir(path.dirname(marker));
  fs.writeFileSync(marker, new Date().toISOString());
  return true;
}

export async function httpOk(url: string, timeoutMs = 2000): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  await response.body?.cancel();
  return response.ok;
}
