import { z } from 'zod';
import { SEVERITIES, SIGNAL_CODES, SOURCE_SIGNALS } from '../domain/quality';
import { ENTITY_TYPES, GRAPH_SOURCES, LIFECYCLE_STATES, PREDICATE_NAMES } from '../domain/vocabulary';

/** The request and response shapes of API v1: validation and the OpenAPI document both come from here. */

export const entityType = z.enum(ENTITY_TYPES);
export const predicate = z.enum(PREDICATE_NAMES as [string, ...string[]]);

export const entityPath = z.object({
  type: entityType,
  source: z.enum(GRAPH_SOURCES as [string, ...string[]]),
  nativeId: z.string().min(1).max(1000),
});

/** A comma-separated list, or the parameter repeated: `types=a,b` or `types=a&types=b`. */
const list = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((value) =>
      (Array.isArray(value) ? value : [value])
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).max(50));

export const asOf = z
  .string()
  .max(64)
  .refine(
    (value) => /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value)),
    'must be an ISO-8601 date or time, e.g. 2026-01-01T00:00:00Z',
  )
  .transform((value) => new Date(value))
  .optional()
  .describe('Answer as the graph stood at this time (ISO-8601).');

export const lineageQuery = (maxDepth: number) =>
  z.object({
    direction: z.enum(['upstream', 'downstream', 'both']).default('upstream'),
    depth: z.coerce.number().int().min(1).max(maxDepth).default(3),
    types: list(entityType).optional().describe('Only return entities of these types (comma-separated).'),
    predicates: list(predicate).optional().describe('Only follow edges with these predicates (comma-separated).'),
    asOf,
  });

export const columnLineageQuery = (maxDepth: number) =>
  z.object({
    field: z.string().min(1).max(1000).optional(),
    direction: z.enum(['upstream', 'downstream']).default('upstream'),
    depth: z.coerce.number().int().min(1).max(maxDepth).default(3),
  });
const columnRef = z.object({ dataset: z.string(), field: z.string() });
export const columnLineageResponse = z.object({
  root: z.object({ dataset: z.string(), field: z.string().nullable() }),
  direction: z.enum(['upstream', 'downstream']),
  depth: z.number().int(),
  columns: z.array(columnRef.extend({ distance: z.number().int() })),
  steps: z.array(z.object({ from: columnRef, to: columnRef, transformations: z.unknown(), distance: z.number().int() })),
  truncated: z.boolean(),
});
export const depthQuery = (maxDepth: number) => z.object({ depth: z.coerce.number().int().min(1).max(maxDepth).default(3), asOf });

export const historyQuery = z.object({ asOf, limit: z.coerce.number().int().min(1).max(5000).default(500) });

export const pathsQuery = (maxDepth: number) =>
  z.object({
    from: z.string().min(1).max(2000),
    to: z.string().min(1).max(2000),
    maxDepth: z.coerce.number().int().min(1).max(maxDepth).default(6),
    asOf,
  });

export const unusedQuery = z.object({
  type: entityType.optional(),
  minAgeDays: z.coerce.number().int().min(0).max(36_500).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  asOf,
});

const MAX_WINDOW = 10_000;

export const searchQuery = z.object({
  q: z.string().max(200).default(''),
  type: list(entityType).optional(),
  owner: list(z.string().min(1).max(300)).optional().describe('User or team: a URI, a username or a team id.'),
  tag: list(z.string().regex(/^[^:]+::.*$/, 'must be key::value')).optional(),
  facets: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('Also count the hits per type, owner, team and tag.'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_WINDOW - 100)
    .default(0),
});

export const ownersQuery = z.object({
  q: z.string().max(200).default(''),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_WINDOW - 100)
    .default(0),
});

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
      predicate: z.string(),
      direction: z.enum(['out', 'in']),
      uri: z.string(),
      type: z.string(),
      name: z.string(),
      inferred: z.boolean(),
      rule: z.string().nullable(),
      support: z
        .array(z.object({ subject: z.string(), predicate: z.string(), object: z.string() }))
        .nullable()
        .describe('For an inferred edge, the edges its rule found'),
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

const edge = z.object({ subject: z.string(), predicate: z.string(), object: z.string(), inferred: z.boolean() });
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
  edges: z.array(edge),
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
      edge: z
        .object({ subject: z.string(), predicate: z.string(), object: z.string(), inferred: z.boolean(), rule: z.string().nullable() })
        .nullable(),
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
  paths: z.array(z.object({ length: z.number().int(), edges: z.array(edge) })),
  truncated: z.boolean(),
});

const signal = z.object({
  code: z.enum(SIGNAL_CODES as [string, ...string[]]),
  severity: z.enum(SEVERITIES),
  explanation: z.string(),
  since: z.string().describe('When an enrichment sweep first found it'),
});
const pastSignal = z.object({ code: z.string(), since: z.string(), until: z.string() });

export const qualityQuery = z.object({
  type: list(entityType).optional(),
  source: list(z.enum(GRAPH_SOURCES as [string, ...string[]])).optional(),
  owner: list(z.string().min(1).max(300)).optional().describe('A user: a URI or a username.'),
  team: list(z.string().min(1).max(300)).optional().describe('A team: a URI or a team id.'),
  signal: list(z.enum(SIGNAL_CODES as [string, ...string[]])).optional(),
  severity: list(z.enum(SEVERITIES)).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
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
  signals: z.record(z.string(), z.number().int()),
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
          code: z.enum(Object.keys(SOURCE_SIGNALS) as [string, ...string[]]),
          severity: z.enum(SEVERITIES),
          explanation: z.string(),
        }),
      ),
    }),
  ),
});

export const suggestionQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) });
const namedEntity = z.object({ uri: z.string(), name: z.string() });
export const similarResponse = z.object({
  root: z.string(),
  similar: z.array(
    namedEntity.extend({
      type: z.string(),
      score: z.number().describe('Cosine of the two weighted feature sets: 1 is the same features'),
      reason: z.string(),
      sharedFeatures: z.array(namedEntity.extend({ weight: z.number().describe('ln(models ÷ models using it): rarer weighs more') })),
    }),
  ),
});
export const suggestionsResponse = z.object({
  root: z.string(),
  features: z.array(namedEntity.extend({ score: z.number(), reason: z.string(), usedBy: z.array(namedEntity) })),
});

const likelyDuplicate = z.object({
  a: namedEntity,
  b: namedEntity,
  score: z.number().describe('The mean of the name similarity and the share of sources in common'),
  nameSimilarity: z.number().describe('1 − edits ÷ length, case and separators set aside'),
  sharedSources: z.array(namedEntity),
  reason: z.string(),
});
export const duplicatesOfResponse = z.object({ root: z.string(), duplicates: z.array(likelyDuplicate) });
export const duplicatesQuery = z.object({
  type: z.enum(['feature', 'dataset']),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const duplicatesResponse = z.object({ type: z.enum(['feature', 'dataset']), duplicates: z.array(likelyDuplicate) });

export const unusedResponse = z.object({
  entities: z.array(z.object({ uri: z.string(), type: z.string(), name: z.string(), createdAt: z.string() })),
});

export const searchResponse = z.object({
  total: z.number().int(),
  hits: z.array(
    z.object({
      uri: z.string(),
      type: z.string(),
      name: z.string(),
      description: z.string().nullable(),
      owners: z.array(z.string()),
      teams: z.array(z.string()),
      tags: z.array(z.string()),
      score: z.number(),
    }),
  ),
  facets: z
    .record(z.enum(['type', 'owner', 'team', 'tag']), z.array(z.object({ value: z.string(), count: z.number().int() })))
    .optional()
    .describe('With facets=true: how many hits carry each of the most frequent types, owners, teams and tags'),
});

export const ownersResponse = z.object({
  total: z.number().int(),
  hits: z.array(
    z.object({
      uri: z.string(),
      type: z.enum(['user', 'team']),
      name: z.string(),
      nativeId: z.string(),
      email: z.string().nullable(),
      teams: z.array(z.string()),
      members: z.array(z.string()),
      score: z.number(),
    }),
  ),
});

export const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string().optional(),
  parameter: z.string().optional(),
  allowed: z.array(z.string()).optional(),
  server: z.string().optional(),
});

export const healthResponse = z.object({
  status: z.enum(['up', 'down']),
  components: z.record(
    z.enum(['postgres', 'elasticsearch', 'kafka', 'temporal']),
    z.object({ status: z.enum(['up', 'down']), detail: z.record(z.string(), z.unknown()) }),
  ),
});

export const statusResponse = z.object({
  health: healthResponse,
  consumerLag: z.number().int().nullable().describe('Events waiting in Kafka for the consumer; null when Kafka cannot say'),
  deadLetters: z.number().int().nullable(),
  runningWorkflows: z.record(z.string(), z.number().int().nullable()),
  lastSyncs: z
    .array(
      z.object({
        source: z.string(),
        mode: z.string(),
        status: z.string(),
        startedAt: z.string(),
        finishedAt: z.string().nullable(),
        counts: z.record(z.string(), z.number()),
        message: z.string().nullable(),
      }),
    )
    .nullable(),
});

export const eventsResponse = z.object({
  accepted: z.number().int(),
  rejected: z.array(z.object({ index: z.number().int(), reason: z.string() })),
});
export const lineageBatchResponse = z.object({
  status: z.enum(['success', 'partial_success']),
  summary: z.object({
    received: z.number().int(),
    successful: z.number().int(),
    failed: z.number().int(),
    retriable: z.number().int(),
    non_retriable: z.number().int(),
  }),
  failed_events: z.array(z.object({ index: z.number().int(), reason: z.string(), retriable: z.boolean() })),
});
export const enrichmentResponse = z.object({ workflowId: z.string(), runId: z.string() });
