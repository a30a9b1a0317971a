/**
 * Who may do what through the API. Three scopes: `read` (the graph's questions, search, status),
 * `ingest` (events, OpenLineage, webhooks) and `admin` (operator actions: enrichment on demand, the
 * audit trail). `admin` implies the other two; `ingest` does not imply `read`, so a producer's token
 * cannot read the graph.
 */
export const SCOPES = ['read', 'ingest', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export const grants = (held: readonly Scope[], needed: Scope): boolean => held.includes('admin') || held.includes(needed);
