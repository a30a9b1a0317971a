/**
 * The Temporal search attributes that operators find entity workflows by, all of the keyword kind:
 * defined once here, registered by the local dev server and by the pipeline on a real cluster, and
 * set by the entity workflows.
 */
export const SEARCH_ATTRIBUTE_NAMES = Object.freeze({
  uri: 'MlgUri',
  type: 'MlgEntityType',
  source: 'MlgSource',
} as const);
