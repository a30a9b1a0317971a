/**
 * The product's vocabulary, word for word from the design's domain model: entity types, the source
 * system that owns each, lifecycle states and predicates with their lineage direction.
 */

/** The six reference source systems of the design's contract: the demo runs them, the tests check them. */
export const REFERENCE_SOURCES = ['registry', 'orchestrator', 'featurestore', 'experiments', 'datasets', 'identity'] as const;
export type ReferenceSource = (typeof REFERENCE_SOURCES)[number];

/** MLflow's tracking server and model registry: a real source, used where it is configured. */
export const MLFLOW = 'mlflow' as const;

/** The source systems with an API: their entities are hydrated from it, listed and synced. */
export const SOURCE_NAMES = [...REFERENCE_SOURCES, MLFLOW] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/**
 * The push source: OpenLineage producers send whole events, and there is no API to hydrate from, so
 * its entities are never re-fetched, swept as stale or listed.
 */
export const OPENLINEAGE = 'openlineage' as const;
export type GraphSource = SourceName | typeof OPENLINEAGE;
export const GRAPH_SOURCES: readonly GraphSource[] = [...SOURCE_NAMES, OPENLINEAGE];
/** The entity types an OpenLineage event describes: a job, a run, a dataset. */
export const OPENLINEAGE_TYPES = ['dataset', 'pipeline', 'pipeline-run'] as const satisfies readonly EntityType[];
/** MLflow's registered models and versions, experiments and runs, and the datasets runs log as inputs. */
export const MLFLOW_TYPES = ['model', 'model-instance', 'pipeline', 'pipeline-run', 'dataset'] as const satisfies readonly EntityType[];

export const ENTITY_TYPES = [
  'dataset',
  'feature',
  'pipeline',
  'pipeline-run',
  'model',
  'model-instance',
  'service',
  'ab-test',
  'ab-test-cell',
  'user',
  'team',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** The reference source that owns each entity type: where a URI without another source points. */
export const SOURCE_OF: Readonly<Record<EntityType, ReferenceSource>> = Object.freeze({
  dataset: 'datasets',
  feature: 'featurestore',
  pipeline: 'orchestrator',
  'pipeline-run': 'orchestrator',
  model: 'registry',
  'model-instance': 'registry',
  service: 'registry',
  'ab-test': 'experiments',
  'ab-test-cell': 'experiments',
  user: 'identity',
  team: 'identity',
});

export const LIFECYCLE_STATES = ['placeholder', 'hydrated', 'enriched', 'deleted'] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/**
 * How lineage traverses an edge `subject —predicate→ object`:
 * - `object-upstream`: data or artifacts flow from the object to the subject;
 * - `object-downstream`: they flow from the subject to the object;
 * - `containment`: the subject is a member of the object (a container);
 * - `equivalence`: subject and object are one physical thing: lineage crosses it both ways;
 * - `none`: not a lineage edge (ownership).
 */
export type LineageRole = 'object-upstream' | 'object-downstream' | 'containment' | 'equivalence' | 'none';

export interface PredicateDefinition {
  readonly subject: readonly EntityType[] | 'any';
  readonly object: readonly EntityType[];
  readonly lineage: LineageRole;
  /** Declared by a source system, or inferred by an enrichment rule. */
  readonly origin: 'declared' | 'inferred';
}

export const PREDICATES = Object.freeze({
  derived_from: { subject: ['feature'], object: ['dataset'], lineage: 'object-upstream', origin: 'declared' },
  produced_by: {
    subject: ['dataset', 'model-instance'],
    object: ['pipeline', 'pipeline-run'],
    lineage: 'object-upstream',
    origin: 'declared',
  },
  // A pipeline reads and writes only as an OpenLineage JobEvent declares it (static lineage).
  reads: { subject: ['pipeline-run', 'pipeline'], object: ['dataset'], lineage: 'object-upstream', origin: 'declared' },
  writes: { subject: ['pipeline-run', 'pipeline'], object: ['dataset'], lineage: 'object-downstream', origin: 'declared' },
  executed_for: { subject: ['pipeline-run'], object: ['ab-test-cell'], lineage: 'object-downstream', origin: 'declared' },
  uses_feature: { subject: ['model-instance'], object: ['feature'], lineage: 'object-upstream', origin: 'declared' },
  deployed_to: { subject: ['model-instance'], object: ['service'], lineage: 'object-downstream', origin: 'declared' },
  tested_in: { subject: ['model-instance'], object: ['ab-test'], lineage: 'object-downstream', origin: 'inferred' },
  version_of: { subject: ['model-instance'], object: ['model'], lineage: 'containment', origin: 'declared' },
  run_of: { subject: ['pipeline-run'], object: ['pipeline'], lineage: 'containment', origin: 'declared' },
  cell_of: { subject: ['ab-test-cell'], object: ['ab-test'], lineage: 'containment', origin: 'declared' },
  member_of: { subject: ['user'], object: ['team'], lineage: 'containment', origin: 'declared' },
  owned_by: { subject: 'any', object: ['user'], lineage: 'none', origin: 'declared' },
  owned_by_team: { subject: 'any', object: ['team'], lineage: 'none', origin: 'inferred' },
  part_of: { subject: ['pipeline-run', 'pipeline'], object: ['pipeline-run', 'pipeline'], lineage: 'containment', origin: 'declared' },
  same_as: { subject: ['dataset'], object: ['dataset'], lineage: 'equivalence', origin: 'inferred' },
} as const satisfies Record<string, PredicateDefinition>);

export type Predicate = keyof typeof PREDICATES;
export const PREDICATE_NAMES = Object.keys(PREDICATES) as Predicate[];

/** The predicates that carry lineage in one way (see LineageRole). */
export const predicatesWithRole = (role: LineageRole): Predicate[] => PREDICATE_NAMES.filter((p) => PREDICATES[p].lineage === role);

export const isEntityType = (value: string): value is EntityType => (ENTITY_TYPES as readonly string[]).includes(value);
export const isSourceName = (value: string): value is SourceName => (SOURCE_NAMES as readonly string[]).includes(value);
export const isReferenceSource = (value: string): value is ReferenceSource => (REFERENCE_SOURCES as readonly string[]).includes(value);
export const isGraphSource = (value: string): value is GraphSource => (GRAPH_SOURCES as readonly string[]).includes(value);

/** The sources an entity of a type can come from: its own, OpenLineage for jobs, runs and datasets, MLflow for its kinds. */
export const sourcesOf = (type: EntityType): GraphSource[] => [
  SOURCE_OF[type],
  ...((MLFLOW_TYPES as readonly EntityType[]).includes(type) ? [MLFLOW] : []),
  ...((OPENLINEAGE_TYPES as readonly EntityType[]).includes(type) ? [OPENLINEAGE] : []),
];
export const isPredicate = (value: string): value is Predicate => Object.hasOwn(PREDICATES, value);
