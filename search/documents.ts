import { tagText } from '../domain/normalize';
import type { Db } from '../store/database';
import { entityRows, neighboursOf, type Neighbour } from '../store/entity-reader';
import type { EntityRow } from '../store/schema';

export interface EntityDocument {
  readonly uri: string;
  readonly type: string;
  readonly source: string;
  readonly nativeId: string;
  readonly name: string;
  readonly description: string | null;
  readonly state: string;
  readonly owners: string[];
  readonly ownerNames: string[];
  readonly teams: string[];
  readonly tags: string[];
  readonly related: string[];
  readonly updatedAt: string;
}

export interface OwnerDocument {
  readonly uri: string;
  readonly type: 'user' | 'team';
  readonly name: string;
  readonly nativeId: string;
  readonly email: string | null;
  readonly teams: string[];
  readonly members: string[];
}

export interface DocumentsOf {
  readonly entities: EntityDocument[];
  readonly owners: OwnerDocument[];
  /** Entities that are deleted: their documents are removed so they drop out of search. */
  readonly deleted: string[];
}

/** How many related names a document carries: enough to find an entity by its neighbours. */
const RELATED_LIMIT = 50;

/** Builds the search documents of entities from the projection and their current edges. */
export async function documentsOf(db: Db, uris: readonly string[]): Promise<DocumentsOf> {
  return uris.length === 0 ? { entities: [], owners: [], deleted: [] } : documentsOfRows(db, await entityRows(db, uris));
}

/** The same, for entity rows already read. */
export async function documentsOfRows(db: Db, rows: readonly EntityRow[]): Promise<DocumentsOf> {
  const live = rows.filter((row) => row.state !== 'deleted');
  const neighbours = await neighboursOf(
    db,
    live.map((row) => row.uri),
    RELATED_LIMIT,
  );
  const byUri = Map.groupBy(neighbours, (n) => n.uri);
  return {
    entities: live.map((row) => entityDocument(row, byUri.get(row.uri) ?? [])),
    owners: live.filter((row) => row.type === 'user' || row.type === 'team').map((row) => ownerDocument(row, byUri.get(row.uri) ?? [])),
    deleted: rows.filter((row) => row.state === 'deleted').map((row) => row.uri),
  };
}

function entityDocument(row: EntityRow, neighbours: readonly Neighbour[]): EntityDocument {
  const out = (predicate: string) => neighbours.filter((n) => n.direction === 'out' && n.predicate === predicate);
  const owners = out('owned_by');
  const related = neighbours.filter(
    (n) => !['owned_by', 'owned_by_team'].includes(n.predicate) && !(n.direction === 'in' && n.predicate === 'member_of'),
  );
  return {
    uri: row.uri,
    type: row.type,
    source: row.source,
    nativeId: row.native_id,
    name: row.name,
    description: row.description,
    state: row.state,
    owners: unique(owners.map((n) => n.other)),
    ownerNames: unique(owners.map((n) => n.other_name)),
    teams: unique(out('owned_by_team').map((n) => n.other)),
    tags: row.tags.map(tagText),
    related: unique(related.map((n) => n.other_name)).slice(0, RELATED_LIMIT),
    updatedAt: row.updated_at.toISOString(),
  };
}

function ownerDocument(row: EntityRow, neighbours: readonly Neighbour[]): OwnerDocument {
  const email = row.type === 'user' ? row.lookup_key : null;
  return {
    uri: row.uri,
    type: row.type as 'user' | 'team',
    name: row.name,
    nativeId: row.native_id,
    email,
    teams: unique(neighbours.filter((n) => n.direction === 'out' && n.predicate === 'member_of').map((n) => n.other)),
    members: unique(neighbours.filter((n) => n.direction === 'in' && n.predicate === 'member_of').map((n) => n.other)),
  };
}

const unique = (values: readonly string[]): string[] => [...new Set(values)].sort();
