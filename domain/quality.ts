import type { EntityType } from './vocabulary';

/** A metadata-quality signal: a stable code, how much it matters, and what it means in plain words. */
export interface SignalDefinition {
  readonly severity: 'error' | 'warning' | 'info';
  readonly explanation: string;
}

export const SIGNALS = Object.freeze({
  'no-owner': { severity: 'warning', explanation: 'Nobody owns it: no user or team to ask or to notify.' },
  'owner-inactive': { severity: 'warning', explanation: 'An owner has left: identity marks them inactive or no longer knows them.' },
  'no-description': { severity: 'info', explanation: 'It has no description.' },
  stale: { severity: 'warning', explanation: 'Not read from its source within its refresh window: the source may keep failing.' },
  'never-hydrated': { severity: 'error', explanation: 'Something refers to it, but its source has never served it.' },
  'unsupported-inference': {
    severity: 'error',
    explanation: 'An edge inferred from it rests on an edge that is gone, though its inference ran since: a bug to report.',
  },
} as const satisfies Record<string, SignalDefinition>);

export type SignalCode = keyof typeof SIGNALS;
export const SIGNAL_CODES = Object.keys(SIGNALS) as SignalCode[];

/**
 * A stored code as this version knows it. An unknown one fails loudly: a typo in a rule or a code
 * from another version would otherwise make a signal vanish. (A sweep closes the open signals it no
 * longer finds, so a code left by another version is closed by the next sweep.)
 */
export function signalCode(code: string): SignalCode {
  if (!Object.hasOwn(SIGNALS, code)) throw new Error(`unknown quality signal code '${code}': known are ${SIGNAL_CODES.join(', ')}`);
  return code as SignalCode;
}
export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The kinds of asset someone must own, and those whose source gives them a description. */
export const OWNED_TYPES: readonly EntityType[] = ['dataset', 'feature', 'pipeline', 'model', 'model-instance', 'service', 'ab-test'];
export const DESCRIBED_TYPES: readonly EntityType[] = ['dataset', 'feature', 'pipeline', 'model', 'service', 'ab-test'];

const PENALTY: Record<Severity, number> = { error: 40, warning: 20, info: 5 };

/** 100 for no signal, less for each by its severity, never below 0. */
export const qualityScore = (codes: readonly SignalCode[]): number =>
  Math.max(0, 100 - codes.reduce((sum, code) => sum + PENALTY[SIGNALS[code].severity], 0));

/** The signals of a source system, learned from what it did (events, calls, changes found without an event). */
export const SOURCE_SIGNALS = Object.freeze({
  'source-silent': {
    severity: 'error',
    explanation: 'No events for much longer than its usual rhythm: it may have stopped emitting them.',
  },
  'source-failing': {
    severity: 'error',
    explanation: 'Many of its recent calls failed or were throttled: its entities may be going stale.',
  },
  'event-loss': {
    severity: 'warning',
    explanation: 'Reconciliation keeps finding changes that no event announced: some of its events are lost.',
  },
} as const satisfies Record<string, SignalDefinition>);

export type SourceSignalCode = keyof typeof SOURCE_SIGNALS;
export const SOURCE_SIGNAL_CODES = Object.keys(SOURCE_SIGNALS) as SourceSignalCode[];
