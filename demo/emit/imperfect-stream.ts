import type { ThinEvent } from '../../domain/events';
import type { StreamKnobs } from '../servers/knobs';
import type { Mutation } from '../world/mutate';
import type { Random } from '../world/random';
import type { World } from '../world/world';

/**
 * Turns mutations into the events a real platform delivers: some announced before their source
 * serves the entity, some dropped although the state changed, some duplicated, and shuffled within
 * a window. Every event carries an event_id (a duplicate keeps its original's) and emitted_at.
 */
export function imperfectEvents(mutations: readonly Mutation[], ctx: { world: World; random: Random; knobs: StreamKnobs; nextEventId: () => string }): ThinEvent[] {
  const { world, random, knobs } = ctx;
  const out: ThinEvent[] = [];
  for (const mutation of mutations) {
    for (const created of mutation.created) {
      if (random.chance(knobs.earlyRate)) world.hideUntil(created.collection, created.id, Date.now() + knobs.earlyMs);
    }
    for (const event of mutation.events) {
      if (random.chance(knobs.dropRate)) continue;
      const stamped: ThinEvent = { ...event, event_id: ctx.nextEventId(), emitted_at: new Date().toISOString() };
      out.push(stamped);
      if (random.chance(knobs.duplicateRate)) out.push(stamped);
    }
  }
  return reorder(out, knobs.reorderWindow, random);
}

/** Shuffles within consecutive windows (Fisher–Yates per window): late, not lost. */
export function reorder<T>(items: readonly T[], window: number, random: Random): T[] {
  const result = [...items];
  if (window <= 1) return result;
  for (let start = 0; start < result.length; start += window) {
    const end = Math.min(result.length, start + window);
    for (let i = end - 1; i > start; i--) {
      const j = random.int(start, i);
      [result[i], result[j]] = [result[j] as T, result[i] as T];
    }
  }
  return result;
}
