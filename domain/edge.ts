/**
 * An edge of the graph: `subject —predicate→ object`, by URI. Its key names it across the stores
 * (a declared and an inferred edge with the same key are the same statement, told by two origins).
 */
export interface Edge {
  readonly subject: string;
  readonly predicate: string;
  readonly object: string;
}

/** An edge as the read side shows it: with whether an enrichment rule inferred it. */
export interface ShownEdge extends Edge {
  readonly inferred: boolean;
}

export const edgeKey = (e: Edge): string => `${e.subject}\t${e.predicate}\t${e.object}`;

/** Just the edge, without whatever else a row carried. */
export const edgeOf = (e: Edge): Edge => ({ subject: e.subject, predicate: e.predicate, object: e.object });
