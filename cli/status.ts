import { systemStatus, WORKFLOW_KINDS } from '../api/status';
import { answer, count, EXIT, withServices, type Output } from './context';

const ago = (at: Date): string => {
  const s = Math.round((Date.now() - at.getTime()) / 1000);
  return s < 90 ? `${s} s ago` : s < 5400 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
};

/** `mlg status`: the servers, the consumer's lag, running workflows by kind, each source's last sync, dead letters. */
export async function statusCommand(out: Output): Promise<number> {
  return withServices(async (services) => {
    const { health, consumerLag, deadLetters, runningWorkflows: workflows, lastSyncs: syncs } = await systemStatus(services);
    const data = {
      status: health.status,
      servers: Object.fromEntries(Object.entries(health.components).map(([name, c]) => [name, c.status])),
      consumerLag,
      deadLetters,
      runningWorkflows: workflows,
      lastSyncs: syncs,
    };
    const unknown = (v: number | null | undefined): string => (v === null || v === undefined ? 'unknown' : String(v));
    answer(out, data, () => [
      `servers      ${Object.entries(health.components)
        .map(([name, c]) => `${name} ${c.status}`)
        .join(', ')}`,
      `events       waiting in Kafka: ${unknown(data.consumerLag)}, dead-lettered: ${unknown(data.deadLetters)}`,
      `workflows    ${WORKFLOW_KINDS.map((k) => `${unknown(workflows[k])} ${k.replace(/Workflow$/, '')}`).join(', ')} running`,
      ...(syncs === null
        ? ['syncs        unknown (PostgreSQL away)']
        : syncs.length === 0
          ? ['syncs        none yet (mlg sync --full brings every source in)']
          : syncs.map(
              (r, i) =>
                `${i === 0 ? 'syncs       ' : '            '} ${r.source.padEnd(12)} ${r.mode} ${r.status} ${ago(r.startedAt)}` +
                `${r.counts.entities !== undefined ? `, ${count(r.counts.entities, 'entity', 'entities')}, ${r.counts.changed ?? 0} changed` : ''}${r.message ? ` (${r.message})` : ''}`,
            )),
    ]);
    return health.status === 'up' ? EXIT.ok : EXIT.unavailable;
  });
}
