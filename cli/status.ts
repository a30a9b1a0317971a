import { checkHealth } from '../api/health';
import { consumerLag, topicMessageCount } from '../bus/kafka';
import { latestSyncRuns } from '../store/sync-runs';
import { answer, count, EXIT, withServices, type Output } from './context';

const WORKFLOW_KINDS = ['entityWorkflow', 'syncWorkflow', 'syncAllWorkflow', 'enrichmentSweepWorkflow'] as const;

/** Runs a probe; what cannot be known because its server is away is null. */
const known = async <T>(probe: () => Promise<T>): Promise<T | null> => probe().catch(() => null);

const ago = (at: Date): string => {
  const s = Math.round((Date.now() - at.getTime()) / 1000);
  return s < 90 ? `${s} s ago` : s < 5400 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
};

/** `mlg status`: the servers, the consumer's lag, running workflows by kind, each source's last sync, dead letters. */
export async function statusCommand(out: Output): Promise<number> {
  return withServices(async (services, config) => {
    const { kafka, temporal } = config;
    const running = (kind: string) =>
      known(async () => {
        const query = `WorkflowType="${kind}" AND ExecutionStatus="Running" AND TaskQueue="${temporal.taskQueue}"`;
        return (await services.temporal.client.workflow.count(query)).count;
      });
    const [health, lag, deadLetters, syncs, ...counts] = await Promise.all([
      checkHealth(services),
      known(() => consumerLag(kafka.brokers, kafka.consumerGroup, kafka.eventsTopic)),
      known(() => topicMessageCount(kafka.brokers, kafka.deadLetterTopic)),
      known(() => latestSyncRuns(services.db)),
      ...WORKFLOW_KINDS.map(running),
    ]);
    const workflows = Object.fromEntries(WORKFLOW_KINDS.map((kind, i) => [kind, counts[i] ?? null]));
    const data = {
      status: health.status,
      servers: Object.fromEntries(Object.entries(health.components).map(([name, c]) => [name, c.status])),
      consumerLag: lag === null ? null : Number(lag),
      deadLetters: deadLetters === null ? null : Number(deadLetters),
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
