import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';

export interface EnrichmentSettings {
  /** Entities not hydrated for this long are refreshed, in case their events were dropped. */
  readonly staleAfterMs: number;
  /** How many entities one activity handles. */
  readonly batchSize: number;
}

export interface EnrichmentCounts {
  readonly candidates: number;
  readonly hydrated: number;
  readonly inferred: number;
  readonly retracted: number;
  readonly enriched: number;
  /** Entities whose quality was assessed, and signals opened and closed (entities and sources). */
  readonly assessed: number;
  readonly signalsOpened: number;
  readonly signalsClosed: number;
}

export interface EnrichmentSweepInput {
  readonly settings: EnrichmentSettings;
  /** Where a sweep that continued as new picks up. */
  readonly resume?: {
    readonly phase: 'hydrate' | 'infer' | 'quality';
    readonly after: string;
    readonly counts: EnrichmentCounts;
    readonly staleBefore: string;
  };
}

const ZERO: EnrichmentCounts = {
  candidates: 0,
  hydrated: 0,
  inferred: 0,
  retracted: 0,
  enriched: 0,
  assessed: 0,
  signalsOpened: 0,
  signalsClosed: 0,
};
/** Pages per run before continuing as new, so that a sweep over millions keeps a small history. */
const PAGES_PER_RUN = 200;

// A page takes seconds; a worker that died holding one is noticed after 30 s, not minutes, so the
// sweep (and every sweep skipped while it runs) is not held up for long.
const { refreshStale, enrichPage, indexEntities, assessQuality, assessSources } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * One enrichment sweep: requests hydration of placeholders and stale entities (through their entity
 * workflows, under the sources' rate limits), then evaluates the inference rules around every entity
 * touched since its last enrichment, re-indexes what changed and marks it enriched; last, it records
 * the quality signals of every entity and every source (opening new ones, closing those gone). It
 * works in bounded pages and continues as new; its result, visible in the Temporal UI, counts what it did.
 */
export async function enrichmentSweepWorkflow(input: EnrichmentSweepInput): Promise<EnrichmentCounts> {
  const { settings } = input;
  const staleBefore = input.resume?.staleBefore ?? new Date(Date.now() - settings.staleAfterMs).toISOString();
  let counts = { ...ZERO, ...input.resume?.counts };
  let phase = input.resume?.phase ?? 'hydrate';
  let after = input.resume?.after ?? '';
  for (let pages = 0; ; pages++) {
    if (pages >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof enrichmentSweepWorkflow>({ settings, resume: { phase, after, counts, staleBefore } });
    }
    if (phase === 'hydrate') {
      const page = await refreshStale({ after, limit: settings.batchSize, staleBefore });
      counts = { ...counts, candidates: counts.candidates + page.candidates, hydrated: counts.hydrated + page.requested };
      if (page.next === null) [phase, after] = ['infer', ''];
      else after = page.next;
      continue;
    }
    if (phase === 'infer') {
      const page = await enrichPage({ after, limit: settings.batchSize });
      if (page.affected.length > 0) await indexEntities({ uris: page.affected });
      counts = {
        ...counts,
        candidates: counts.candidates + page.candidates,
        inferred: counts.inferred + page.inferred,
        retracted: counts.retracted + page.retracted,
        enriched: counts.enriched + page.enriched,
      };
      if (page.next === null) [phase, after] = ['quality', ''];
      else after = page.next;
      continue;
    }
    // Stale: not read within twice the window, so that a refresh this sweep asked for had its chance.
    const assessBefore = new Date(Date.parse(staleBefore) - settings.staleAfterMs).toISOString();
    const page = await assessQuality({ after, limit: settings.batchSize, staleBefore: assessBefore });
    counts = {
      ...counts,
      assessed: counts.assessed + page.assessed,
      signalsOpened: counts.signalsOpened + page.opened,
      signalsClosed: counts.signalsClosed + page.closed,
    };
    if (page.next !== null) {
      after = page.next;
      continue;
    }
    const sources = await assessSources({});
    return { ...counts, signalsOpened: counts.signalsOpened + sources.opened, signalsClosed: counts.signalsClosed + sources.closed };
  }
}
