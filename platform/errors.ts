/**
 * The one error type of the service: a stable code, an HTTP status for the API, and details. The
 * code decides how activities retry (activities/failures.ts) and what the API answers.
 */
export const ERROR_CODES = {
  SOURCE_RATE_LIMITED: 429,
  SOURCE_UNAVAILABLE: 502,
  SOURCE_REJECTED: 502,
  SOURCE_PAYLOAD_INVALID: 502,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INDEX_WRITE_FAILED: 503,
  SERVICE_UNAVAILABLE: 503,
  TIMEOUT: 504,
  ANSWER_MISMATCH: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown>;
  /** For SOURCE_RATE_LIMITED: how long the source asked us to wait. */
  readonly retryAfterMs: number | null;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; retryAfterMs?: number | null; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = ERROR_CODES[code];
    this.details = options.details ?? {};
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
