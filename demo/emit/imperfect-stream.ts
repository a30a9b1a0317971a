import { eventId, validateEvent } from '../../connectors/events';
import type { ThinEvent } from '../../domain/events';
import type { StreamKnobs } from '../servers/knobs';
import type { Mutation } from '../world/mutate';
import type { Random } from '../world/random';
import type { World } from '../world/world';

/** Per source, the events that could have been dropped and those that were: the drop rate injected. */
export type DropTally = Map<string, { offered: number; dropped: number }>;

/**
 * Turns mutations into the events a real platform delivers: some announced before their source
 * serves the entity, some dropped although the state changed, some duplicated, and shuffled within
 * a window. Every event carries an event_id (a duplicate keeps its original's) and emitted_at.
 *
 * Only changes to entities that already exist lose their events: the contract has no listing API, so
 * an entity whose every event is lost (and that nothing references) is invisible to any event-driven
 * catalog. Creations and the bootstrap announcement are therefore never dropped.
 */
export function imperfectEvents(
  mutations: readonly Mutation[],
  ctx: { world: World; random: Random; knobs: StreamKnobs; nextEventId: () => string; bootstrap?: boolean; drops?: DropTally },
): ThinEvent[] {
  const { world, random, knobs } = ctx;
  const out: ThinEvent[] = [];
  for (const mutation of mutations) {
    for (const created of mutation.created) {
      if (random.chance(knobs.earlyRate)) world.hideUntil(created.collection, created.id, Date.now() + knobs.earlyMs);
    }
    const created = new Set(mutation.created.map((c) => c.id));
    for (const event of mutation.events) {
      if (knobs.silentSources.length > 0 && knobs.silentSources.includes(sourceOfEvent(event) ?? '')) continue;
      if (!ctx.bootstrap && !created.has(eventId(event))) {
        const dropped = random.chance(knobs.dropRate);
        tally(ctx.drops, sourceOfEvent(event) ?? 'unknown', dropped);
        if (dropped) continue;
      }
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

function tally(drops: DropTally | undefined, source: string, dropped: boolean): void {
  if (!drops) return;
  const row = drops.get(source) ?? { offered: 0, dropped: 0 };
  row.offered += 1;
  if (dropped) row.dropped += 1;
  drops.set(source, row);
}

function sourceOfEvent(event: ThinEvent): string | null {
  const verdict = validateEvent(event);
  return verdict.ok ? verdict.event.source : null;
}
