import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { AppError } from '../platform/errors';
import type { Db } from './database';

/**
 * An exact, shared sliding-window limit on calls to each source, the only one: a caller is given the
 * next free slot of its source, recorded in PostgreSQL under a per-source advisory lock
 * (`rate_gate_reserve`, migration 0011), sleeps until it and goes; slots are window ÷ limit apart, so
 * all workers together never start more than `ratePerSecond` calls in any window, and calls leave in
 * the order they asked. The window is a little longer than a second (`marginMs`) so that a delay
 * between passing the gate and arriving at the source cannot squeeze more calls into one second
 * there; a caller that wakes more than half of it late gives its slot up and asks again. A slot further away than `maxWaitMs` is refused as SOURCE_RATE_LIMITED with the time to
 * wait, so that a hydration inside a workflow task gives its turn back and is retried on a durable
 * timer instead of holding the task open.
 */
export class RateGate {
  private acquisitions = 0;

  constructor(
    private readonly db: Db,
    private readonly limits: Readonly<Record<string, number>>,
    private readonly options: { marginMs?: number; maxWaitMs?: number } = {},
  ) {}

  /** Waits for the next slot of `source`, which is recorded as its call. */
  async acquire(source: string): Promise<void> {
    const limit = this.limits[source];
    if (limit === undefined) return;
    // 150 ms: at 60 ms a busy two-core machine once squeezed 5 calls into one second at a 4/s source.
    const marginMs = this.options.marginMs ?? 150;
    const windowMs = 1000 + marginMs;
    const maxWaitMs = Math.min(this.options.maxWaitMs ?? 2 ** 31 - 1, 2 ** 31 - 1);
    for (;;) {
      const asked = performance.now();
      const { rows } = await sql<{ wait_ms: number }>`
        select rate_gate_reserve(${source}, ${Math.floor(limit)}::int, ${windowMs}::int, ${maxWaitMs}::int) as wait_ms`.execute(this.db);
      const waitMs = Number(rows[0]?.wait_ms ?? 0);
      if (waitMs < 0)
        throw new AppError('SOURCE_RATE_LIMITED', `${source}: more than ${limit} calls per second are waiting; try again later`, {
          retryAfterMs: -waitMs + Math.floor(Math.random() * 1000),
        });
      if (waitMs > 0) await sleep(waitMs);
      // A caller that wakes too late (a busy process) would go out closer than the margin to the call a
      // window after its slot: its slot is forfeited and it asks for a new one.
      if (performance.now() - asked - waitMs <= marginMs / 2) break;
    }
    if (++this.acquisitions % 500 === 0)
      await this.db
        .deleteFrom('source_calls')
        .where('at', '<', sql<Date>`clock_timestamp() - interval '1 minute'`)
        .execute();
  }
}
