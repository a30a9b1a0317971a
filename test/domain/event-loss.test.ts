import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countChange, type ChangeVerdict } from '../../domain/event-loss';

const period = new Date(10_000);
const before: ChangeVerdict = { at: new Date(5_000), announced: true };
const never: ChangeVerdict = { at: null, announced: null };
const during = (announced: boolean): ChangeVerdict => ({ at: new Date(12_000), announced });

/** Replays an entity's changes in one period and sums what they count. */
function replay(changes: readonly boolean[], start: ChangeVerdict = before): { announced: number; unannounced: number } {
  let verdict = start;
  const sum = { announced: 0, unannounced: 0 };
  for (const [i, announced] of changes.entries()) {
    const count = countChange(verdict, announced, period);
    sum.announced += count.announced;
    sum.unannounced += count.unannounced;
    verdict = { at: new Date(11_000 + i), announced: count.verdict };
  }
  return sum;
}

describe('event loss counted once per entity and period', () => {
  it('when the first change of a period comes, then it counts as announced or not', () => {
    assert.deepEqual(countChange(before, true, period), { announced: 1, unannounced: 0, verdict: true });
    assert.deepEqual(countChange(before, false, period), { announced: 0, unannounced: 1, verdict: false });
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

  it('when no sync has completed yet, then every change counts', () => {
    assert.deepEqual(countChange(during(true), false, null), { announced: 0, unannounced: 1, verdict: false });
    assert.deepEqual(countChange(during(true), true, null), { announced: 1, unannounced: 0, verdict: true });
  });

  it('when the previous change was counted before the period began, then the new one counts afresh', () => {
    assert.deepEqual(countChange({ at: new Date(9_999), announced: false }, true, period), { announced: 1, unannounced: 0, verdict: true });
  });
});
