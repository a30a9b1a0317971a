import type { Client } from '@temporalio/client';
import { parseOpenLineageEvent, type OpenLineageEvent } from '../connectors/openlineage/event';

/** What the intake accepts, as a schema for documents (the API's OpenAPI document). */
export { openLineageEventShape } from '../connectors/openlineage/event';
import { datasetRef, jobRef, type OlRef } from '../connectors/openlineage/records';
import { runNativeId } from '../connectors/openlineage/naming';
import type { Json } from '../domain/entity';
import { uriAt } from '../domain/uri';
import { OPENLINEAGE } from '../domain/vocabulary';
import { openLineageWorkflowId } from '../domain/workflow-ids';
import type { Config } from '../platform/config';
import { metrics } from '../platform/metrics';
import type { Db } from '../store/database';
import { storeEvents } from '../store/openlineage';
import { lineageEventSignal, openLineageWorkflow } from '../workflows/openlineage';

export interface LineageRejection {
  readonly index: number;
  readonly field: string;
  readonly reason: string;
}

/** The entity whose workflow applies an event: its run, or the job or dataset of a job or dataset event. */
export function subjectOf(event: OpenLineageEvent): OlRef {
  if (event.kind === 'run') return { type: 'pipeline-run', nativeId: runNativeId(event.runId, event.job) };
  return event.kind === 'job' ? jobRef(event.job) : datasetRef(event.dataset);
}

const SIGNAL_DEADLINE_MS = 10_000;
const SIGNALS_AT_ONCE = 100;

/**
 * The OpenLineage intake, the same for HTTP and Kafka: validates each event, keeps the valid ones in
 * PostgreSQL as they came, and signals each subject's workflow (starting it if need be) with their
 * hashes. Resolves once every valid event is stored and durably handed to Temporal, so that a crash
 * after the producer's 201 loses nothing; rejections name the field.
 */
export async function acceptOpenLineage(
  deps: { client: Client; db: Db; config: Pick<Config, 'temporal' | 'uriScheme'> },
  raws: readonly unknown[],
  channel: 'http' | 'kafka',
): Promise<{ accepted: number; rejected: LineageRejection[] }> {
  const rejected: LineageRejection[] = [];
  const valid: { event: OpenLineageEvent; subject: OlRef; raw: unknown }[] = [];
  raws.forEach((raw, index) => {
    const verdict = parseOpenLineageEvent(raw);
    if (verdict.ok) valid.push({ event: verdict.event, subject: subjectOf(verdict.event), raw });
    else rejected.push({ index, field: verdict.field, reason: verdict.reason });
  });
  await storeEvents(
    deps.db,
    valid.map(({ event, subject, raw }) => ({
      hash: event.hash,
      eventTime: event.eventTime,
      kind: event.kind,
      subject: uriAt(subject.type, OPENLINEAGE, subject.nativeId, deps.config.uriScheme),
      body: raw as Json,
    })),
  );
  // A batch of thousands is handed on a hundred at a time, not all at once.
  for (let i = 0; i < valid.length; i += SIGNALS_AT_ONCE)
    await Promise.all(
      valid.slice(i, i + SIGNALS_AT_ONCE).map(({ event, subject }) =>
        deps.client.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () =>
          deps.client.workflow.signalWithStart(openLineageWorkflow, {
            workflowId: openLineageWorkflowId(subject),
            taskQueue: deps.config.temporal.taskQueue,
            args: [{}],
            signal: lineageEventSignal,
            signalArgs: [{ hash: event.hash }],
          }),
        ),
      ),
    );
  metrics.events.inc({ channel: `openlineage-${channel}`, outcome: 'accepted' }, valid.length);
  metrics.events.inc({ channel: `openlineage-${channel}`, outcome: 'rejected' }, rejected.length);
  return { accepted: valid.length, rejected };
}
