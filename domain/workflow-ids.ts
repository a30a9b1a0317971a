import type { HydrationTarget } from './hydration-target';
import { isEntityType, isSourceName } from './vocabulary';

const PREFIX = 'entity:';

/**
 * The id of an entity's workflow: `entity:{type}/{source}/{lookupKey}`, which is the entity's URI
 * path for every type but users, whose events carry an email (the MlgUri search attribute carries
 * their URI). One workflow per entity: events for it coalesce there.
 */
export function entityWorkflowId(target: HydrationTarget): string {
  return `${PREFIX}${target.type}/${target.source}/${encodeURIComponent(target.lookupKey)}`;
}

export function parseEntityWorkflowId(id: string): HydrationTarget {
  if (!id.startsWith(PREFIX)) throw new Error(`'${id}' is not an entity workflow id`);
  const [type, source, key, ...rest] = id.slice(PREFIX.length).split('/');
  if (rest.length > 0 || !type || !source || key === undefined || !isEntityType(type) || !isSourceName(source))
    throw new Error(`'${id}' is not an entity workflow id`);
  return { type, source, lookupKey: decodeURIComponent(key) };
}

/**
 * The id of the workflow that applies the OpenLineage events of one subject (a run, or for a job or
 * dataset event the job or dataset): `openlineage:{type}/{nativeId}`.
 */
export const openLineageWorkflowId = (subject: { type: string; nativeId: string }): string =>
  `openlineage:${subject.type}/${encodeURIComponent(subject.nativeId)}`;
