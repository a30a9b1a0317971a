/**
 * Why an entity is hydrated again: an event from its source (whose catalog entry says whether the
 * event announces a deletion), or the enrichment sweep (placeholders and entities gone stale).
 */
export type RefreshCause = { readonly kind: 'event'; readonly eventType: string; readonly deletes: boolean } | { readonly kind: 'sweep' };

/** A request to hydrate an entity again: why, with the id of the event if an event asked. */
export interface RefreshRequest {
  readonly cause: RefreshCause;
  readonly eventId: string | null;
}

/** How a cause is recorded in a transaction's `cause` column: the event type, or `sweep`. */
export const causeLabel = (cause: RefreshCause): string => (cause.kind === 'event' ? cause.eventType : cause.kind);
