import type { Json } from '../domain/entity';

/**
 * The audit trail's vocabulary: who did what, when, from where, and how it ended. Recorded by the API
 * (writes, operator actions, refused credentials) and the operator's command line (`store/audit.ts`
 * keeps it, append-only).
 */
export const ACTOR_KINDS = ['token', 'oidc', 'operator', 'anonymous', 'webhook'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];
export const AUDIT_OUTCOMES = ['ok', 'refused', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Who did something: a token's name, an OIDC subject, an operator at a machine, a signed webhook, or nobody known. */
export interface Actor {
  readonly kind: ActorKind;
  readonly name: string;
}

export interface AuditEntry {
  readonly actor: Actor;
  /** What was done: `events.post`, `enrichment.run`, `dlq.purge`, `credentials.refused`, … */
  readonly action: string;
  /** What it was done to, when it names something: a source, a topic, a route. */
  readonly target: string | null;
  readonly outcome: AuditOutcome;
  /** The HTTP status answered, for a request. */
  readonly status: number | null;
  /** Where from: the client's address, or the operator's host. */
  readonly remote: string | null;
  readonly details?: Readonly<Record<string, Json>>;
}

export interface AuditFilters {
  readonly actor?: string;
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  readonly since?: Date;
  readonly until?: Date;
  /** Entries older than this id: the cursor of the previous page. */
  readonly before?: string;
  readonly limit: number;
}

export interface AuditRecord {
  readonly id: string;
  readonly at: Date;
  readonly actor: string;
  readonly actorKind: ActorKind;
  readonly action: string;
  readonly target: string | null;
  readonly outcome: AuditOutcome;
  readonly status: number | null;
  readonly remote: string | null;
  readonly details: Record<string, Json>;
}
