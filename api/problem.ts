import type { ErrorRequestHandler, Response } from 'express';
import { AppError, isAppError } from '../platform/errors';
import type { Logger } from '../platform/logger';
import { isSearchUnavailable } from '../search/client';
import { isDatabaseError, isDatabaseUnavailable } from '../store/database';
import { isTemporalUnavailable } from '../temporal/connection';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code?: string;
  readonly [extension: string]: unknown;
}

/** Sends an RFC 9457 problem+json answer. */
export function sendProblem(res: Response, problem: Problem, retryAfterMs: number | null = null): void {
  if (retryAfterMs !== null) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  res.status(problem.status).type('application/problem+json').json(problem);
}

/** How long a client should wait before asking again while a server is away. */
const OUTAGE_RETRY_AFTER_MS = 5_000;

/** The server an error says is away, if it says so: the request is then answered 503, not 500. */
export function unavailableServer(error: unknown): 'postgres' | 'elasticsearch' | 'temporal' | null {
  if (isSearchUnavailable(error)) return 'elasticsearch';
  if (isTemporalUnavailable(error)) return 'temporal';
  if (isDatabaseUnavailable(error)) return 'postgres';
  return null;
}

/** A 503 for a request that needs a server that is away; the rest of the API keeps answering. */
export const outage = (server: string, cause?: unknown): AppError =>
  new AppError('SERVICE_UNAVAILABLE', `${server} is unavailable right now; retry later (GET /v1/health says which servers are up)`, {
    details: { server },
    retryAfterMs: OUTAGE_RETRY_AFTER_MS,
    cause,
  });

/**
 * A request whose work hands something to Temporal: an error on the way is Temporal's outage (a 503
 * naming it), unless it is already an answer or is PostgreSQL's (away: a 503 naming it; refusing a
 * statement: a 500, since that is a fault of ours, not an outage).
 */
export const handedToTemporal = <T>(work: Promise<T>): Promise<T> =>
  work.catch((error: unknown) => {
    throw error instanceof AppError || isDatabaseError(error) || unavailableServer(error) === 'postgres'
      ? error
      : outage('temporal', error);
  });

export function problemOf(error: AppError): Problem {
  return {
    type: `https://mlg.dev/problems/${error.code.toLowerCase().replaceAll('_', '-')}`,
    title: error.code.replaceAll('_', ' ').toLowerCase(),
    status: error.status,
    detail: error.message,
    code: error.code,
    ...error.details,
  };
}

/**
 * The last middleware: an AppError becomes its problem; a body Express could not parse is a 400; any
 * other error is logged and answered 500 without internals.
 */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    if (isAppError(error)) return sendProblem(res, problemOf(error), error.retryAfterMs);
    const server = unavailableServer(error);
    if (server) {
      logger.warn({ err: error, server }, 'request needs a server that is unavailable');
      const problem = outage(server, error);
      return sendProblem(res, problemOf(problem), problem.retryAfterMs);
    }
    // PostgreSQL's statement timeout: the query was too expensive, the database was protected.
    if ((error as { code?: string }).code === '57014')
      return sendProblem(
        res,
        problemOf(new AppError('TIMEOUT', 'the query took longer than the statement timeout; narrow it (depth, types, predicates)')),
      );
    const status = (error as { status?: number; type?: string }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendProblem(
        res,
        problemOf(
          new AppError('BAD_REQUEST', `the request body is not valid JSON or is too large: ${(error as Error).message}`, {
            details: { parameter: 'body' },
          }),
        ),
      );
    }
    logger.error({ err: error }, 'request failed');
    sendProblem(res, {
      type: 'about:blank',
      title: 'internal error',
      status: 500,
      detail: 'the request could not be answered; see the server log',
    });
  };
}
