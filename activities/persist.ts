import type { Normalized } from '../domain/entity';
import { resolveNormalized } from '../domain/resolve';
import type { HydrationTarget } from '../domain/hydration-target';
import { uriOf } from '../domain/uri';
import type { Db } from '../store/database';
import type { SourceActivity } from '../store/source-activity';
import { causeLabel } from '../domain/refresh-cause';
import { lastCompletedSyncStart } from '../store/sync-runs';
import { userUriByEmail } from '../store/entity-reader';
import type { TxInput } from '../store/history';
import { persistHydration, type PersistResult } from '../store/persist-hydration';

/** How long a source's reconciliation period start is reused before it is read again. */
const PERIOD_CACHE_MS = 1_000;

export interface PersistInput {
  readonly target: HydrationTarget;
  readonly outcome:
    | { readonly kind: 'found'; readonly normalized: Normalized; readonly usernames: Readonly<Record<string, string | null>> }
    | { readonly kind: 'gone'; readonly uri: string | null };
  readonly tx: TxInput;
  /** When the source answered (ms): a state older than the stored one is not written. */
  readonly fetchedAt: number;
}

/**
 * Resolves the hydrated entity's references to URIs and writes it in one Postgres transaction.
 * Idempotent: the same state written again appends nothing.
 */
export function createPersist(deps: { db: Db; uriScheme: string; activity?: SourceActivity }) {
  // The start of each source's reconciliation period, read at most every few seconds.
  const periods = new Map<string, { at: number; start: Promise<Date | null> }>();
  const periodStartOf = (source: string): Promise<Date | null> => {
    const cached = periods.get(source);
    if (cached && Date.now() - cached.at < PERIOD_CACHE_MS) return cached.start;
    const start = lastCompletedSyncStart(deps.db, source).catch(() => null);
    periods.set(source, { at: Date.now(), start });
    return start;
  };

  return async function persist(input: PersistInput): Promise<PersistResult> {
    const result = await write(input);
    if (result.revisedFromMs !== undefined && deps.activity) {
      // A known entity changed: an event brought it, or the sweep found what no event had announced.
      const source = input.target.source;
      const periodStart = await periodStartOf(source);
      const how = input.tx.cause === causeLabel({ kind: 'sweep' }) ? 'unannounced' : 'announced';
      deps.activity.countRevisions(source, how, [result.revisedFromMs], periodStart);
    }
    return result;
  };

  async function write(input: PersistInput): Promise<PersistResult> {
    const { target, outcome } = input;
    if (outcome.kind === 'gone') {
      const uri = outcome.uri ?? (await knownUri(deps.db, target));
      if (!uri) return { changed: false, txId: null, touched: [], placeholders: [] };
      return persistHydration(deps.db, {
        target: { uri, type: target.type, nativeId: target.lookupKey, lookupKey: target.lookupKey },
        outcome: { kind: 'gone' },
        tx: input.tx,
        fetchedAt: new Date(input.fetchedAt),
      });
    }
    const resolved = resolveNormalized(outcome.normalized, outcome.usernames, deps.uriScheme);
    const primary = resolved.primary;
    return persistHydration(deps.db, {
      target: { uri: primary.uri, type: primary.entity.type, nativeId: primary.entity.nativeId, lookupKey: primary.entity.lookupKey },
      outcome: { kind: 'found', resolved },
      tx: input.tx,
      fetchedAt: new Date(input.fetchedAt),
    });
  }

  /** The URI of a target that is gone: known by lookup key (users), or derived from the native id. */
  async function knownUri(db: Db, target: HydrationTarget): Promise<string | null> {
    if (target.type !== 'user') return uriOf(target.type, target.lookupKey, deps.uriScheme);
    return userUriByEmail(db, target.lookupKey);
  }
}
