import type { EntityType, GraphSource, Predicate } from './vocabulary';

/**
 * An inference rule: a chain of declared edges from a start entity, x —p1→ a —p2→ … —pk→ y, gives the
 * inferred edge x —infer→ y, supported by the edges of every chain that derives it. Adding a rule is
 * adding one definition here.
 */
export interface ChainRule {
  readonly id: string;
  readonly description: string;
  readonly chain: readonly { readonly predicate: Predicate; readonly subjectType?: EntityType }[];
  readonly infer: Predicate;
}

export const RULES: readonly ChainRule[] = [
  {
    id: 'R1',
    description: 'a model instance produced by a run executed for a cell of an A/B test is tested in that test',
    chain: [{ predicate: 'produced_by', subjectType: 'model-instance' }, { predicate: 'executed_for' }, { predicate: 'cell_of' }],
    infer: 'tested_in',
  },
  {
    id: 'R2',
    description: 'whatever a user owns, the teams the user is a member of own too',
    chain: [{ predicate: 'owned_by' }, { predicate: 'member_of' }],
    infer: 'owned_by_team',
  },
];

/**
 * A match rule: two entities whose attributes name the same thing are joined, subject —infer→ object.
 * It holds while the values are equal, and is retracted when either changes.
 */
export interface MatchRule {
  readonly id: string;
  readonly description: string;
  readonly subject: { readonly type: EntityType; readonly source: GraphSource; readonly attribute: string };
  readonly object: { readonly type: EntityType; readonly source: GraphSource; readonly attribute: string };
  readonly infer: Predicate;
}

export const MATCH_RULES: readonly MatchRule[] = [
  {
    id: 'R3',
    description:
      "a dataset of the datasets source whose location is an OpenLineage dataset's physical name ({namespace}/{name}) is the same dataset",
    subject: { type: 'dataset', source: 'datasets', attribute: 'location' },
    object: { type: 'dataset', source: 'openlineage', attribute: 'physicalName' },
    infer: 'same_as',
  },
  {
    id: 'R4',
    description:
      'a dataset of the datasets source whose location is where an MLflow run says its input dataset came from is the same dataset',
    subject: { type: 'dataset', source: 'datasets', attribute: 'location' },
    object: { type: 'dataset', source: 'mlflow', attribute: 'location' },
    infer: 'same_as',
  },
];

/** The origin recorded on a rule's inferred edges. */
export const ruleOrigin = (rule: { readonly id: string }): string => `rule:${rule.id}`;
