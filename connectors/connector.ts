import { z } from 'zod';
import type { DeclaredEdge, Normalized, NormalizedEntity, Pointer } from '../domain/entity';
import { attributesOf, tagsOf } from '../domain/normalize';
import type { EntityType, Predicate, SourceName } from '../domain/vocabulary';
import type { ListingRequest } from './listing';

/** A thin event type a source emits: the field that carries the id, and the kind of entity it addresses. */
export interface EventDeclaration {
  readonly idField: string;
  readonly entityType: EntityType;
  /** The event announces that the entity is gone: a 404 is believed at once, not checked again. */
  readonly deletes?: true;
}

/** How a connector hydrates and normalizes one entity type. */
export type EntityDeclaration =
  | {
      /** The path under the source's base URL that serves an entity, by its lookup key. */
      readonly path: (lookupKey: string) => string;
      /**
       * The path that lists every entity of the type in pages of the same payloads (the contract's
       * "Listing"), for reconciliation; absent when the source cannot list them.
       */
      readonly list?: string;
      /** Validates a payload and normalizes it; throws (a ZodError) when the payload breaks the contract. */
      readonly normalize: (payload: unknown) => Normalized;
    }
  | {
      /** Entities with no endpoint of their own are hydrated through their container (a cell through its test). */
      readonly via: (nativeId: string) => { readonly type: EntityType; readonly lookupKey: string };
    };

/** How a source pages through its listings: the query of one page, and the payloads and next token of its answer. */
export interface ListingProtocol {
  readonly query: (request: ListingRequest) => Record<string, string>;
  /** The page's payloads and the token of the next page (null at the end); null when the answer breaks the protocol. */
  readonly read: (payload: unknown) => { readonly items: readonly unknown[]; readonly nextPageToken: string | null } | null;
}

/** One source system: the events it emits and how its entities are hydrated and normalized. */
export interface Connector {
  readonly source: SourceName;
  readonly events: Readonly<Record<string, EventDeclaration>>;
  readonly entities: Readonly<Partial<Record<EntityType, EntityDeclaration>>>;
  /** How its listings page, when not as the reference contract says (`limit`, `page_token`, `items`). */
  readonly listing?: ListingProtocol;
}

export const defineConnector = <C extends Connector>(connector: C): C => connector;

/** The path segment for an id: ids are percent-encoded, since a native id may hold a slash. */
export const segment = (id: string): string => encodeURIComponent(id);

// Shared payload pieces of the reference contract.
export const labelsSchema = z.array(z.object({ key: z.string(), value: z.string() })).default([]);
export const ownerEmailsSchema = z.array(z.string().min(1)).default([]);

export const ptr = (type: EntityType, nativeId: string): Pointer => ({ type, nativeId });
export const edge = (subject: Pointer, predicate: Predicate, object: Pointer): DeclaredEdge => ({ subject, predicate, object });

/** The `owned_by` edges of a payload's owner emails, to be resolved to usernames through identity. */
export const ownerEdges = (subject: Pointer, emails: readonly string[]): DeclaredEdge[] =>
  emails.map((email) => edge(subject, 'owned_by', { type: 'user', email }));

export function entity(
  type: EntityType,
  nativeId: string,
  fields: {
    name: string;
    description?: string | null;
    attributes: NormalizedEntity['attributes'];
    labels?: readonly { key: string; value: string }[];
    lookupKey?: string;
  },
): NormalizedEntity {
  return {
    type,
    nativeId,
    lookupKey: fields.lookupKey ?? nativeId,
    name: fields.name,
    description: fields.description ?? null,
    attributes: fields.attributes,
    tags: tagsOf(fields.labels),
  };
}

/**
 * The common case: an entity with a name, a description, owners and labels, whose other fields are
 * attributes. `consumed` names the fields that became ids or edges; `edges` are the payload's other
 * declared edges.
 */
export function ownedEntity(
  type: EntityType,
  nativeId: string,
  payload: Readonly<Record<string, unknown>> & {
    name: string;
    description: string | null;
    owner_emails: string[];
    labels: { key: string; value: string }[];
  },
  consumed: readonly string[],
  edges: (self: Pointer) => DeclaredEdge[] = () => [],
): Normalized {
  const self = ptr(type, nativeId);
  return {
    primary: entity(type, nativeId, {
      name: payload.name,
      description: payload.description,
      labels: payload.labels,
      attributes: attributesOf(payload, ['name', 'description', 'owner_emails', 'labels', ...consumed]),
    }),
    dependents: [],
    edges: [...edges(self), ...ownerEdges(self, payload.owner_emails)],
  };
}
