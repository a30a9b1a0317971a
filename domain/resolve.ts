import type { Normalized, NormalizedEntity, Pointer, Resolved, ResolvedEdge, ResolvedRef } from './entity';
import { uriAt, uriOf } from './uri';

/** The emails a normalized payload names (owners, team members): they resolve to usernames through identity. */
export function emailsOf(normalized: Normalized): string[] {
  const emails = new Set<string>();
  for (const e of normalized.edges) for (const p of [e.subject, e.object]) if ('email' in p) emails.add(p.email);
  return [...emails].sort();
}

/**
 * Turns pointers into URIs, emails into users by the usernames identity gave. An email identity does
 * not know leaves its edges out (and is reported), rather than inventing a user.
 */
export function resolveNormalized(normalized: Normalized, usernames: Readonly<Record<string, string | null>>, scheme: string): Resolved {
  const unresolved = new Set<string>();
  const ref = (pointer: Pointer): ResolvedRef | null => {
    if ('email' in pointer) {
      const username = usernames[pointer.email];
      if (!username) {
        unresolved.add(pointer.email);
        return null;
      }
      return { uri: uriOf('user', username, scheme), type: 'user', nativeId: username, lookupKey: pointer.email };
    }
    return {
      uri: uriAt(pointer.type, pointer.source, pointer.nativeId, scheme),
      type: pointer.type,
      ...(pointer.source ? { source: pointer.source } : {}),
      nativeId: pointer.nativeId,
      lookupKey: pointer.nativeId,
    };
  };
  const edges: ResolvedEdge[] = [];
  for (const e of normalized.edges) {
    const subject = ref(e.subject);
    const object = ref(e.object);
    if (subject && object) edges.push({ subject, predicate: e.predicate, object });
  }
  const entity = (n: NormalizedEntity) => ({ uri: uriAt(n.type, n.source, n.nativeId, scheme), entity: n });
  return {
    primary: entity(normalized.primary),
    dependents: normalized.dependents.map(entity),
    edges,
    unresolvedEmails: [...unresolved].sort(),
  };
}
