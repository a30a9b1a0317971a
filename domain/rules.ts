import type { EntityType, Predicate } from './vocabulary';

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

/** The origin recorded on a rule's inferred edges. */
export const ruleOrigin = (rule: ChainRule): string => `rule:${rule.id}`;
