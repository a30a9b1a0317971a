import type { Request, RequestHandler, Router } from 'express';
import type { z } from 'zod';
import type { Json } from '../domain/entity';
import { unstorableText } from '../domain/facts';
import { AppError, isAppError } from '../platform/errors';
import type { AuditEntry } from '../platform/audit';
import { principalOf, remoteOf, type RouteScope } from './auth';

type Responses = Readonly<Record<number, { readonly description: string; readonly schema?: z.ZodType; readonly contentType?: string }>>;

/** What a handler may answer: one of the declared statuses, with a body of that status's schema. */
export type Answer<R extends Responses> = {
  [S in keyof R & number]: {
    status: S;
    body: R[S] extends { schema: infer Z extends z.ZodType } ? z.input<Z> : unknown;
    contentType?: string;
  };
}[keyof R & number];

/**
 * One API operation, declared once: its path, scope, the zod schemas that validate its input, the
 * schemas of its answers, and its handler, whose answer is typed by those schemas. Express routes and
 * the OpenAPI document are both generated from these declarations, so they cannot drift apart.
 */
export interface RouteSpec<
  P extends z.ZodObject = z.ZodObject,
  Q extends z.ZodObject = z.ZodObject,
  B extends z.ZodType = z.ZodType,
  R extends Responses = Responses,
> {
  readonly method: 'get' | 'post';
  /** OpenAPI-style path: `/v1/entities/{type}/{source}/{nativeId}`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly scope: RouteScope;
  /**
   * A write or an operator action: recorded in the audit trail under this name with who, from where
   * and how it ended (once per request, however many events it carries).
   */
  readonly audit?: {
    readonly action: string;
    readonly target?: (input: { params: z.output<P>; query: z.output<Q>; body: z.output<B> }) => string | null;
    readonly details?: (input: { params: z.output<P>; query: z.output<Q>; body: z.output<B> }) => Record<string, Json>;
    /** Who, when the route authenticates otherwise than by bearer token (a signed webhook). */
    readonly actor?: AuditEntry['actor'];
  };
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly responses: R;
  readonly handler: (input: { params: z.output<P>; query: z.output<Q>; body: z.output<B>; req: Request }) => Promise<NoInfer<Answer<R>>>;
}

/** A handler's answer: the status stays a literal, so that the body is checked against that status's schema. */
export const answer = <const S extends number, T>(
  status: S,
  body: T,
  contentType?: string,
): { status: S; body: T; contentType?: string } => (contentType ? { status, body, contentType } : { status, body });

/** Declares a route with its input and answer types inferred from its schemas. */
export const route = <P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType, const R extends Responses>(
  spec: RouteSpec<P, Q, B, R>,
): RouteSpec => spec as unknown as RouteSpec;

/** An error's message for the audit trail: ours say what went wrong without secrets; others only their kind. */
const messageOf = (error: unknown): string => (isAppError(error) ? error.message : error instanceof Error ? error.name : 'error');

/** `/v1/entities/{type}` → `/v1/entities/:type` */
export const expressPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

/** A validation failure as a 400 that names the parameter and, for enumerations, the allowed values. */
function invalid(where: string, error: z.ZodError): AppError {
  const issue = error.issues[0];
  const parameter = issue?.path[0] !== undefined ? String(issue.path[0]) : where;
  const allowed = issue && 'values' in issue ? (issue.values as unknown[]).map(String) : undefined;
  const detail = `${where} parameter '${parameter}' is invalid: ${issue?.message ?? 'bad value'}${allowed ? ` (allowed: ${allowed.join(', ')})` : ''}`;
  return new AppError('BAD_REQUEST', detail, { details: { parameter, ...(allowed ? { allowed } : {}) } });
}

function parse<S extends z.ZodType>(schema: S | undefined, value: unknown, where: string): z.output<S> {
  if (!schema) return {} as z.output<S>;
  // A NUL (%00) in a parameter would reach PostgreSQL, which refuses it in text: a 400 here, not a 500 there.
  const unstorable = where === 'body' ? null : unstorableText(value, '');
  if (unstorable !== null) {
    const parameter = unstorable.split('.')[1] ?? where;
    throw new AppError('BAD_REQUEST', `${where} parameter '${parameter}' holds the NUL character`, { details: { parameter } });
  }
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(where, result.error);
  return result.data;
}

/** Sorts object keys, so that two JSON values compare equal as text whatever order their fields came in. */
const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [k, canonical(v)]),
        )
      : value;

/**
 * Checks a JSON answer against the schema declared for its status, as it goes on the wire: a missing
 * or mistyped field fails the parse, and an extra one makes the parsed answer (which zod strips of
 * unknown fields) differ from the sent one. Returns what is wrong, or null.
 */
export function answerMismatch(spec: RouteSpec, status: number, body: unknown): string | null {
  const schema = spec.responses[status]?.schema;
  if (!schema) return `${spec.method.toUpperCase()} ${spec.path} answered ${status}, which it does not declare`;
  const wire: unknown = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
  const parsed = schema.safeParse(wire);
  if (!parsed.success)
    return `${spec.method.toUpperCase()} ${spec.path} ${status}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  const sent = JSON.stringify(canonical(wire));
  const declared = JSON.stringify(canonical(JSON.parse(JSON.stringify(parsed.data)) as unknown));
  return sent === declared
    ? null
    : `${spec.method.toUpperCase()} ${spec.path} ${status}: the answer has fields its schema does not declare`;
}

export interface MountOptions {
  readonly guard: (scope: RouteScope) => RequestHandler;
  readonly audit: (entry: AuditEntry) => Promise<void>;
  readonly checkAnswers: boolean;
}

export function mount(router: Router, spec: RouteSpec, options: MountOptions): void {
  const { audit, checkAnswers } = options;
  router[spec.method](expressPath(spec.path), options.guard(spec.scope), async (req, res) => {
    let input: Parameters<RouteSpec['handler']>[0] | null = null;
    const record = async (status: number, error: unknown): Promise<void> => {
      if (!spec.audit) return;
      // A request whose input did not parse has no target or details to tell.
      await audit({
        actor: spec.audit.actor ?? principalOf(res).actor,
        action: spec.audit.action,
        target: input && spec.audit.target ? spec.audit.target(input) : null,
        outcome: error === null ? 'ok' : status === 401 || status === 403 ? 'refused' : 'failed',
        status,
        remote: remoteOf(req),
        details: {
          ...(input && spec.audit.details ? spec.audit.details(input) : {}),
          ...(error === null ? {} : { error: messageOf(error) }),
        },
      });
    };
    let answered: Awaited<ReturnType<RouteSpec['handler']>>;
    try {
      input = {
        params: parse(spec.params, req.params, 'path'),
        query: parse(spec.query, req.query, 'query'),
        body: parse(spec.body, req.body, 'body'),
        req,
      };
      answered = await spec.handler(input);
    } catch (error) {
      await record(isAppError(error) ? error.status : 500, error);
      throw error;
    }
    const { status, body, contentType } = answered;
    await record(status, null);
    if (checkAnswers && !contentType) {
      const mismatch = answerMismatch(spec, status, body);
      if (mismatch) throw new AppError('ANSWER_MISMATCH', mismatch);
    }
    if (contentType) res.status(status).type(contentType).send(body);
    else res.status(status).json(body);
  });
}
