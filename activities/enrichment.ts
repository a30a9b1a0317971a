import { activityInfo } from '@temporalio/activity';
import { hydrationTarget } from '../connectors';
import { MATCH_RULES, RULES } from '../domain/rules';
import type { HydrationTarget } from '../domain/hydration-target';
import type { RefreshRequest } from '../domain/refresh-cause';
import type { EntityType, SourceName } from '../domain/vocabulary';
import type { Db } from '../store/database';
import { markEnriched, stalePage, touchedPage } from '../store/enrichment';
import { inferAround } from '../store/inference';
import { assessEntities, recordSignals, sourceSubject } from '../store/quality';
import { sourceQualityOf, type SourceQualitySettings } from '../graph/source-quality';

export interface PageInput {
  /** Resume after this URI ('' to start). */
  readonly after: string;
  readonly limit: number;
}

export interface RefreshStaleInput extends PageInput {
  /** Entities not hydrated since this time are refreshed. */
  readonly staleBefore: string;
}

export interface RefreshStaleResult {
  readonly candidates: number;
  readonly requested: number;
  /** The last URI of the page, or null when there is nothing after it. */
  readonly next: string | null;
}

export interface EnrichPageResult {
  readonly candidates: number;
  readonly inferred: number;
  readonly retracted: number;
  readonly enriched: number;
  /** Entities to re-index: the page and the endpoints of changed inferred edges. */
  readonly affected: readonly string[];
  readonly next: string | null;
}

export interface AssessPageResult {
  readonly assessed: number;
  readonly opened: number;
  readonly closed: number;
  readonly next: string | null;
}

export type RequestRefresh = (target: HydrationTarget, request: RefreshRequest) => Promise<unknown>;

/**
 * The sweep's two steps, page by page: hydrate placeholders and stale entities through their own
 * entity workflows (so under the same rate limits), and evaluate the inference rules around the
 * entities touched since they were last enriched.
 */
export function createEnrichmentActivities(deps: {
  db: Db;
  uriScheme: string;
  requestRefresh: RequestRefresh;
  sourceQuality?: SourceQualitySettings;
}) {
  return {
    refreshStale: async (input: RefreshStaleInput): Promise<RefreshStaleResult> => {
      const page = await stalePage(deps.db, { after: input.after, limit: input.limit, staleBefore: new Date(input.staleBefore) });
      const targets = new Map<string, HydrationTarget>();
      for (const row of page) {
        const target = hydrationTarget(row.type as EntityType, row.source as SourceName, row.lookupKey);
        targets.set(`${target.type}/${target.lookupKey}`, target);
      }
      await Promise.all([...targets.values()].map((target) => deps.requestRefresh(target, { cause: { kind: 'sweep' }, eventId: null })));
      return { candidates: page.length, requested: targets.size, next: page.length < input.limit ? null : (page.at(-1)?.uri ?? null) };
    },

    enrichPage: async (input: PageInput): Promise<EnrichPageResult> => {
      const page = await touchedPage(deps.db, input);
      const uris = page.map((row) => row.uri);
      const workflowId = activityInfo().workflowExecution?.workflowId ?? null;
      const inference = await inferAround(deps.db, RULES, uris, deps.uriScheme, workflowId, MATCH_RULES);
      const enriched = await markEnriched(deps.db, page, workflowId);
      return {
        candidates: page.length,
        inferred: inference.asserted,
        retracted: inference.retracted,
        enriched,
        affected: [...new Set([...uris, ...inference.affected])],
        next: page.length < input.limit ? null : (page.at(-1)?.uri ?? null),
      };
    },

    /** Records the quality signals of a page of entities: new ones opened, gone ones closed. */
    assessQuality: async (input: RefreshStaleInput): Promise<AssessPageResult> => {
      const page = await assessEntities(deps.db, new Date(input.staleBefore), { after: input.after, limit: input.limit });
      const next = page.length < input.limit ? null : (page.at(-1)?.uri ?? null);
      const recorded = await recordSignals(
        deps.db,
        { kind: 'entity', after: input.after, through: next },
        page.flatMap((e) => e.signals.map((code) => ({ subject: e.uri, code }))),
      );
      return { assessed: page.length, ...recorded, next };
    },

    /** Records the signals of every source (silent, failing, losing events) as they stand now. */
    assessSources: async (_input: Record<string, never>): Promise<{ opened: number; closed: number }> => {
      if (!deps.sourceQuality) return { opened: 0, closed: 0 };
      const sources = await sourceQualityOf(deps.db, deps.sourceQuality.settings, deps.sourceQuality.sources);
      return recordSignals(
        deps.db,
        { kind: 'source' },
        sources.flatMap((q) => q.signals.map((s) => ({ subject: sourceSubject(q.source), code: s.code }))),
      );
    },
  };
}
