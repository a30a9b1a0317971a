import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import type { Logger } from './logger';

export interface RetryOptions {
  /** Told of each failed attempt; none: retried silently. */
  readonly logger?: Logger;
  /** Aborting stops the retries; the promise then rejects. */
  readonly signal?: AbortSignal;
  readonly firstMs?: number;
  readonly maxMs?: number;
  /** Extra fields for each log line (the message's offset, ...). */
  readonly context?: Record<string, unknown>;
}

/**
 * Runs `task` until it succeeds, backing off exponentially (with jitter) from `firstMs` to `maxMs`,
 * and logs each failure with what was being tried. For work that must not be dropped while a server
 * is away: it waits for the server instead of giving up.
 */
export function untilDone<T>(what: string, task: () => Promise<T>, opts: RetryOptions): Promise<T> {
  return pRetry(task, {
    retries: Number.POSITIVE_INFINITY,
    factor: 2,
    minTimeout: opts.firstMs ?? 250,
    maxTimeout: opts.maxMs ?? 30_000,
    randomize: true,
    ...(opts.signal ? { signal: opts.signal } : {}),
    onFailedAttempt: ({ error, attemptNumber, retryDelay }) => {
      opts.logger?.warn(
        { ...opts.context, err: error, attempt: attemptNumber, retryInMs: Math.round(retryDelay) },
        `${what}: failed; retrying`,
      );
    },
  });
}

/**
 * Runs `run` again and again until `signal` aborts: for a long-lived part (a consumer, a worker) that
 * ends when its server goes away. Between runs it backs off exponentially from `firstMs` to `maxMs`;
 * a run that lasted longer than `maxMs` starts the backoff over. Resolves once stopped.
 */
export async function keepRunning(
  what: string,
  run: () => Promise<void>,
  opts: RetryOptions & { readonly signal: AbortSignal },
): Promise<void> {
  const firstMs = opts.firstMs ?? 250;
  const maxMs = opts.maxMs ?? 30_000;
  for (let attempt = 0; !opts.signal.aborted; attempt++) {
    const started = Date.now();
    try {
      await run();
    } catch (error) {
      if (!opts.signal.aborted) opts.logger?.warn({ ...opts.context, err: error }, `${what}: stopped; starting it again`);
    }
    if (opts.signal.aborted) return;
    if (Date.now() - started > maxMs) attempt = 0;
    await sleep(Math.min(maxMs, firstMs * 2 ** attempt), undefined, { signal: opts.signal }).catch(() => undefined);
  }
}
