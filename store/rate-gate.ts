import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Db } from './database';

/**
 * An exact, shared sliding-window limit on calls to each source. Temporal's task-queue limit shapes
 * the flow but is a token bucket that may burst past the rate within a second; this gate, one
 * Postgres row per call under a per-source advisory lock, guarantees that all workers together never
 * start more than `ratePerSecond` calls in any window. The window is a little longer than a second
 * (`marginMs`) so that jitter between starting a call and its arrival cannot squeeze two windows' calls
 * into one second at the source.
 */
export class RateGate {
  private acquisitions = 0;

  constructor(
    private readonly db: Db,
    private readonly limits: Readonly<Record<string, number>>,
    private readonly marginMs = 100,
  ) {}

  /** Waits until a call to `source` fits in the window, and records it. */
  async acquire(source: string): Promise<void> {
    const limit = this.limits[source];
    if (limit === undefined) return;
    const windowMs = 1000 + this.marginMs;
    for (;;) {
      const waitMs = await this.db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtextextended(${`rate-gate:${source}`}, 0))`.execute(trx);
        const { rows } = await sql<{ n: string; wait_ms: number | null }>`
          select count(*) as n, extract(epoch from (min(at) + make_interval(secs => ${windowMs / 1000}) - clock_timestamp())) * 1000 as wait_ms
          from source_calls where source = ${source} and at > clock_timestamp() - make_interval(secs => ${windowMs / 1000})`.execute(trx);
        const row = rows[0];
        if (Number(row?.n ?? 0) < Math.floor(limit)) {
          await trx.insertInto('source_calls').values({ source }).execute();
          return 0;
        }
        return Math.max(1, Math.ceil(Number(row?.wait_ms ?? 10)));
      });
      if (waitMs === 0) break;
      await sleep(waitMs);
    }
    if (++this.acquisitions % 500 === 0)
      await this.db
        .deleteFrom('source_calls')
        .where('at', '<', sql<Date>`clock_timestamp() - interval '1 minute'`)
        .execute();
  }
}
