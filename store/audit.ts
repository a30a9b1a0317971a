import type { AuditEntry, AuditFilters, AuditRecord } from '../platform/audit';
import type { Db } from './database';

/** Appends one entry to the audit trail (migration 0016: it cannot be changed afterwards). */
export async function appendAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_trail')
    .values({
      actor: entry.actor.name,
      actor_kind: entry.actor.kind,
      action: entry.action,
      target: entry.target,
      outcome: entry.outcome,
      status: entry.status,
      remote: entry.remote,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

/** The newest entries first, filtered, a page at a time (by id, which only grows). */
export async function auditEntries(db: Db, filters: AuditFilters): Promise<AuditRecord[]> {
  let query = db.selectFrom('audit_trail').selectAll();
  if (filters.actor !== undefined) query = query.where('actor', '=', filters.actor);
  if (filters.action !== undefined) query = query.where('action', '=', filters.action);
  if (filters.outcome !== undefined) query = query.where('outcome', '=', filters.outcome);
  if (filters.since !== undefined) query = query.where('at', '>=', filters.since);
  if (filters.until !== undefined) query = query.where('at', '<', filters.until);
  if (filters.before !== undefined) query = query.where('id', '<', filters.before);
  const rows = await query.orderBy('id', 'desc').limit(filters.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    actorKind: r.actor_kind,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    status: r.status,
    remote: r.remote,
    details: r.details,
  }));
}
