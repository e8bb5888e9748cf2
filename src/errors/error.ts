import { ERROR_CODES, isRetryableCategory } from './codes.js';
import type { ErrorCategory, ErrorCode } from './codes.js';

/** A place in an input file, 1-based, for messages of the form `file:line:col`. */
export interface SourceLocation {
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
}

export interface GaitErrorOptions {
  readonly hint?: string;
  readonly details?: Record<string, unknown>;
  readonly location?: SourceLocation;
  readonly cause?: unknown;
}

/**
 * The one error class of gait. `code` is a stable identifier from `codes.ts`; category, retryable
 * and the default hint come from that table.
 */
export class GaitError extends Error {
  readonly code: ErrorCode;
  readonly category: ErrorCategory;
  readonly retryable: boolean;
  readonly hint: string;
  readonly details: Record<string, unknown>;
  readonly location: SourceLocation | undefined;

  constructor(code: ErrorCode, message: string, options: GaitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GaitError';
    this.code = code;
    this.category = ERROR_CODES[code].category;
    this.retryable = isRetryableCategory(this.category);
    this.hint = options.hint ?? ERROR_CODES[code].hint;
    this.details = options.details ?? {};
    this.location = options.location;
  }
}

/** Type guard: `x` is a GaitError, optionally with the given code. */
export function isGaitError(x: unknown, code?: ErrorCode): x is GaitError {
  return x instanceof GaitError && (code === undefined || x.code === code);
}

/** Renders `file:line:col` (as much as is known), or '' when nothing is known. */
export function formatLocation(loc: SourceLocation | undefined): string {
  if (loc === undefined) return '';
  const parts: string[] = [];
  if (loc.file !== undefined) parts.push(loc.file);
  if (loc.line !== undefined) parts.push(String(loc.line));
  if (loc.line !== undefined && loc.col !== undefined) parts.push(String(loc.col));
  return parts.join(':');
}
