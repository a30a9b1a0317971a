/**
 * The Temporal search attributes that operators find entity workflows by, of the keyword kind:
 * defined once here, registered by the local dev server and by the pipeline on a real cluster, and
 * set by the entity workflows. Only the URI: an entity's type and source are in its workflow id
 * (`WorkflowId STARTS_WITH "entity:model/"`), and every attribute costs the engine a visibility write.
 */
export const SEARCH_ATTRIBUTE_NAMES = Object.freeze({
  uri: 'MlgUri',
} as const);
