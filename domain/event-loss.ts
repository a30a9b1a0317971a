/**
 * How an entity's latest change was counted for event loss: in which reconciliation period (the start
 * of the source's last completed sync when it was counted; null when never counted, or counted before
 * any sync completed), and whether an event announced it.
 */
export interface ChangeVerdict {
  readonly period: Date | null;
  readonly announced: boolean | null;
}

/** What one change adds to a source's counts, and the verdict the entity keeps. */
export interface ChangeCount {
  readonly announced: number;
  readonly unannounced: number;
  readonly verdict: ChangeVerdict;
}

/**
 * Counts a change to an entity already read from its source, once per entity and reconciliation period
 * (`periodStart`: the start of the source's last completed sync; a sync's own findings belong to the
 * period it closes; without a completed sync, every change counts). The first change of the period
 * counts as announced or not; a later one adds nothing, except that a change no event announced turns
 * an announced count into an unannounced one. So the share unannounced estimates the share of events
 * lost however often an entity changes between syncs, and an entity created in the period (which
 * counted nothing) counts its first change like any other.
 */
export function countChange(previous: ChangeVerdict, announced: boolean, periodStart: Date | null): ChangeCount {
  const inPeriod =
    periodStart !== null && previous.period !== null && previous.announced !== null && previous.period.getTime() >= periodStart.getTime();
  if (!inPeriod) return { announced: announced ? 1 : 0, unannounced: announced ? 0 : 1, verdict: { period: periodStart, announced } };
  if (previous.announced && !announced) return { announced: -1, unannounced: 1, verdict: { period: periodStart, announced: false } };
  return { announced: 0, unannounced: 0, verdict: { period: periodStart, announced: previous.announced === true && announced } };
}
