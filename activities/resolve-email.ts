import { identity, userSchema } from '../connectors/identity';
import type { SourceClient } from '../connectors/source-client';

export interface ResolveEmailInput {
  readonly email: string;
}

/**
 * Resolves one email to a username through the identity source (its client caches identical calls);
 * an email identity does not know resolves to null. The request waits its turn at identity's rate gate.
 */
export function createResolveEmail(deps: { identity: SourceClient }) {
  const path = identity.entities.user.path;
  return async function resolveEmail({ email }: ResolveEmailInput): Promise<string | null> {
    const outcome = await deps.identity.get(path(email));
    return outcome.status === 'found' ? userSchema.parse(outcome.payload).username : null;
  };
}

/**
 * The usernames of owner emails: those already known (`known`), and identity asked, one at a time,
 * about the rest (an email it does not know maps to null).
 */
export async function withIdentity(
  known: Readonly<Record<string, string | null>>,
  emails: readonly string[],
  resolveEmail: (input: ResolveEmailInput) => Promise<string | null>,
): Promise<Record<string, string | null>> {
  const usernames: Record<string, string | null> = { ...known };
  for (const email of emails) if (!(email in usernames)) usernames[email] = await resolveEmail({ email });
  return usernames;
}
