import { sql } from 'kysely';
import type { Db } from './database';

/**
 * Which predicates one lineage step follows: out (subject → object), in (object → subject), into
 * members; and which join equivalents, crossed both ways at no cost in distance.
 */
export interface WalkPredicates {
  readonly out: readonly string[];
  readonly in: readonly string[];
  readonly members: readonly string[];
  readonly same: readonly string[];
}

export interface WalkRequest {
  readonly root: string;
  readonly predicates: WalkPredicates;
  readonly depth: number;
  readonly nodeCap: number;
}

export interface WalkedNode {
  readonly uri: string;
  readonly type: string;
  readonly name: string;
  readonly distance: number;
  readonly container: boolean;
}

export interface WalkedStep {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly predicate: string;
  readonly object: string;
  readonly inferred: boolean;
}

export interface Walk {
  /** In order of distance, then URI. */
  readonly nodes: readonly WalkedNode[];
  readonly steps: readonly WalkedStep[];
  readonly truncated: boolean;
}

interface WalkDocument {
  nodes: [string, string, string, number, boolean][];
  steps: [string, string, string, string, string, boolean][];
  truncated: boolean;
}

/**
 * Breadth-first walks inside the database (the `lineage_walk` function), all of them in one
 * statement: one round trip per question, whatever its depth or its number of directions. A walk
 * from a root the graph did not know (at `asOf`) is null.
 */
export async function walkLineage(db: Db, walks: readonly WalkRequest[], asOf: Date | null): Promise<(Walk | null)[]> {
  if (walks.length === 0) return [];
  const calls = walks.map(
    (w, i) =>
      sql`lineage_walk(${w.root}, ${[...w.predicates.out]}::text[], ${[...w.predicates.in]}::text[], ${[...w.predicates.members]}::text[], ${[...w.predicates.same]}::text[], ${w.depth}::int, ${w.nodeCap}::int, ${asOf}::timestamptz) as ${sql.ref(`w${i}`)}`,
  );
  const { rows } = await sql<Record<string, WalkDocument | null>>`select ${sql.join(calls)}`.execute(db);
  const row = rows[0] ?? {};
  return walks.map((_, i) => {
    const doc = row[`w${i}`];
    if (!doc) return null;
    return {
      nodes: doc.nodes.map(([uri, type, name, distance, container]) => ({ uri, type, name, distance, container })),
      steps: doc.steps.map(([from, to, subject, predicate, object, inferred]) => ({ from, to, subject, predicate, object, inferred })),
      truncated: doc.truncated,
    };
  });
}
