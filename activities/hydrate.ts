import { sourceClient, type SourceClients } from '../connectors/source-client';
import { entityDeclaration } from '../connectors';
import type { Normalized } from '../domain/entity';
import { emailsOf } from '../domain/resolve';
import type { HydrationTarget } from '../domain/hydration-target';
import { AppError } from '../platform/errors';
import type { Db } from '../store/database';
import { usernamesByEmail } from '../store/entity-reader';

export interface HydrateInput {
  readonly target: HydrationTarget;
}

export type HydrateResult =
  | {
      readonly kind: 'found';
      readonly normalized: Normalized;
      /** Emails the graph already knows, with their usernames. */
      readonly usernames: Record<string, string>;
      /** Emails to resolve through identity. */
      readonly unknownEmails: string[];
      /** When the source answered (ms). */
      readonly fetchedAt: number;
    }
  | { readonly kind: 'gone'; readonly fetchedAt: number };

/**
 * Fetches an entity's full current state from its source and normalizes it; the request waits its
 * turn at the source's rate gate, which holds across all workers. Emails that the graph already
 * resolved are looked up in Postgres, so identity is asked only about new ones.
 */
export function createHydrate(deps: { db: Db; sources: SourceClients }) {
  return async function hydrate({ target }: HydrateInput): Promise<HydrateResult> {
    const began = Date.now();
    const declaration = entityDeclaration(target.type, target.source);
    if (!('path' in declaration)) throw new AppError('BAD_REQUEST', `${target.type} has no endpoint of its own; hydrate its container`);
    // Never an answer to a request older than this hydration: the events that asked for it may be newer.
    const outcome = await sourceClient(deps.sources, target.source).get(declaration.path(target.lookupKey), { notBefore: began });
    if (outcome.status === 'gone') return { kind: 'gone', fetchedAt: outcome.fetchedAt };
    const normalized = declaration.normalize(outcome.payload);
    const emails = emailsOf(normalized);
    const usernames = await usernamesByEmail(deps.db, emails);
    const unknownEmails = emails.filter((email) => !(email in usernames));
    return { kind: 'found', normalized, usernames, unknownEmails, fetchedAt: outcome.fetchedAt };
  };
}
