import type { CollectionName, Collections } from './records';
import { emptyCollections } from './records';
import type { PlantedFamily } from './families';

/** The base of the world's clock: generated timestamps fall in the year before it. */
export const WORLD_EPOCH = Date.parse('2026-01-01T00:00:00Z');

/**
 * The truth of the six demo source systems: their records, a simulated clock for timestamps, and
 * which records are not served yet (an event may arrive before its source serves the entity).
 */
export class World {
  readonly records: Collections;
  /** Families of similar models planted into it (plantModelFamilies), for the ground truth. */
  readonly families: PlantedFamily[] = [];
  /** Simulated time in ms; every mutation moves it forward, so timestamps are deterministic. */
  clock: number;
  private readonly hiddenUntil = new Map<string, number>();
  /** When (real time, ms) each record last changed; records not in it date from the world's creation. */
  private readonly changedAt = new Map<string, number>();
  private readonly createdAt = Date.now();

  constructor(records: Collections = emptyCollections(), clock = WORLD_EPOCH) {
    this.records = records;
    this.clock = clock;
  }

  /** Records that a record was created or changed now: a listing `updated_since` an earlier time returns it. */
  touch(collection: CollectionName, id: string, atMs = Date.now()): void {
    this.changedAt.set(`${collection}:${id}`, atMs);
  }

  /**
   * A page of a collection as its source lists it: the records it serves now, in a stable order (by
   * id), after `afterId`, changed at or after `sinceMs` if given.
   */
  list(
    collection: CollectionName,
    page: { limit: number; afterId: string | null; sinceMs: number | null },
    nowMs = Date.now(),
  ): { items: object[]; more: boolean; lastId: string | null } {
    const ids = [...this.records[collection].keys()].filter((id) => page.afterId === null || id > page.afterId).sort();
    const items: object[] = [];
    let lastId: string | null = null;
    for (const id of ids) {
      if (items.length === page.limit) return { items, more: true, lastId };
      lastId = id;
      if (page.sinceMs !== null && (this.changedAt.get(`${collection}:${id}`) ?? this.createdAt) < page.sinceMs) continue;
      const record = this.serve(collection, id, nowMs);
      if (record !== undefined) items.push(record);
    }
    return { items, more: false, lastId };
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
