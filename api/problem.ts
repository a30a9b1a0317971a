import type { ErrorRequestHandler, Response } from 'express';
import { AppError, isAppError } from '../platform/errors';
import type { Logger } from '../platform/logger';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code?: string;
  readonly [extension: string]: unknown;
}

/** Sends an RFC 9457 problem+json answer. */
export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type('application/problem+json').json(problem);
}

export function problemOf(error: AppError): Problem {
  return { type: `https://mlg.dev/problems/${error.code.toLowerCase().replaceAll('_', '-')}`, title: error.code.replaceAll('_', ' ').toLowerCase(), status: error.status, detail: error.message, code: error.code, ...error.details };
}

/**
 * The last middleware: an AppError becomes its problem; a body Express could not parse is a 400; any
 * other error is logged and answered 500 without internals.
 */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    if (isAppError(error)) return sendProblem(res, problemOf(error));
    // PostgreSQL's statement timeout: the query was too expensive, the database was protected.
    if ((error as { code?: string }).code === '57014') return sendProblem(res, problemOf(new AppError('TIMEOUT', 'the query took longer than the statement timeout; narrow it (depth, types, predicates)')));
    const status = (error as { status?: number; type?: string }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendProblem(res, problemOf(new AppError('BAD_REQUEST', `the request body is not valid JSON or is too large: ${(error as Error).message}`, { details: { parameter: 'body' } })));
    }
    logger.error({ err: error }, 'request failed');
    sendProblem(res, { type: 'about:blank', title: 'internal error', status: 500, detail: 'the request could not be answered; see the server log' });
  };
}
