import { consumerLag, topicMessageCount } from '../bus/kafka';
import type { Services } from '../platform/services';
import { latestSyncRuns, type SyncRun } from '../store/sync-runs';
import { checkHealth, type Health } from './health';

export const WORKFLOW_KINDS = ['entityWorkflow', 'syncWorkflow', 'syncAllWorkflow', 'enrichmentSweepWorkflow'] as const;
export type WorkflowKind = (typeof WORKFLOW_KINDS)[number];

export interface SystemStatus {
  readonly health: Health;
  /** Events waiting in Kafka for the consumer; null when Kafka cannot say. */
  readonly consumerLag: number | null;
  readonly deadLetters: number | null;
  readonly runningWorkflows: Record<WorkflowKind, number | null>;
  readonly lastSyncs: SyncRun[] | null;
}

/** Runs a probe; what cannot be known because its server is away is null. */
const known = async <T>(probe: () => Promise<T>): Promise<T | null> => probe().catch(() => null);

/** What an operator looks at first (`mlg status`, the portal's status page): servers, lag, dead letters, workflows, syncs. */
export async function systemStatus(services: Services): Promise<SystemStatus> {
  const { kafka, temporal } = services.config;
  const running = (kind: WorkflowKind) =>
    known(async () => {
      const query = `WorkflowType="${kind}" AND ExecutionStatus="Running" AND TaskQueue="${temporal.taskQueue}"`;
      return (await services.temporal.client.workflow.count(query)).count;
    });
  const [health, lag, deadLetters, lastSyncs, ...counts] = await Promise.all([
    checkHealth(services),
    known(() => consumerLag(kafka, kafka.consumerGroup, kafka.eventsTopic)),
    known(() => topicMessageCount(kafka, kafka.deadLetterTopic)),
    known(() => latestSyncRuns(services.db)),
    ...WORKFLOW_KINDS.map(running),
  ]);
  return {
    health,
    consumerLag: lag === null ? null : Number(lag),
    deadLetters: deadLetters === null ? null : Number(deadLetters),
    runningWorkflows: Object.fromEntries(WORKFLOW_KINDS.map((kind, i) => [kind, counts[i] ?? null])) as Record<WorkflowKind, number | null>,
    lastSyncs,
  };
}
