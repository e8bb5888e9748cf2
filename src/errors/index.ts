export { ERROR_CODES, isRetryableCategory } from './codes.js';
export type { ErrorCategory, ErrorCode } from './codes.js';
export { GaitError, isGaitError, formatLocation } from './error.js';
export type { GaitErrorOptions, SourceLocation } from './error.js';
