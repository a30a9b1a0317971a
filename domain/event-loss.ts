/** How an entity's latest change was counted for event loss: when, and whether an event announced it. */
export interface ChangeVerdict {
  readonly at: Date | null;
  readonly announced: boolean | null;
}

/** What one change adds to a source's counts, and the verdict the entity keeps for its period. */
export interface ChangeCount {
  readonly announced: number;
  readonly unannounced: number;
  readonly verdict: boolean;
}

/**
 * Counts a change to an entity already read from its source, once per entity and reconciliation period
 * (the period runs from the start of the source's last completed sync; without one, every change
 * counts). The first change of the period counts as announced or not; a later one adds nothing, except
 * that a change no event announced turns an announced count into an unannounced one. So the share
 * unannounced estimates the share of events lost however often an entity changes between syncs, and an
 * entity created in the period (which counted nothing) counts its first change like any other.
 */
export function countChange(previous: ChangeVerdict, announced: boolean, periodStart: Date | null): ChangeCount {
  const inPeriod =
    periodStart !== null && previous.at !== null && previous.announced !== null && previous.at.getTime() >= periodStart.getTime();
  if (!inPeriod) return { announced: announced ? 1 : 0, unannounced: announced ? 0 : 1, verdict: announced };
  if (previous.announced && !announced) return { announced: -1, unannounced: 1, verdict: false };
  return { announced: 0, unannounced: 0, verdict: previous.announced === true && announced };
}
