import type { CollectionName, Collections } from './records';
import { emptyCollections } from './records';

/** The base of the world's clock: generated timestamps fall in the year before it. */
export const WORLD_EPOCH = Date.parse('2026-01-01T00:00:00Z');

/**
 * The truth of the six demo source systems: their records, a simulated clock for timestamps, and
 * which records are not served yet (an event may arrive before its source serves the entity).
 */
export class World {
  readonly records: Collections;
  /** Simulated time in ms; every mutation moves it forward, so timestamps are deterministic. */
  clock: number;
  private readonly hiddenUntil = new Map<string, number>();

  constructor(records: Collections = emptyCollections(), clock = WORLD_EPOCH) {
    this.records = records;
    this.clock = clock;
  }

  /** The record a source serves now, or undefined (404) if it does not exist or is not served yet. */
  serve(collection: CollectionName, id: string, nowMs = Date.now()): object | undefined {
    const key = `${collection}:${id}`;
    const until = this.hiddenUntil.get(key);
    if (until !== undefined) {
      if (nowMs < until) return undefined;
      this.hiddenUntil.delete(key);
    }
    return this.records[collection].get(id);
  }

  /** Keeps a record from being served until a moment in real time. */
  hideUntil(collection: CollectionName, id: string, untilMs: number): void {
    this.hiddenUntil.set(`${collection}:${id}`, untilMs);
  }

  tick(ms = 60_000): string {
    this.clock += ms;
    return new Date(this.clock).toISOString();
  }

  size(): number {
    return (Object.values(this.records) as Map<string, unknown>[]).reduce((total, map) => total + map.size, 0);
  }
}
