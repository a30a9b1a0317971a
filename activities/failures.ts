import { ApplicationFailure } from '@temporalio/common';
import { ZodError } from 'zod';
import { AppError, type ErrorCode } from '../platform/errors';

/** Which error codes are worth retrying: the one place that decides it. */
const RETRYABLE: Readonly<Record<ErrorCode, boolean>> = {
  SOURCE_RATE_LIMITED: true,
  SOURCE_UNAVAILABLE: true,
  SOURCE_REJECTED: false,
  SOURCE_PAYLOAD_INVALID: false,
  BAD_REQUEST: false,
  UNAUTHORIZED: false,
  FORBIDDEN: false,
  NOT_FOUND: false,
  INDEX_WRITE_FAILED: true,
  SERVICE_UNAVAILABLE: true,
  TIMEOUT: true,
  ANSWER_MISMATCH: false,
};

/** Maps an error to the Temporal failure that says whether (and when) to retry. */
export function toActivityFailure(error: unknown): unknown {
  if (error instanceof AppError) {
    return ApplicationFailure.create({
      type: error.code,
      message: error.message,
      nonRetryable: !RETRYABLE[error.code],
      details: [error.details],
      // A source's Retry-After overrides the backoff for this one attempt.
      ...(error.retryAfterMs !== null ? { nextRetryDelay: error.retryAfterMs } : {}),
    });
  }
  // A statement PostgreSQL cannot run (class 42: syntax, an unknown column) fails the same way every time.
  if (typeof (error as { code?: unknown }).code === 'string' && /^42/.test((error as { code: string }).code)) {
    return ApplicationFailure.create({ type: 'STATEMENT_INVALID', message: (error as Error).message, nonRetryable: true });
  }
  if (error instanceof ZodError) {
    return ApplicationFailure.create({
      type: 'SOURCE_PAYLOAD_INVALID',
      message: `the source's payload breaks the contract: ${error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      nonRetryable: true,
    });
  }
  return error;
}

/** Wraps an activity so that every error it throws is mapped by `toActivityFailure`. */
export function withFailureMapping<I, O>(activity: (input: I) => Promise<O>): (input: I) => Promise<O> {
  return async (input: I) => {
    try {
      return await activity(input);
    } catch (error) {
      throw toActivityFailure(error);
    }
  };
}
