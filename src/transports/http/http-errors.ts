/**
 * Error responses of the decision service (mcp-and-export.md §5.7, STYLE.md §4): `{ok: false, error,
 * error_code}` plus, for classified failures, `error_category`, `error_reason` (the gait registry
 * code), `retryable` and `exit_code` (what `mcp proxy` would exit with). Statuses: invalid input
 * 400/413/415, verification 422, contention 409, dependency or network 503, everything else 500 —
 * an unclassified failure is never a 400.
 */
import type { ErrorCategory } from '../../errors/codes.js';
import { formatLocation, isGaitError } from '../../errors/error.js';
import { envelopeDefaults, exitCodeForCategory } from '../cli/exit.js';

/** A response the transport decided on before or instead of evaluating (auth, limits, shape). */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(status: number, code: string, message: string, options: { headers?: Record<string, string>; extra?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
    this.extra = options.extra ?? {};
  }
}

/** The HTTP status for an error category (exhaustive). */
export function statusForCategory(category: ErrorCategory): number {
  switch (category) {
    case 'invalid_input':
      return 400;
    case 'verification_failed':
      return 422;
    case 'dependency_missing':
    case 'network_transient':
    case 'network_permanent':
      return 503;
    // §5.7: lock timeouts are internal failures (500, "do not execute"); a 409 could be read as the
    // strict mode's require_approval / dry_run status.
    case 'state_contention':
    case 'io_failure':
    case 'internal_failure':
    case 'unsafe_blocked':
      return 500;
    default: {
      const never: never = category;
      return never;
    }
  }
}

export interface ErrorResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Readonly<Record<string, string>>;
}

/** Classifies any thrown value into a status and body. */
export function errorResponse(err: unknown): ErrorResponse {
  if (err instanceof HttpError) {
    return { status: err.status, headers: err.headers, body: { ok: false, error: err.message, error_code: err.code, ...err.extra } };
  }
  if (isGaitError(err)) {
    const exitCode = exitCodeForCategory(err.category);
    const where = formatLocation(err.location);
    return {
      status: statusForCategory(err.category),
      headers: {},
      body: {
        ok: false,
        error: where === '' ? err.message : `${where}: ${err.message}`,
        error_code: envelopeDefaults(exitCode).error_code,
        error_category: err.category,
        error_reason: err.code,
        retryable: err.retryable,
        exit_code: exitCode,
      },
    };
  }
  const message = err instanceof Error && err.message !== '' ? err.message : 'unexpected failure';
  return {
    status: 500,
    headers: {},
    body: { ok: false, error: message, error_code: 'internal_failure', error_category: 'internal_failure', retryable: false, exit_code: 1 },
  };
}

/** `400` for a malformed request (shape, adapter, paths): an `invalid_input` with exit code 6. */
export function badRequest(message: string, reason = 'input_usage'): HttpError {
  return new HttpError(400, 'invalid_input', message, { extra: { error_category: 'invalid_input', error_reason: reason, retryable: false, exit_code: 6 } });
}
