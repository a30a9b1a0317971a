import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A seeded source of randomness: the same seed gives the same world, event stream and faults. */
export class Random {
  private readonly rng;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  /** A float in [0, 1). */
  next(): number {
    return uniformFloat64(this.rng);
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return uniformInt(this.rng, min, max);
  }

  chance(probability: number): boolean {
    return probability > 0 && this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('cannot pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /**
   * An index in [0, n) skewed towards 0: a few items are hubs that many others point at, and most
   * are in the long tail with few edges. `power` 1 is uniform; higher is more skewed.
   */
  skewedIndex(n: number, power = 3): number {
    return Math.min(n - 1, Math.floor(n * this.next() ** power));
  }

  /** Up to `count` distinct items, chosen with the hub-skewed index. */
  sampleSkewed<T>(items: readonly T[], count: number, power = 3): T[] {
    const chosen = new Set<T>();
    for (let attempt = 0; chosen.size < Math.min(count, items.length) && attempt < count * 4; attempt++)
      chosen.add(items[this.skewedIndex(items.length, power)] as T);
    return [...chosen];
  }
}
