import os from 'node:os';
import type { Actor } from '../platform/audit';
import { ConfigError, loadConfig, type Config } from '../platform/config';
import { createLogger } from '../platform/logger';
import { openServices, type Services } from '../platform/services';

/** What every command may say on the way out: 0 done, 1 the job failed or refused, 2 a bad command line, 3 a server is away. */
export const EXIT = { ok: 0, failed: 1, usage: 2, unavailable: 3 } as const;

export interface Output {
  /** One JSON document on stdout, for scripts. */
  readonly json: boolean;
  /** A terminal: progress bars; otherwise plain progress lines. */
  readonly tty: boolean;
}

export const outputOf = (opts: { json?: boolean }): Output => ({
  json: opts.json === true,
  tty: process.stdout.isTTY === true && opts.json !== true,
});

/** Prints a command's answer: the JSON document, or the lines for people. */
export function answer(out: Output, data: unknown, lines: () => readonly string[]): void {
  if (out.json) console.log(JSON.stringify(data, null, 2));
  else for (const line of lines()) console.log(line);
}

/** Runs a command with the service's clients (quiet logs: the command speaks for itself), closing them after. */
export async function withServices<T>(run: (services: Services, config: Config) => Promise<T>): Promise<T> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new CommandError(EXIT.usage, error.message);
    throw error;
  }
  const services = await openServices(config, createLogger({ logLevel: 'silent' }));
  try {
    return await run(services, config);
  } finally {
    await services.close();
  }
}

/** The operator at this machine: who, in the audit trail, did what the command line does. */
export const operator = (): Actor => ({ kind: 'operator', name: `${os.userInfo().username}@${os.hostname()}` });

/**
 * Runs an operator action (a sync, a sweep, a reindex, a dead-letter replay or purge) with the
 * service's clients, and records it in the audit trail with who ran it and how it ended.
 */
export async function asOperator(
  action: string,
  target: string | null,
  run: (services: Services, config: Config) => Promise<number>,
): Promise<number> {
  return withServices(async (services, config) => {
    const record = (outcome: 'ok' | 'failed', details: Record<string, string | number>) =>
      services.audit.record({ actor: operator(), action, target, outcome, status: null, remote: os.hostname(), details });
    try {
      const code = await run(services, config);
      await record(code === EXIT.ok ? 'ok' : 'failed', { exitCode: code });
      return code;
    } catch (error) {
      await record('failed', { error: error instanceof Error ? error.message : 'error' });
      throw error;
    }
  });
}

/** An error with the exit code it ends the command with, and a message for people. */
export class CommandError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** "1 page", "3 pages". */
export const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
