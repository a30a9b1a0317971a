import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { eventId } from '../../connectors/events';
import { EVENT_CATALOG } from '../../connectors';
import type { ThinEvent } from '../../domain/events';
import { announceAll, mutate } from '../../demo/world/mutate';
import { Random } from '../../demo/world/random';
import { waitForConvergence, waitForPipelineQuiet } from '../support/convergence';
import { startHarness, type Harness } from '../support/harness';

/** Which entity an event is about: events with the same key must converge to the same entity state. */
const entityKey = (event: ThinEvent): string => `${EVENT_CATALOG[event.event_type]?.entityType}:${eventId(event)}`;

/**
 * A perturbed delivery of an ordered stream: shuffled, some events duplicated, and some dropped, but
 * only where a later event for the same entity still arrives (a drop is a lost notification, and
 * the state is still announced by a later one).
 */
function perturb(
  events: readonly ThinEvent[],
  order: readonly number[],
  duplicates: readonly number[],
  drops: readonly boolean[],
): ThinEvent[] {
  const shuffled = events
    .map((event, i) => ({ event, key: order[i] ?? 0, i }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .map((x) => x.event);
  const lastIndex = new Map<string, number>();
  shuffled.forEach((event, i) => lastIndex.set(entityKey(event), i));
  const kept = shuffled.filter((event, i) => !(drops[i] && (lastIndex.get(entityKey(event)) ?? i) > i));
  for (const d of duplicates) {
    const copy = kept[d % kept.length];
    if (copy) kept.splice((d * 7) % (kept.length + 1), 0, copy);
  }
  return kept;
}

describe('convergence under any delivery order', () => {
  let h: Harness;
  let stream: ThinEvent[];
  before(async () => {
    h = await startHarness({ seed: 51, size: 40 });
    // The stream: everything announced, then a run of changes (deletions included) applied to the world.
    const random = new Random(51);
    stream = [...announceAll(h.demo.world), ...Array.from({ length: 25 }, () => mutate(h.demo.world, random).events).flat()];
  });
  after(async () => {
    await h.close();
  });

  it('when a stream is replayed in random order with duplicates and followed drops, then the graph always equals the in-order graph', async () => {
    const n = stream.length;
    const identity = [Array.from({ length: n }, (_, i) => i), [], Array.from({ length: n }, () => false)] as [
      number[],
      number[],
      boolean[],
    ];
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: 10_000 }), { minLength: n, maxLength: n }),
        fc.array(fc.nat({ max: 10_000 }), { maxLength: 30 }),
        fc.array(fc.boolean(), { minLength: n, maxLength: n }),
        async (order, duplicates, drops) => {
          runs += 1;
          await h.reset();
          await h.demo.send(perturb(stream, order, duplicates, drops));
          await waitForConvergence(h, { timeoutMs: 90_000 });
          await waitForPipelineQuiet(h, 1500);
        },
      ),
      { numRuns: 6, examples: [identity], endOnFailure: true },
    );
    assert.equal(runs, 6, 'the in-order stream and five random deliveries all converged');
  });
});
