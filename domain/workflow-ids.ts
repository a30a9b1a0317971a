import type { EntitySubject } from './subject';
import { isEntityType, isSourceName } from './vocabulary';

const PREFIX = 'entity:';

/**
 * The id of an entity's workflow: `entity:{type}/{source}/{lookupKey}`, which is the entity's URI
 * path for every type but users, whose events carry an email (the MlgUri search attribute carries
 * their URI). One workflow per entity: events for it coalesce there.
 */
export function entityWorkflowId(subject: EntitySubject): string {
  return `${PREFIX}${subject.type}/${subject.source}/${encodeURIComponent(subject.lookupKey)}`;
}

export function parseEntityWorkflowId(id: string): EntitySubject {
  if (!id.startsWith(PREFIX)) throw new Error(`'${id}' is not an entity workflow id`);
  const [type, source, key, ...rest] = id.slice(PREFIX.length).split('/');
  if (rest.length > 0 || !type || !source || key === undefined || !isEntityType(type) || !isSourceName(source))
    throw new Error(`'${id}' is not an entity workflow id`);
  return { type, source, lookupKey: decodeURIComponent(key) };
}
