import type { Predicate } from './vocabulary';

/**
 * The one edge of the graph: `subject —predicate→ object`. Its ends are URIs once resolved (`Edge`);
 * before that, what a source's payload points at (`EdgeOf<Pointer>`, `EdgeOf<ResolvedRef>`). Its key
 * names it across the stores (a declared and an inferred edge with the same key are the same
 * statement, told by two origins). The other views of an edge below are derived from it.
 */
export interface EdgeOf<End> {
  readonly subject: End;
  readonly predicate: Predicate;
  readonly object: End;
}

export type Edge = EdgeOf<string>;

/** An edge as the read side shows it: with whether an enrichment rule inferred it. */
export type ShownEdge = Edge & { readonly inferred: boolean };

/** An edge as the graph holds it: with the rule that inferred it and the edges that rule found, if any. */
export type HeldEdge = ShownEdge & { readonly rule: string | null; readonly support: readonly Edge[] | null };

export const edgeKey = (e: Edge): string => `${e.subject}\t${e.predicate}\t${e.object}`;

/** Just the edge, without whatever else a row carried. */
export const edgeOf = (e: Edge): Edge => ({ subject: e.subject, predicate: e.predicate, object: e.object });
