import { z } from 'zod';
import { SEVERITIES, SIGNAL_CODES, SOURCE_SIGNAL_CODES } from '../domain/quality';
import type { Edge, ShownEdge } from '../domain/edge';
import { LIFECYCLE_STATES, PREDICATE_NAMES } from '../domain/vocabulary';

/**
 * The answers of the graph's questions, declared once: each question returns the output type of its
 * schema, the API declares its routes with these schemas (and the OpenAPI document comes from them),
 * and the portal reads them through `z.output`. In the tests every answer is also checked against its
 * schema as it is sent (MLG_CHECK_ANSWERS).
 */

const columnRef = z.object({ dataset: z.string(), field: z.string() });
export const columnLineageResponse = z.object({
  root: z.object({ dataset: z.string(), field: z.string().nullable() }),
  direction: z.enum(['upstream', 'downstream']),
  depth: z.number().int(),
  columns: z.array(columnRef.extend({ distance: z.number().int() })),
  steps: z.array(z.object({ from: columnRef, to: columnRef, transformations: z.unknown(), distance: z.number().int() })),
  truncated: z.boolean(),
});
export const predicate = z.enum(PREDICATE_NAMES);
/** The domain's edge (domain/edge.ts), and as the read side shows it. */
const edge = z.object({ subject: z.string(), predicate, object: z.string() });
const shownEdge = edge.extend({ inferred: z.boolean() });
/** Mutual assignability: the compiler fails here if a schema's edge and the domain's drift apart. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _edgesAreTheDomains: [Same<z.output<typeof edge>, Edge>, Same<z.output<typeof shownEdge>, ShownEdge>] = [true, true];

const tag = z.object({ tag: z.string(), value: z.string() });
const named = z.object({ uri: z.string(), name: z.string() });

export const entityResponse = z.object({
  uri: z.string(),
  type: z.string(),
  source: z.string(),
  nativeId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  state: z.enum(LIFECYCLE_STATES),
  owners: z.array(named),
  teams: z.array(named),
  tags: z.array(tag),
  attributes: z.record(z.string(), z.unknown()),
  relationships: z.array(
    z.object({
      predicate,
      direction: z.enum(['out', 'in']),
      uri: z.string(),
      type: z.string(),
      name: z.string(),
      inferred: z.boolean(),
      rule: z.string().nullable(),
      support: z.array(edge).nullable().describe('For an inferred edge, the edges its rule found'),
    }),
  ),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  lastHydratedAt: z.string().nullable(),
  lastEnrichedAt: z.string().nullable(),
  quality: z
    .object({
      score: z.number(),
      signals: z.array(z.lazy(() => signal)),
      past: z.array(z.lazy(() => pastSignal)).describe('Signals it had and no longer has, latest first'),
    })
    .nullable()
    .describe('Its metadata-quality signals now (null as of a past time, and for users and teams)'),
});

const lineageNode = z.object({
  uri: z.string(),
  type: z.string(),
  name: z.string(),
  distance: z.number().int(),
  direction: z.enum(['upstream', 'downstream']),
  container: z.boolean(),
});

export const lineageResponse = z.object({
  root: z.string(),
  direction: z.enum(['upstream', 'downstream', 'both']),
  depth: z.number().int(),
  asOf: z.string().nullable(),
  nodes: z.array(lineageNode),
  edges: z.array(shownEdge),
  truncated: z.boolean(),
});

export const historyResponse = z.object({
  uri: z.string(),
  entries: z.array(
    z.object({
      txId: z.string(),
      at: z.string(),
      source: z.string(),
      cause: z.string(),
      kind: z.enum(['fact', 'edge']),
      op: z.enum(['assert', 'retract']),
      attribute: z.string().nullable(),
      value: z.unknown(),
      edge: shownEdge.extend({ rule: z.string().nullable() }).nullable(),
    }),
  ),
});

const impactEntity = z.object({
  uri: z.string(),
  type: z.string(),
  name: z.string(),
  distance: z.number().int(),
  owners: z.array(z.string()),
  teams: z.array(z.string()),
});

export const impactResponse = z.object({
  root: z.string(),
  depth: z.number().int(),
  total: z.number().int(),
  groups: z.array(z.object({ type: z.string(), count: z.number().int(), entities: z.array(impactEntity) })),
  notify: z.object({ users: z.array(named), teams: z.array(named) }),
  truncated: z.boolean(),
  columns: z.array(z.object({ dataset: z.string(), field: z.string(), distance: z.number().int() })).optional(),
});

const usageEntity = z.object({ uri: z.string(), type: z.string(), name: z.string(), distance: z.number().int() });
export const usageResponse = z.object({
  root: z.string(),
  abTests: z.array(usageEntity),
  services: z.array(usageEntity),
  truncated: z.boolean(),
});

export const pathsResponse = z.object({
  from: z.string(),
  to: z.string(),
  direction: z.enum(['upstream', 'downstream']).nullable(),
  paths: z.array(z.object({ length: z.number().int(), edges: z.array(shownEdge) })),
  truncated: z.boolean(),
});

const signal = z.object({
  code: z.enum(SIGNAL_CODES),
  severity: z.enum(SEVERITIES),
  explanation: z.string(),
  since: z.string().describe('When an enrichment sweep first found it'),
});
const pastSignal = z.object({ code: z.string(), since: z.string(), until: z.string() });

export const qualityResponse = z.object({
  total: z.number().int(),
  entities: z.array(
    z.object({
      uri: z.string(),
      type: z.string(),
      source: z.string(),
      name: z.string(),
      owners: z.array(z.string()),
      teams: z.array(z.string()),
      score: z.number().describe('100 with no signal; less by 40 per error, 20 per warning, 5 per info'),
      signals: z.array(signal),
    }),
  ),
});
const qualityGroup = z.object({
  key: z.string(),
  entities: z.number().int(),
  withSignals: z.number().int(),
  meanScore: z.number(),
  signals: z.partialRecord(z.enum(SIGNAL_CODES), z.number().int()),
});
export const qualitySummaryResponse = z.object({
  overall: qualityGroup,
  byType: z.array(qualityGroup),
  bySource: z.array(qualityGroup),
  byTeam: z.array(qualityGroup),
  byOwner: z.array(qualityGroup),
});

export const sourceQualityResponse = z.object({
  sources: z.array(
    z.object({
      source: z.string(),
      lastEventAt: z.string().nullable(),
      usualGapMs: z.number().nullable().describe('The longest wait between its events in the window: its own rhythm'),
      quietForMs: z.number().nullable().describe('How long since its last event'),
      silenceAfterMs: z.number().nullable().describe('Silent past this: a multiple of its usual gap (null until a rhythm is learned)'),
      events: z.number().int(),
      recentCalls: z.number().int(),
      failureShare: z.number().nullable().describe('Failed or throttled share of recent calls'),
      announcedChanges: z.number().int().describe('Changes to known entities brought by an event'),
      unannouncedChanges: z.number().int().describe('Changes to known entities found by a sync or the sweep without an event'),
      eventLossShare: z.number().nullable(),
      signals: z.array(
        z.object({
          code: z.enum(SOURCE_SIGNAL_CODES),
          severity: z.enum(SEVERITIES),
          explanation: z.string(),
        }),
      ),
    }),
  ),
});

export const similarResponse = z.object({
  root: z.string(),
  similar: z.array(
    named.extend({
      type: z.string(),
      score: z.number().describe('Cosine of the two weighted feature sets: 1 is the same features'),
      reason: z.string(),
      sharedFeatures: z.array(named.extend({ weight: z.number().describe('ln(models ÷ models using it): rarer weighs more') })),
    }),
  ),
});
export const suggestionsResponse = z.object({
  root: z.string(),
  features: z.array(named.extend({ score: z.number(), reason: z.string(), usedBy: z.array(named) })),
});

const likelyDuplicate = z.object({
  a: named,
  b: named,
  score: z.number().describe('The mean of the name similarity and the share of sources in common'),
  nameSimilarity: z.number().describe('1 − edits ÷ length, case and separators set aside'),
  sharedSources: z.array(named),
  reason: z.string(),
});
export const duplicatesOfResponse = z.object({ root: z.string(), duplicates: z.array(likelyDuplicate) });
export const duplicatesResponse = z.object({ type: z.enum(['feature', 'dataset']), duplicates: z.array(likelyDuplicate) });

export const unusedResponse = z.object({
  entities: z.array(z.object({ uri: z.string(), type: z.string(), name: z.string(), createdAt: z.string() })),
});

/** An entity by its URI and name. */
export type Named = z.output<typeof named>;
export type ColumnLineageAnswer = z.output<typeof columnLineageResponse>;
export type ColumnRef = ColumnLineageAnswer['columns'][number];
export type EntityView = z.output<typeof entityResponse>;
export type Relationship = EntityView['relationships'][number];
export type EntityQualityNow = NonNullable<EntityView['quality']>;
export type History = z.output<typeof historyResponse>;
export type HistoryEntry = History['entries'][number];
export type LineageAnswer = z.output<typeof lineageResponse>;
export type Impact = z.output<typeof impactResponse>;
export type ImpactGroup = Impact['groups'][number];
/** An entity a walk reached, at its distance. */
export type Reached = z.output<typeof usageEntity>;
export type Usage = z.output<typeof usageResponse>;
export type PathsResult = z.output<typeof pathsResponse>;
export type QualityAnswer = z.output<typeof qualityResponse>;
export type EntityQuality = QualityAnswer['entities'][number];
export type Signal = EntityQuality['signals'][number];
export type QualitySummary = z.output<typeof qualitySummaryResponse>;
export type QualityGroup = QualitySummary['overall'];
export type SourceQuality = z.output<typeof sourceQualityResponse>['sources'][number];
export type SimilarAnswer = z.output<typeof similarResponse>;
export type SuggestionsAnswer = z.output<typeof suggestionsResponse>;
export type LikelyDuplicate = z.output<typeof duplicatesResponse>['duplicates'][number];
export type UnusedEntity = z.output<typeof unusedResponse>['entities'][number];
