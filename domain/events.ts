import type { EntityType, SourceName } from './vocabulary';

/**
 * The thin events of the reference contract: each event type names its source, the field that
 * carries the id, and the kind of entity that id addresses. For users the id is an email, which the
 * identity source resolves to the username of the entity's URI.
 */
export interface EventTypeDefinition {
  readonly source: SourceName;
  readonly idField: string;
  readonly entityType: EntityType;
}

const registry = (idField: string, entityType: EntityType): EventTypeDefinition => ({ source: 'registry', idField, entityType });
const orchestrator = (idField: string, entityType: EntityType): EventTypeDefinition => ({ source: 'orchestrator', idField, entityType });

export const EVENT_TYPES = Object.freeze({
  model_created: registry('model_id', 'model'),
  model_updated: registry('model_id', 'model'),
  model_instance_created: registry('instance_id', 'model-instance'),
  model_instance_updated: registry('instance_id', 'model-instance'),
  model_instance_deployed: registry('instance_id', 'model-instance'),
  model_instance_deleted: registry('instance_id', 'model-instance'),
  service_updated: registry('service_name', 'service'),
  pipeline_created: orchestrator('pipeline_id', 'pipeline'),
  pipeline_updated: orchestrator('pipeline_id', 'pipeline'),
  pipeline_run_started: orchestrator('run_id', 'pipeline-run'),
  pipeline_run_completed: orchestrator('run_id', 'pipeline-run'),
  pipeline_run_failed: orchestrator('run_id', 'pipeline-run'),
  feature_created: { source: 'featurestore', idField: 'feature_id', entityType: 'feature' },
  feature_updated: { source: 'featurestore', idField: 'feature_id', entityType: 'feature' },
  feature_version_created: { source: 'featurestore', idField: 'feature_id', entityType: 'feature' },
  ab_test_created: { source: 'experiments', idField: 'test_id', entityType: 'ab-test' },
  ab_test_updated: { source: 'experiments', idField: 'test_id', entityType: 'ab-test' },
  ab_test_allocation_changed: { source: 'experiments', idField: 'test_id', entityType: 'ab-test' },
  dataset_created: { source: 'datasets', idField: 'dataset_id', entityType: 'dataset' },
  dataset_updated: { source: 'datasets', idField: 'dataset_id', entityType: 'dataset' },
  dataset_version_created: { source: 'datasets', idField: 'dataset_id', entityType: 'dataset' },
  user_updated: { source: 'identity', idField: 'email', entityType: 'user' },
  team_updated: { source: 'identity', idField: 'team_id', entityType: 'team' },
  team_membership_changed: { source: 'identity', idField: 'team_id', entityType: 'team' },
} satisfies Record<string, EventTypeDefinition>);

export type EventType = keyof typeof EVENT_TYPES;
export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];
export const isEventType = (value: string): value is EventType => Object.hasOwn(EVENT_TYPES, value);

/** A thin event: its type, the id field its type names, and optionally an event id and emit time. */
export interface ThinEvent {
  readonly event_type: EventType;
  readonly event_id?: string;
  readonly emitted_at?: string;
  readonly [idField: string]: string | undefined;
}

/** Builds the thin event of a type for an id, with the id in the field the type names. */
export function thinEvent(eventType: EventType, id: string, extra: { event_id?: string; emitted_at?: string } = {}): ThinEvent {
  return { event_type: eventType, [EVENT_TYPES[eventType].idField]: id, ...extra };
}
