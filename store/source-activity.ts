import { sql } from 'kysely';
import type { Db } from './database';

/** What can be counted of a source, per bucket. */
export type ActivityCounter = 'events' | 'calls' | 'failures' | 'throttled' | 'announced' | 'unannounced';
const COUNTERS: readonly ActivityCounter[] = ['events', 'calls', 'failures', 'throttled', 'announced', 'unannounced'];

/** How long buckets are kept: the quality window reads far less. */
const RETENTION_MS = 14 * 24 * 3_600_000;

/**
 * Counts what each source does (events received, calls and their failures, changes announced or
 * not) in memory and adds them to `source_activity` every `flushMs`, one statement per flush, so that
 * counting costs the hot paths nothing. Counts not yet written when the database is away are kept
 * for the next flush; counts of a process that dies before its flush are lost (they feed estimates).
 */
export class SourceActivity {
  private pending = new Map<string, Record<ActivityCounter, number>>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private flushes = 0;

  constructor(
    private readonly db: Db,
    private readonly options: { bucketMs: number; flushMs: number },
  ) {
    this.timer = setInterval(() => void this.flush(), options.flushMs);
    this.timer.unref();
  }

  /** Adds n (which may be negative: a change moved from announced to unannounced). */
  count(source: string, counter: ActivityCounter, n = 1): void {
    if (n === 0) return;
    const bucket = Math.floor(Date.now() / this.options.bucketMs) * this.options.bucketMs;
    const key = `${source}\t${bucket}`;
    let row = this.pending.get(key);
    if (!row) {
      row = { events: 0, calls: 0, failures: 0, throttled: 0, announced: 0, unannounced: 0 };
      this.pending.set(key, row);
    }
    row[counter] += n;
  }

  /** Adds what changes to known entities count for event loss (see countChange). */
  countChanges(source: string, counts: { readonly announced: number; readonly unannounced: number }): void {
    this.count(source, 'announced', counts.announced);
    this.count(source, 'unannounced', counts.unannounced);
  }

  /** Writes what was counted so far; resolves when it is written (or kept for later when the database is away). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const keys = [...batch.keys()].map((key) => key.split('\t'));
    const column = (counter: ActivityCounter) => [...batch.values()].map((row) => row[counter]);
    try {
      await sql`
        insert into source_activity (source, bucket, ${sql.join(COUNTERS.map((c) => sql.ref(c)))})
        select s, to_timestamp(b / 1000.0), ${sql.join(COUNTERS.map((c) => sql.ref(c)))}
        from unnest(${keys.map(([source]) => source)}::text[], ${keys.map(([, bucket]) => Number(bucket))}::float8[],
          ${sql.join(COUNTERS.map((c) => sql`${column(c)}::int[]`))}) as u(s, b, ${sql.join(COUNTERS.map((c) => sql.ref(c)))})
        on conflict (source, bucket) do update set
          ${sql.join(COUNTERS.map((c) => sql`${sql.ref(c)} = source_activity.${sql.ref(c)} + excluded.${sql.ref(c)}`))}`.execute(this.db);
      if (++this.flushes % 1_000 === 1)
        await this.db
          .deleteFrom('source_activity')
          .where('bucket', '<', new Date(Date.now() - RETENTION_MS))
          .execute();
    } catch {
      // The database is away: keep the counts for the next flush.
      for (const [key, row] of batch) {
        const now = this.pending.get(key);
        if (now) for (const c of COUNTERS) now[c] += row[c];
        else this.pending.set(key, row);
      }
    }
  }
}

export interface SourceActivityTotals {
  readonly source: string;
  /** When its last event came, in its whole kept history (a bucket's start). */
  readonly lastEventAt: Date | null;
  /** The longest wait between two buckets with events, in the window: the source's own rhythm. */
  readonly longestGapMs: number | null;
  /** Buckets with events in the window. */
  readonly eventBuckets: number;
  readonly events: number;
  readonly calls: number;
  readonly failures: number;
  readonly throttled: number;
  readonly announced: number;
  readonly unannounced: number;
}

/**
 * Per source, over the window that starts at `since`: its totals and the longest gap between its
 * events (bucket starts, so within a bucket's length); and when its last event came, window or not.
 */
export async function sourceActivitySince(db: Db, sources: readonly string[], since: Date): Promise<SourceActivityTotals[]> {
  const { rows } = await sql<{
    source: string;
    last_event_at: Date | null;
    longest_gap_ms: number | null;
    event_buckets: number;
    events: number;
    calls: number;
    failures: number;
    throttled: number;
    announced: number;
    unannounced: number;
  }>`
    select s.source,
      (select max(a.bucket) from source_activity a where a.source = s.source and a.events > 0) as last_event_at,
      (select extract(epoch from max(g.gap)) * 1000 from (
        select a.bucket - lag(a.bucket) over (order by a.bucket) as gap
        from source_activity a where a.source = s.source and a.bucket >= ${since} and a.events > 0) g)::float8 as longest_gap_ms,
      t.*
    from unnest(${[...sources]}::text[]) as s(source)
    cross join lateral (
      select count(*) filter (where a.events > 0)::int as event_buckets,
        coalesce(sum(a.events), 0)::int as events, coalesce(sum(a.calls), 0)::int as calls,
        coalesce(sum(a.failures), 0)::int as failures, coalesce(sum(a.throttled), 0)::int as throttled,
        coalesce(sum(a.announced), 0)::int as announced, coalesce(sum(a.unannounced), 0)::int as unannounced
      from source_activity a where a.source = s.source and a.bucket >= ${since}) t
    order by s.source`.execute(db);
  return rows.map((r) => ({
    source: r.source,
    lastEventAt: r.last_event_at,
    longestGapMs: r.longest_gap_ms,
    eventBuckets: r.event_buckets,
    events: r.events,
    calls: r.calls,
    failures: r.failures,
    throttled: r.throttled,
    announced: r.announced,
    unannounced: r.unannounced,
  }));
}
