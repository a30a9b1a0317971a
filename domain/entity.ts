import type { EntityType, GraphSource, LifecycleState, Predicate } from './vocabulary';
import type { EdgeOf } from './edge';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Tag {
  readonly tag: string;
  readonly value: string;
}

/**
 * Another entity as a source payload names it: by its native id, or (users only) by the email that
 * the identity source resolves to a username.
 */
export type Pointer =
  | { readonly type: EntityType; readonly nativeId: string; readonly source?: GraphSource }
  | { readonly type: 'user'; readonly email: string };

/** One entity's current state, normalized from its source's payload. */
export interface NormalizedEntity {
  readonly type: EntityType;
  /** Its source, when not the one the domain assigns to its type (OpenLineage's jobs, runs, datasets). */
  readonly source?: GraphSource;
  readonly nativeId: string;
  /** The id its source is asked with: the native id, except for users (their email). */
  readonly lookupKey: string;
  readonly name: string;
  readonly description: string | null;
  readonly attributes: Readonly<Record<string, Json>>;
  readonly tags: readonly Tag[];
}

export type DeclaredEdge = EdgeOf<Pointer>;

/**
 * What one hydration yields: the entity, the entities its payload fully describes (the cells of an
 * A/B test), and the edges the payload declares, all asserted by the primary entity.
 */
export interface Normalized {
  readonly primary: NormalizedEntity;
  readonly dependents: readonly NormalizedEntity[];
  readonly edges: readonly DeclaredEdge[];
}

/** A reference whose URI is known: what a pointer becomes once its email (if any) is resolved. */
export interface ResolvedRef {
  readonly uri: string;
  readonly type: EntityType;
  /** When not the one the domain assigns to its type. */
  readonly source?: GraphSource;
  readonly nativeId: string;
  readonly lookupKey: string;
}

export type ResolvedEdge = EdgeOf<ResolvedRef>;

/** A hydrated and resolved entity: ready to be persisted. */
export interface ResolvedEntity {
  readonly uri: string;
  readonly entity: NormalizedEntity;
}

export interface Resolved {
  readonly primary: ResolvedEntity;
  readonly dependents: readonly ResolvedEntity[];
  readonly edges: readonly ResolvedEdge[];
  /** Owner or member emails the identity source does not know: their edges were left out. */
  readonly unresolvedEmails: readonly string[];
}

export type { EntityType, LifecycleState, Predicate };
