import { withIdentity } from './resolve-email';
import { indexOrHandBack } from './index-entities';
import type { HydrationTarget } from '../domain/hydration-target';
import type { TxInput } from '../store/history';
import type { HydrateResult } from './hydrate';
import type { PersistInput } from './persist';
import type { PersistResult } from '../store/hydration-plan';

export interface RefreshInput {
  readonly target: HydrationTarget;
  readonly tx: TxInput;
  /** Persist a 404 as a deletion; otherwise a 404 is only reported, to be checked again later. */
  readonly acceptGone: boolean;
}

export interface RefreshResult {
  /** `unconfirmed-gone`: the source answered 404 and nothing was written. */
  readonly outcome: 'changed' | 'unchanged' | 'gone' | 'unconfirmed-gone';
  /** Entities whose documents still have to be written: indexing failed (Elasticsearch away). */
  readonly unindexed: readonly string[];
  /** The hydrated entity's native id (a user's username), when the source served it. */
  readonly nativeId: string | null;
}

/**
 * One refresh of an entity, whole: hydrate it from its source (behind the shared rate gate), resolve
 * the owner emails the graph does not know through identity, persist what changed in one
 * transaction, and index the entities it touched. A workflow runs it as one local activity, so an
 * entity update costs the engine one marker. Every step is idempotent, so a retry repeats it safely;
 * only indexing may fail without failing the refresh (its documents are then left to the caller).
 */
export function createRefresh(steps: {
  hydrate: (input: { target: HydrationTarget }) => Promise<HydrateResult>;
  resolveEmail: (input: { email: string }) => Promise<string | null>;
  persist: (input: PersistInput) => Promise<PersistResult>;
  indexEntities: (input: { uris: readonly string[] }) => Promise<unknown>;
}) {
  return async function refresh({ target, tx, acceptGone }: RefreshInput): Promise<RefreshResult> {
    const hydrated = await steps.hydrate({ target });
    let persisted: PersistResult;
    if (hydrated.kind === 'gone') {
      if (!acceptGone) return { outcome: 'unconfirmed-gone', unindexed: [], nativeId: null };
      persisted = await steps.persist({ target, outcome: { kind: 'gone', uri: null }, tx, fetchedAt: hydrated.fetchedAt });
    } else {
      const usernames = await withIdentity(hydrated.usernames, hydrated.unknownEmails, steps.resolveEmail);
      persisted = await steps.persist({
        target,
        outcome: { kind: 'found', normalized: hydrated.normalized, usernames },
        tx,
        fetchedAt: hydrated.fetchedAt,
      });
    }
    const outcome = hydrated.kind === 'gone' ? 'gone' : persisted.changed ? 'changed' : 'unchanged';
    const nativeId = hydrated.kind === 'found' ? hydrated.normalized.primary.nativeId : null;
    return { outcome, unindexed: await indexOrHandBack(steps.indexEntities, persisted.touched), nativeId };
  };
}
