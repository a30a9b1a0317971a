import {
  ActivityFailure,
  ApplicationFailure,
  continueAsNew,
  defineQuery,
  executeChild,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SyncBeginResult } from '../activities/sync';
import type { SyncMode } from '../domain/sync-mode';
import type { SourceName } from '../domain/vocabulary';

export interface SyncSettings {
  /** Entities asked for per listing page. */
  readonly pageSize: number;
  /** A full sync deletes at most this share of the source's entities unless forced. */
  readonly maxDeleteShare: number;
}

export interface SyncInput {
  readonly source: SourceName;
  readonly mode: SyncMode;
  /** Only what changed since this time (ISO); null: since the last completed sync (incremental) or everything (full). */
  readonly since: string | null;
  /** Delete what the listing no longer returns even beyond the share the settings allow. */
  readonly force: boolean;
  readonly settings: SyncSettings;
  /** Where a sync that continued as new picks up. */
  readonly resume?: {
    readonly run: SyncBeginResult;
    readonly collection: number;
    readonly pageToken: string | null;
    readonly progress: SyncProgress;
  };
}

export interface SyncProgress {
  readonly source: SourceName;
  readonly mode: SyncMode;
  readonly phase: 'starting' | 'listing' | 'deleting' | 'completed' | 'failed' | 'skipped';
  /** The collection being listed. */
  readonly collection: string | null;
  readonly since: string | null;
  readonly startedAt: string | null;
  readonly pages: number;
  readonly entities: number;
  readonly changed: number;
  /** Of those, entities that had a state before: changes no event had brought (events lost, or still on their way). */
  readonly revised: number;
  /** Listed states not written because a state fetched later was stored already. */
  readonly superseded: number;
  readonly invalid: number;
  /** What a full listing no longer returned, and how many of those were marked deleted. */
  readonly unlisted: number;
  readonly deleted: number;
  /** The first errors met (invalid items), for the operator. */
  readonly errors: readonly string[];
  /** Why the sync ended as it did, in a sentence, when there is something to say. */
  readonly message: string | null;
}

export const syncProgressQuery = defineQuery<SyncProgress>('progress');

/** Pages per run before continuing as new, so that a sync of millions keeps a small history. */
const PAGES_PER_RUN = 200;
const ERRORS_KEPT = 20;

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 20 } as const;
const { syncBegin, syncPage, syncUnlisted, syncDeletePage, syncFinish, indexEntities } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry,
});

const initial = (input: SyncInput): SyncProgress => ({
  source: input.source,
  mode: input.mode,
  phase: 'starting',
  collection: null,
  since: input.since,
  startedAt: null,
  pages: 0,
  entities: 0,
  changed: 0,
  revised: 0,
  superseded: 0,
  invalid: 0,
  unlisted: 0,
  deleted: 0,
  errors: [],
  message: null,
});

const countsOf = (p: SyncProgress): Record<string, number> => ({
  pages: p.pages,
  entities: p.entities,
  changed: p.changed,
  revised: p.revised,
  superseded: p.superseded,
  invalid: p.invalid,
  unlisted: p.unlisted,
  deleted: p.deleted,
});

/**
 * Reconciles the graph with one source: pages through each of its listings (what changed since the
 * last sync, or everything), writes each page in one transaction and indexes it in one `_bulk`, and,
 * for a full sync whose listing completed, marks deleted what the listing no longer returned, never
 * more than the allowed share unless forced. Its progress is a query; its result and the run's record
 * in PostgreSQL say what it did.
 */
export async function syncWorkflow(input: SyncInput): Promise<SyncProgress> {
  const { source, mode, settings } = input;
  let progress = input.resume?.progress ?? initial(input);
  setHandler(syncProgressQuery, () => progress);
  const workflowId = workflowInfo().workflowId;
  let run = input.resume?.run;
  if (!run) {
    run = await syncBegin({ source, mode, since: input.since, workflowId });
    progress = { ...progress, since: run.since, startedAt: run.startedAt };
  }
  const { runId, startedAt, since, collections } = run;
  const finish = async (status: 'completed' | 'failed', message: string | null): Promise<SyncProgress> => {
    await syncFinish({ runId, status, counts: countsOf(progress), message });
    progress = { ...progress, phase: status, collection: null, message };
    return progress;
  };
  if (collections.length === 0) {
    await finish('completed', `${source} cannot list its entities: nothing to sync`);
    progress = { ...progress, phase: 'skipped' };
    return progress;
  }

  try {
    let collection = input.resume?.collection ?? 0;
    let pageToken = input.resume?.pageToken ?? null;
    for (let pages = 0; collection < collections.length; pages++) {
      if (pages >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
        return await continueAsNew<typeof syncWorkflow>({ ...input, resume: { run, collection, pageToken, progress } });
      }
      const current = collections[collection];
      if (!current) break;
      const { type, path } = current;
      progress = { ...progress, phase: 'listing', collection: type };
      const page = await syncPage({ source, mode, type, path, pageToken, since, limit: settings.pageSize, workflowId });
      if (page.unindexed.length > 0) await indexEntities({ uris: page.unindexed });
      progress = {
        ...progress,
        pages: progress.pages + 1,
        entities: progress.entities + page.entities,
        changed: progress.changed + page.changed,
        revised: progress.revised + page.revised,
        superseded: progress.superseded + page.superseded,
        invalid: progress.invalid + page.invalid,
        errors: [...progress.errors, ...page.errors].slice(0, ERRORS_KEPT),
      };
      pageToken = page.next;
      if (pageToken === null) collection += 1;
    }
    if (mode === 'incremental' || since !== null) return await finish('completed', null);

    const types = collections.map((c) => c.type);
    const share = await syncUnlisted({ source, types, listingStartedAt: startedAt });
    progress = { ...progress, phase: 'deleting', collection: null, unlisted: share.unlisted };
    if (!input.force && share.unlisted > settings.maxDeleteShare * share.total) {
      const percent = (n: number): string => `${Math.round(n * 1000) / 10}%`;
      return await finish(
        'failed',
        `the listing no longer returned ${share.unlisted} of ${share.total} entities (${percent(share.total === 0 ? 1 : share.unlisted / share.total)}), more than the ${percent(settings.maxDeleteShare)} a sync may delete: nothing was deleted; if the source really lost them, sync again with force`,
      );
    }
    for (;;) {
      const page = await syncDeletePage({ source, types, listingStartedAt: startedAt, limit: settings.pageSize, workflowId });
      if (page.unindexed.length > 0) await indexEntities({ uris: page.unindexed });
      progress = { ...progress, deleted: progress.deleted + page.deleted };
      if (page.done) break;
    }
    return await finish('completed', null);
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause?.message ?? error.message;
    await finish('failed', `${source}: ${cause}`);
    throw ApplicationFailure.nonRetryable(`sync of ${source} failed: ${cause}`, 'SYNC_FAILED');
  }
}

export interface SyncAllInput {
  readonly sources: readonly SourceName[];
  readonly mode: SyncMode;
  readonly force: boolean;
  readonly settings: SyncSettings;
}

/**
 * Syncs several sources, each as a child workflow: identity first (so that owners resolve from the
 * graph rather than one identity call each), then the others side by side. The schedules run it.
 */
export async function syncAllWorkflow(input: SyncAllInput): Promise<Record<string, SyncProgress | string>> {
  const parent = workflowInfo().workflowId;
  const one = async (source: SourceName): Promise<[string, SyncProgress | string]> => {
    try {
      const result = await executeChild(syncWorkflow, {
        workflowId: `${parent}-${source}`,
        args: [{ source, mode: input.mode, since: null, force: input.force, settings: input.settings }],
      });
      return [source, result];
    } catch (error) {
      return [source, (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message];
    }
  };
  const first = input.sources.filter((s) => s === 'identity');
  const rest = input.sources.filter((s) => s !== 'identity');
  const results = [...(await Promise.all(first.map(one))), ...(await Promise.all(rest.map(one)))];
  return Object.fromEntries(results);
}
