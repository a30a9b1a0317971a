import { sql } from 'kysely';
import type { GroundTruth } from '../../demo/world/truth';
import type { Db } from '../../store/database';

export interface GraphSnapshot {
  readonly entities: { uri: string; type: string; name: string; owners: string[]; tags: string[] }[];
  readonly edges: string[];
}

const byUri = (a: { uri: string }, b: { uri: string }): number => a.uri.localeCompare(b.uri);

/** The service's current graph, in the shape the ground truth is compared in. */
export async function graphOf(db: Db, opts: { inferred: boolean }): Promise<GraphSnapshot> {
  const rows = await db.selectFrom('entities').select(['uri', 'type', 'name', 'tags', 'state']).where('state', '<>', 'deleted').execute();
  const edges = await sql<{ subject: string; predicate: string; object: string }>`
    select distinct subject, predicate, object from current_edges where ${opts.inferred ? sql`true` : sql`not inferred`}`.execute(db);
  const owners = new Map<string, string[]>();
  for (const e of edges.rows) if (e.predicate === 'owned_by') owners.set(e.subject, [...(owners.get(e.subject) ?? []), e.object]);
  return {
    entities: rows
      .map((row) => ({
        uri: row.uri,
        type: row.type,
        name: row.state === 'placeholder' ? `(placeholder) ${row.name}` : row.name,
        owners: (owners.get(row.uri) ?? []).sort(),
        tags: row.tags.map((t) => `${t.tag}::${t.value}`).sort(),
      }))
      .sort(byUri),
    edges: edges.rows.map((e) => `${e.subject} ${e.predicate} ${e.object}`).sort(),
  };
}

/** The ground truth in the same shape. */
export function truthSnapshot(truth: GroundTruth, opts: { inferred: boolean }): GraphSnapshot {
  return {
    entities: truth.entities
      .map((e) => ({
        uri: e.uri,
        type: e.type,
        name: e.name,
        owners: [...e.owners].sort(),
        tags: e.tags.map((t) => `${t.tag}::${t.value}`).sort(),
      }))
      .sort(byUri),
    edges: truth.edges
      .filter((e) => opts.inferred || !e.inferred)
      .map((e) => `${e.subject} ${e.predicate} ${e.object}`)
      .sort(),
  };
}

/**
 * Whether two snapshots are equal, entity by entity and edge by edge: no single string of the whole
 * graph (at a million entities that would pass the largest string V8 allows).
 */
export function sameSnapshot(a: GraphSnapshot, b: GraphSnapshot): boolean {
  if (a.entities.length !== b.entities.length || a.edges.length !== b.edges.length) return false;
  for (let i = 0; i < a.entities.length; i++) if (JSON.stringify(a.entities[i]) !== JSON.stringify(b.entities[i])) return false;
  for (let i = 0; i < a.edges.length; i++) if (a.edges[i] !== b.edges[i]) return false;
  return true;
}

/** What differs between two snapshots, briefly: for assertion messages. */
export function describeDifference(actual: GraphSnapshot, expected: GraphSnapshot): string {
  const entityKey = (e: GraphSnapshot['entities'][number]) => JSON.stringify(e);
  const a = new Set(actual.entities.map(entityKey));
  const x = new Set(expected.entities.map(entityKey));
  const ae = new Set(actual.edges);
  const xe = new Set(expected.edges);
  const sample = (items: string[]) => `${items.length} ${items.slice(0, 3).join(' | ')}`;
  return [
    `entities missing: ${sample([...x].filter((k) => !a.has(k)))}`,
    `entities extra: ${sample([...a].filter((k) => !x.has(k)))}`,
    `edges missing: ${sample([...xe].filter((k) => !ae.has(k)))}`,
    `edges extra: ${sample([...ae].filter((k) => !xe.has(k)))}`,
  ].join('\n');
}
