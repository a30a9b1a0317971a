import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { AppError } from '../platform/errors';
import type { Db } from './database';

/**
 * An exact, shared sliding-window limit on calls to each source, the only one (Temporal's task-queue
 * limiter is a token bucket that may burst past the rate): one Postgres row per call under a
 * per-source advisory lock (`rate_gate_acquire`, migrations 0005–0006) guarantees that all workers
 * together never start more than `ratePerSecond` calls in any window, spaced window ÷ limit apart.
 * The window is longer than a second (`marginMs`) so that a delay between passing the gate and
 * arriving at the source cannot squeeze two windows' calls into one second there. A caller waits at
 * most `maxWaitMs` in all: past that, the call is
 * refused as SOURCE_RATE_LIMITED with the time to wait, so that a hydration inside a workflow task
 * gives its turn back and is retried on a durable timer instead of holding the task open.
 */
export class RateGate {
  private acquisitions = 0;

  constructor(
    private readonly db: Db,
    private readonly limits: Readonly<Record<string, number>>,
    private readonly options: { marginMs?: number; maxWaitMs?: number } = {},
  ) {}

  /** Waits until a call to `source` fits in the window, and records it. */
  async acquire(source: string): Promise<void> {
    const limit = this.limits[source];
    if (limit === undefined) return;
    // 300 ms: a busy machine delayed a burst of calls by more than 100 ms, and 11 arrived in one second.
    const windowMs = 1000 + (this.options.marginMs ?? 300);
    const giveUpAt = Date.now() + (this.options.maxWaitMs ?? Number.POSITIVE_INFINITY);
    for (;;) {
      // One statement (migration 0005): count the window under the source's lock, record the call if it fits.
      const { rows } = await sql<{ wait_ms: number }>`
        select rate_gate_acquire(${source}, ${Math.floor(limit)}::int, ${windowMs}::int) as wait_ms`.execute(this.db);
      const waitMs = Number(rows[0]?.wait_ms ?? 10);
      if (waitMs === 0) break;
      if (Date.now() + waitMs > giveUpAt)
        throw new AppError('SOURCE_RATE_LIMITED', `${source}: more than ${limit} calls per second are waiting; try again later`, {
          retryAfterMs: waitMs + Math.floor(Math.random() * 1000),
        });
      await sleep(waitMs);
    }
    if (++this.acquisitions % 500 === 0)
      await this.db
        .deleteFrom('source_calls')
        .where('at', '<', sql<Date>`clock_timestamp() - interval '1 minute'`)
        .execute();
  }
}
