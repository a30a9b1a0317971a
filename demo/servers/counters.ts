import type { ReferenceSource } from '../../domain/vocabulary';

export interface EndpointCount {
  total: number;
  byStatus: Record<string, number>;
}

export interface SourceCounts {
  total: number;
  /** Requests answered with anything but a 429: what the source actually served. */
  served: number;
  endpoints: Record<string, EndpointCount>;
  /** The most requests it received in any one-second window (sliding), 429s included. */
  maxPerSecond: number;
  /** The most requests it served (not 429) in any one-second window. */
  maxServedPerSecond: number;
  /** When it served its first and its last request (ms since the epoch). */
  firstServedAt: number | null;
  lastServedAt: number | null;
}

/**
 * Counts every request a demo source receives, per endpoint, per status and per path, and keeps the
 * arrival times so that tests can prove how many hydration calls were made and that no rate limit
 * was exceeded.
 */
export class RequestCounters {
  private readonly counts = new Map<ReferenceSource, SourceCounts>();
  private readonly byPath = new Map<string, number>();
  private readonly arrivals = new Map<ReferenceSource, { at: number; served: boolean }[]>();

  record(source: ReferenceSource, endpoint: string, path: string, status: number, at: number): void {
    const counts = this.counts.get(source) ?? {
      total: 0,
      served: 0,
      endpoints: {},
      maxPerSecond: 0,
      maxServedPerSecond: 0,
      firstServedAt: null,
      lastServedAt: null,
    };
    this.counts.set(source, counts);
    counts.total += 1;
    if (status !== 429) counts.served += 1;
    const endpointCount = (counts.endpoints[endpoint] ??= { total: 0, byStatus: {} });
    endpointCount.total += 1;
    endpointCount.byStatus[String(status)] = (endpointCount.byStatus[String(status)] ?? 0) + 1;
    this.byPath.set(`${source} ${path}`, (this.byPath.get(`${source} ${path}`) ?? 0) + 1);
    const arrivals = this.arrivals.get(source) ?? [];
    this.arrivals.set(source, arrivals);
    arrivals.push({ at, served: status !== 429 });
  }

  /** How many requests one path of one source received, e.g. ('registry', '/api/v1/instances/x'). */
  pathCount(source: ReferenceSource, path: string): number {
    return this.byPath.get(`${source} ${path}`) ?? 0;
  }

  /** How many requests each path received, keyed `source path`. */
  paths(): Map<string, number> {
    return new Map(this.byPath);
  }

  snapshot(): Partial<Record<ReferenceSource, SourceCounts>> {
    const result: Partial<Record<ReferenceSource, SourceCounts>> = {};
    for (const [source, counts] of this.counts) {
      const arrivals = this.arrivals.get(source) ?? [];
      const served = arrivals.filter((a) => a.served);
      result[source] = {
        ...counts,
        firstServedAt: served[0]?.at ?? null,
        lastServedAt: served.at(-1)?.at ?? null,
        maxPerSecond: maxInWindow(
          arrivals.map((a) => a.at),
          1000,
        ),
        maxServedPerSecond: maxInWindow(
          arrivals.filter((a) => a.served).map((a) => a.at),
          1000,
        ),
      };
    }
    return result;
  }

  reset(): void {
    this.counts.clear();
    this.byPath.clear();
    this.arrivals.clear();
  }
}

/** The most timestamps (sorted ascending) that fall in any window [t, t + windowMs). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] as number) - (times[start] as number) >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
