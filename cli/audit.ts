import type { AuditOutcome } from '../platform/audit';
import { answer, EXIT, withServices, type Output } from './context';

export interface AuditOptions {
  readonly actor?: string;
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  readonly since?: Date;
  readonly limit: number;
}

/** `mlg audit`: the audit trail, newest first: who did what, when, from where, and how it ended. */
export async function auditCommand(opts: AuditOptions, out: Output): Promise<number> {
  return withServices(async (services) => {
    const entries = await services.audit.entries(opts);
    answer(out, { entries }, () =>
      entries.length === 0
        ? ['no entries']
        : entries.map(
            (e) =>
              `${e.at.toISOString()}  ${e.outcome.padEnd(7)} ${e.action.padEnd(20)} ${e.actor} (${e.actorKind})${e.target ? `  ${e.target}` : ''}${e.status === null ? '' : `  ${e.status}`}${e.remote ? `  from ${e.remote}` : ''}`,
          ),
    );
    return EXIT.ok;
  });
}
