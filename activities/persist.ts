import type { Normalized } from '../domain/entity';
import { resolveNormalized } from '../domain/resolve';
import type { HydrationTarget } from '../domain/hydration-target';
import { uriOf } from '../domain/uri';
import type { Db } from '../store/database';
import type { SourceActivity } from '../store/source-activity';
import { causeLabel } from '../domain/refresh-cause';
import { userUriByEmail } from '../store/entity-reader';
import type { TxInput } from '../store/history';
import type { PersistResult } from '../store/hydration-plan';
import { persistHydration } from '../store/persist-hydration';

export interface PersistInput {
  readonly target: HydrationTarget;
  readonly outcome:
    | { readonly kind: 'found'; readonly normalized: Normalized; readonly usernames: Readonly<Record<string, string | null>> }
    | { readonly kind: 'gone'; readonly uri: string | null };
  readonly tx: TxInput;
  /**
   * When the source answered, in ms since the epoch (the input crosses Temporal as JSON): a state
   * older than the stored one is not written.
   */
  readonly fetchedAt: number;
}

/**
 * Resolves the hydrated entity's references to URIs and writes it in one Postgres transaction.
 * Idempotent: the same state written again appends nothing.
 */
export function createPersist(deps: { db: Db; uriScheme: string; activity?: SourceActivity }) {
  return async function persist(input: PersistInput): Promise<PersistResult> {
    const result = await write(input);
    // A known entity changed: an event brought it, or the sweep found what no event had announced.
    if (result.revision && deps.activity) deps.activity.countChanges(input.target.source, result.revision);
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
      countAs: input.tx.cause === causeLabel({ kind: 'sweep' }) ? 'unannounced' : 'announced',
    });
  }

  /** The URI of a target that is gone: known by lookup key (users), or derived from the native id. */
  async function knownUri(db: Db, target: HydrationTarget): Promise<string | null> {
    if (target.type !== 'user') return uriOf(target.type, target.lookupKey, deps.uriScheme);
    return userUriByEmail(db, target.lookupKey);
  }
}
