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
