/**
 * Errors of the tool-call adapters (mcp-and-export.md §1): all `input_tool_call` (invalid input, exit 6,
 * HTTP 400), with the spec's messages.
 */
import { GaitError } from '../../../errors/error.js';

/** An `input_tool_call` error; `path` (when known) goes to `details.path`. */
export function toolCallError(message: string, path?: string, cause?: unknown): GaitError {
  return new GaitError('input_tool_call', message, {
    ...(path === undefined || path === '' ? {} : { details: { path } }),
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Runs a §A1.4 decoding step and re-throws its GaitError as `input_tool_call` with `prefix: ` prepended
 * (`decode openai tool call: function.name must be a string`). Spec-worded errors are thrown outside.
 */
export function withPrefix<T>(prefix: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (!(err instanceof GaitError)) throw err;
    const path = typeof err.details['path'] === 'string' ? err.details['path'] : undefined;
    throw toolCallError(`${prefix}: ${err.message}`, path, err);
  }
}
