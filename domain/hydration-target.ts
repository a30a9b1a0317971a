import type { EntityType, SourceName } from './vocabulary';

/**
 * What an entity workflow hydrates: an entity type at its source, by the id the source is asked
 * with (the native id, except for users: their email).
 */
export interface HydrationTarget {
  readonly type: EntityType;
  readonly source: SourceName;
  readonly lookupKey: string;
}
