import { z } from 'zod';
import type { Scope } from '../platform/scopes';
import { ACTOR_KINDS, AUDIT_OUTCOMES } from '../platform/audit';
import { SEVERITIES, SIGNAL_CODES } from '../domain/quality';
import { predicate } from '../graph/answers';
import { escapeRegExp, uriPattern } from '../domain/uri';
import { ENTITY_TYPES, GRAPH_SOURCES, sourcesOf, type EntityType, type GraphSource } from '../domain/vocabulary';

/**
 * The request and response shapes of API v1: validation and the OpenAPI document both come from here.
 * The answers of the graph's questions are declared beside the questions (graph/answers.ts), and are
 * part of this contract.
 */
export * from '../graph/answers';

export const entityType = z.enum(ENTITY_TYPES);

export const entityPath = z.object({
  type: entityType,
  source: z.enum(GRAPH_SOURCES as [string, ...string[]]),
  nativeId: z.string().min(1).max(1000).describe('The id in its source; percent-encode a slash in it (%2F)'),
});
/** A dataset's path: the routes of its columns. */
export const datasetPath = entityPath
  .omit({ type: true })
  .extend({ source: z.enum(sourcesOf('dataset') as [GraphSource, ...GraphSource[]]) });
/** An entity's path for a route that answers for some types only: the document lists them. */
export const entityPathOf = (types: readonly EntityType[]) => entityPath.extend({ type: z.enum(types as [EntityType, ...EntityType[]]) });

/**
 * A comma-separated list, or the parameter repeated: `types=a,b` or `types=a&types=b`. The OpenAPI
 * document gives the canonical form as a pattern (an enumeration's values, or `item`'s pattern);
 * validation is more lenient (spaces around commas) and names the allowed values when one is wrong.
 */
const list = <T extends z.ZodType<unknown, string>>(value: T, item = '[^,]+') => {
  const one = value instanceof z.ZodEnum ? `(?:${(value.options as string[]).map(escapeRegExp).join('|')})` : item;
  return z
    .union([z.string().meta({ pattern: `^${one}(?:,${one})*$` }), z.array(z.string().meta({ pattern: `^${one}$` }))])
    .transform((raw) =>
      (Array.isArray(raw) ? raw : [raw])
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(value).max(50));
};

const D = '[0-9]';
/** ISO-8601: a date, or a date and time with an optional zone (digits as [0-9], for generators other than JavaScript's). */
const ISO_TIME = new RegExp(
  `^${D}{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]${D}|3[01])(?:T(?:[01]${D}|2[0-3]):[0-5]${D}(?::[0-5]${D}(?:\\.${D}{1,9})?)?(?:Z|[+-](?:[01]${D}|2[0-3]):?[0-5]${D})?)?$`,
);

/** A time in a query: ISO-8601, a date or a date and time. */
const isoTime = z
  .string()
  .max(64)
  .regex(ISO_TIME, 'must be an ISO-8601 date or time, e.g. 2026-01-01T00:00:00Z')
  .refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO-8601 date or time, e.g. 2026-01-01T00:00:00Z')
  .transform((value) => new Date(value));

export const asOf = isoTime.optional().describe('Answer as the graph stood at this time (ISO-8601).');

export const auditQuery = z.object({
  actor: z.string().min(1).max(300).optional().describe('A token name, an OIDC subject, or an operator (operator:user@host).'),
  action: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe(
      'events.post, openlineage.post, webhook.mlflow, enrichment.run, sync, reindex, dlq.replay, dlq.purge, credentials.refused, …',
    ),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  before: z
    .string()
    .regex(/^\d{1,19}$/, 'must be the `next` of a previous page')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const auditResponse = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      actor: z.string(),
      actorKind: z.enum(ACTOR_KINDS),
      action: z.string(),
      target: z.string().nullable(),
      outcome: z.enum(AUDIT_OUTCOMES),
      status: z.number().int().nullable(),
      remote: z.string().nullable(),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
  next: z.string().nullable().describe('Pass as `before` for the next (older) page; null on the last'),
});

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
export const columnImpactQuery = (maxDepth: number) =>
  z.object({
    field: z.string().min(1).max(1000).describe('The column whose impact is asked'),
    depth: z.coerce.number().int().min(1).max(maxDepth).default(3),
  });
export const depthQuery = (maxDepth: number) => z.object({ depth: z.coerce.number().int().min(1).max(maxDepth).default(3), asOf });

export const historyQuery = z.object({ asOf, limit: z.coerce.number().int().min(1).max(5000).default(500) });

export const pathsQuery = (maxDepth: number, uriScheme: string) => {
  const uri = z
    .string()
    .min(1)
    .max(2000)
    .meta({ pattern: uriPattern(uriScheme) });
  return z.object({
    from: uri.describe('The URI of the entity the paths start from'),
    to: uri.describe('The URI of the entity they end at'),
    maxDepth: z.coerce.number().int().min(1).max(maxDepth).default(6),
    asOf,
  });
};

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
  tag: list(z.string().regex(/^[^:]+::.*$/, 'must be key::value'), '[^:,]+::[^,]*').optional(),
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
export const suggestionQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) });
export const duplicatesQuery = z.object({
  type: z.enum(['feature', 'dataset']),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
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

/** What a route that needs a scope may answer besides its own: 401 without an accepted credential, 403 without the scope. */
export const refusals = (scope: Scope) => ({
  401: { description: 'No bearer token, or one that is not accepted (the problem says why)', schema: problem },
  403: { description: `The credential lacks the ${scope} scope (admin includes read and ingest)`, schema: problem },
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
