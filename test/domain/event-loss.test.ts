import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countChange, type ChangeVerdict } from '../../domain/event-loss';

// Syncs started at 5 s and 10 s: the period of the sync that completed last starts at 10 s.
const earlier = new Date(5_000);
const period = new Date(10_000);
const never: ChangeVerdict = { period: null, announced: null };
const countedBefore: ChangeVerdict = { period: earlier, announced: true };

/** Replays an entity's changes in one period and sums what they count. */
function replay(changes: readonly boolean[], start: ChangeVerdict = countedBefore): { announced: number; unannounced: number } {
  let verdict = start;
  const sum = { announced: 0, unannounced: 0 };
  for (const announced of changes) {
    const count = countChange(verdict, announced, period);
    sum.announced += count.announced;
    sum.unannounced += count.unannounced;
    verdict = count.verdict;
  }
  return sum;
}

describe('event loss counted once per entity and period', () => {
  it('when the first change of a period comes, then it counts as announced or not, and the entity keeps the period', () => {
    assert.deepEqual(countChange(countedBefore, true, period), { announced: 1, unannounced: 0, verdict: { period, announced: true } });
    assert.deepEqual(countChange(countedBefore, false, period), { announced: 0, unannounced: 1, verdict: { period, announced: false } });
  });

  it('when an entity changes often between syncs, then it counts once, unannounced if its last event was lost', () => {
    assert.deepEqual(replay([true, true, true]), { announced: 1, unannounced: 0 });
    assert.deepEqual(replay([true, true, false]), { announced: 0, unannounced: 1 });
    assert.deepEqual(replay([false, true]), { announced: 0, unannounced: 1 });
  });

  it('when an entity was created in the period (nothing counted yet), then its first change counts like any other', () => {
    // The creation wrote no verdict: a lost event must not take back an announced count it never made.
    assert.deepEqual(replay([false], never), { announced: 0, unannounced: 1 });
    assert.deepEqual(replay([true], never), { announced: 1, unannounced: 0 });
  });

  it('when the last sync found a change (in the period it closed), then the next change counts afresh', () => {
    // The sync that started at 5 s closed the period that began earlier; what it found is counted there.
    const foundBySync: ChangeVerdict = { period: new Date(1_000), announced: false };
    assert.deepEqual(countChange(foundBySync, true, earlier), {
      announced: 1,
      unannounced: 0,
      verdict: { period: earlier, announced: true },
    });
  });

  it('when no sync has completed yet, then every change counts', () => {
    const first = countChange(never, true, null);
    assert.deepEqual(first, { announced: 1, unannounced: 0, verdict: { period: null, announced: true } });
    assert.deepEqual(countChange(first.verdict, false, null), {
      announced: 0,
      unannounced: 1,
      verdict: { period: null, announced: false },
    });
  });
});
