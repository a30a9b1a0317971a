import { withIdentity } from './resolve-email';
import { indexOrHandBack } from './index-entities';
import { entityDeclaration } from '../connectors';
import { fetchListingPage, listableTypes } from '../connectors/listing';
import { sourceClient, type SourceClients } from '../connectors/source-client';
import type { Normalized } from '../domain/entity';
import { emailsOf, resolveNormalized } from '../domain/resolve';
import type { EntityType, SourceName } from '../domain/vocabulary';
import type { Db } from '../store/database';
import type { SourceActivity } from '../store/source-activity';
import { usernamesByEmail } from '../store/entity-reader';
import { persistHydration, persistPage } from '../store/persist-hydration';
import { beginSyncRun, finishSyncRun, unlistedPage, unlistedShare } from '../store/sync-runs';
import type { SyncMode } from '../domain/sync-mode';

export interface SyncBeginInput {
  readonly source: SourceName;
  readonly mode: SyncMode;
  /** An explicit window start (ISO); an incremental sync without one starts where the last one did. */
  readonly since: string | null;
  readonly workflowId: string;
}

export interface SyncBeginResult {
  readonly runId: string;
  readonly startedAt: string;
  readonly since: string | null;
  /** The source's collections, in listing order; empty when it cannot list. */
  readonly collections: readonly { readonly type: EntityType; readonly path: string }[];
}

export interface SyncPageInput {
  readonly source: SourceName;
  readonly mode: SyncMode;
  readonly type: EntityType;
  readonly path: string;
  readonly pageToken: string | null;
  readonly since: string | null;
  readonly limit: number;
  readonly workflowId: string;
}

export interface SyncPageResult {
  readonly next: string | null;
  readonly entities: number;
  readonly changed: number;
  readonly revised: number;
  readonly superseded: number;
  /** Items that break the source's contract: skipped, each named in `errors`. */
  readonly invalid: number;
  readonly errors: readonly string[];
  /** Entities whose documents are still to be written (Elasticsearch away): the workflow indexes them. */
  readonly unindexed: readonly string[];
}

export interface SyncDeleteInput {
  readonly source: SourceName;
  readonly types: readonly EntityType[];
  readonly listingStartedAt: string;
  readonly limit: number;
  readonly workflowId: string;
}

/** At most this many item errors are named per page; the count says how many there were. */
const ERRORS_NAMED = 5;

/**
 * Reconciliation with a source, in pages: its listing is read under the source's rate gate (one page,
 * one request), normalized, and written one page per transaction with the rules of a hydration; a full
 * sync then marks deleted what the listing no longer returned.
 */
export function createSyncActivities(deps: {
  db: Db;
  sources: SourceClients;
  uriScheme: string;
  resolveEmail: (input: { email: string }) => Promise<string | null>;
  indexEntities: (input: { uris: readonly string[] }) => Promise<unknown>;
  activity?: SourceActivity;
}) {
  return {
    syncBegin: async (input: SyncBeginInput): Promise<SyncBeginResult> => {
      const run = await beginSyncRun(deps.db, {
        source: input.source,
        mode: input.mode,
        since: input.since ? new Date(input.since) : null,
        workflowId: input.workflowId,
      });
      return {
        runId: run.id,
        startedAt: run.startedAt.toISOString(),
        since: run.since?.toISOString() ?? null,
        collections: listableTypes(input.source),
      };
    },

    syncPage: async (input: SyncPageInput): Promise<SyncPageResult> => {
      const declaration = entityDeclaration(input.type, input.source);
      if (!('normalize' in declaration)) throw new Error(`${input.type} is not hydrated from a payload of its own`);
      const page = await fetchListingPage(sourceClient(deps.sources, input.source), input.source, input.path, {
        limit: input.limit,
        pageToken: input.pageToken,
        updatedSince: input.since ? new Date(input.since) : null,
      });
      const normalized: Normalized[] = [];
      const errors: string[] = [];
      for (const [i, item] of page.items.entries()) {
        try {
          normalized.push(declaration.normalize(item));
        } catch (error) {
          errors.push(`${input.path} item ${i}: ${(error as Error).message.slice(0, 300)}`);
        }
      }
      const emails = [...new Set(normalized.flatMap(emailsOf))];
      const usernames = await withIdentity(await usernamesByEmail(deps.db, emails), emails, deps.resolveEmail);
      const fetchedAt = new Date(page.fetchedAt);
      const written = await persistPage(
        deps.db,
        normalized.map((n) => ({ resolved: resolveNormalized(n, usernames, deps.uriScheme), fetchedAt })),
        { source: input.source, cause: `sync:${input.mode}`, workflowId: input.workflowId, eventIds: [] },
        'unannounced',
      );
      // Known entities whose change no event had brought (lost, or still on its way).
      deps.activity?.countChanges(input.source, written.counted);
      return {
        next: page.nextPageToken,
        entities: normalized.length,
        changed: written.changed,
        revised: written.revised,
        superseded: written.superseded,
        invalid: errors.length,
        errors: errors.slice(0, ERRORS_NAMED),
        unindexed: await indexOrHandBack(deps.indexEntities, written.touched),
      };
    },

    syncUnlisted: async (input: Omit<SyncDeleteInput, 'limit' | 'workflowId'>): Promise<{ unlisted: number; total: number }> => {
      return unlistedShare(deps.db, { ...input, listingStartedAt: new Date(input.listingStartedAt) });
    },

    /** Marks deleted a page of what the full listing did not return; 0 deleted means none is left. */
    syncDeletePage: async (input: SyncDeleteInput): Promise<{ deleted: number; done: boolean; unindexed: readonly string[] }> => {
      const listingStartedAt = new Date(input.listingStartedAt);
      const rows = await unlistedPage(deps.db, { ...input, listingStartedAt }, input.limit);
      const touched = new Set<string>();
      let deleted = 0;
      for (const row of rows) {
        const result = await persistHydration(deps.db, {
          target: { uri: row.uri, type: row.type as EntityType, nativeId: row.lookup_key, lookupKey: row.lookup_key },
          outcome: { kind: 'gone' },
          tx: { source: input.source, cause: 'sync:full', workflowId: input.workflowId, eventIds: [] },
          fetchedAt: listingStartedAt,
        });
        if (result.changed) deleted += 1;
        for (const uri of result.touched) touched.add(uri);
      }
      return { deleted, done: rows.length < input.limit, unindexed: await indexOrHandBack(deps.indexEntities, [...touched]) };
    },

    syncFinish: async (input: {
      runId: string;
      status: 'completed' | 'failed';
      counts: Readonly<Record<string, number>>;
      message: string | null;
    }): Promise<void> => {
      await finishSyncRun(deps.db, input.runId, input);
    },
  };
}
