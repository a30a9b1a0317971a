import { sql } from 'kysely';
import type { Db } from './database';
import type { ShownEdge } from '../domain/edge';
import type { Predicate } from '../domain/vocabulary';

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

/** An edge a walk followed, from the end it reached it by to the end it went on to. */
export type WalkedStep = ShownEdge & { readonly from: string; readonly to: string };

export interface Walk {
  /** In order of distance, then URI. */
  readonly nodes: readonly WalkedNode[];
  readonly steps: readonly WalkedStep[];
  readonly truncated: boolean;
}

/** The walk's answer (migration 0015): the nodes by level, the steps by statement. */
interface WalkDocument {
  levels: [distance: number, nodes: [uri: string, type: string, name: string, container: boolean][]][];
  steps: [reversed: boolean, subject: string, predicate: Predicate, object: string, inferred: boolean][][];
  truncated: boolean;
}

function walkOf(doc: WalkDocument): Walk {
  const nodes: WalkedNode[] = [];
  for (const [distance, level] of doc.levels)
    for (const [uri, type, name, container] of level) nodes.push({ uri, type, name, distance, container });
  const steps: WalkedStep[] = [];
  for (const level of doc.steps)
    for (const [reversed, subject, predicate, object, inferred] of level)
      steps.push({ from: reversed ? object : subject, to: reversed ? subject : object, subject, predicate, object, inferred });
  return { nodes, steps, truncated: doc.truncated };
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
    return doc ? walkOf(doc) : null;
  });
}
