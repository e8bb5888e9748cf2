/**
 * Output rendering (gate.md §A12.1): with `--json` exactly one JSON object on one line, keys sorted at
 * every depth, omit-empty members dropped by the command, `correlation_id` always added; errors get the
 * §A13 envelope. Human output is plain lines.
 */
import { formatLocation, isGaitError } from '../../errors/error.js';
import { envelopeDefaults, exitCodeForCategory, EXIT } from './exit.js';

export type JsonOut = Record<string, unknown>;

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortDeep(v);
    }
    return out;
  }
  return value;
}

/** One line of JSON with keys sorted at every depth (undefined members dropped). */
export function renderJsonLine(value: JsonOut): string {
  return `${JSON.stringify(sortDeep(value))}\n`;
}

/** Drops members that are omit-empty per §A1.3 ("", 0, false, [], undefined), keeping `keep`. */
export function omitEmpty(value: JsonOut, keep: readonly string[] = ['ok']): JsonOut {
  const out: JsonOut = {};
  for (const [key, v] of Object.entries(value)) {
    if (keep.includes(key)) {
      out[key] = v;
      continue;
    }
    if (v === undefined || v === '' || v === 0 || v === false || v === null) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[key] = v;
  }
  return out;
}

/**
 * A command's JSON with `correlation_id`, and — when it carries a non-empty `error` (e.g. a failed
 * verification report) — the §A13 members for its exit code unless already set (gate.md §A12.1).
 */
export function withErrorEnvelope(outcome: { readonly exitCode: number; readonly json: JsonOut }, correlationId: string): JsonOut {
  const out: JsonOut = { ...outcome.json, correlation_id: outcome.json['correlation_id'] ?? correlationId };
  const error = out['error'];
  if (typeof error !== 'string' || error === '' || outcome.exitCode === EXIT.ok) return out;
  const defaults = envelopeDefaults(outcome.exitCode);
  for (const [key, value] of Object.entries(defaults)) if (out[key] === undefined) out[key] = value;
  if (out['retryable'] === undefined) out['retryable'] = false;
  return out;
}

export interface ErrorReport {
  readonly exitCode: number;
  readonly envelope: JsonOut;
  readonly message: string;
}

/** Classifies any thrown value into an exit code and the JSON error envelope. */
export function toErrorReport(err: unknown, correlationId: string): ErrorReport {
  if (isGaitError(err)) {
    const exitCode = exitCodeForCategory(err.category);
    const defaults = envelopeDefaults(exitCode);
    const where = formatLocation(err.location);
    const message = where === '' ? err.message : `${where}: ${err.message}`;
    const envelope: JsonOut = {
      ok: false,
      error: message,
      error_code: defaults.error_code,
      error_category: exitCode === EXIT.internal ? err.category : defaults.error_category,
      retryable: err.retryable,
      hint: err.hint,
      correlation_id: correlationId,
    };
    if (err.code !== 'input_usage' && err.code !== 'internal_failure') envelope['error_reason'] = err.code;
    if (where !== '') envelope['error_location'] = where;
    const extra = err.details['envelope'];
    if (extra !== null && typeof extra === 'object') Object.assign(envelope, extra);
    return { exitCode, envelope, message };
  }
  // Unclassified failures are internal (exit 1), never invalid input (STYLE.md §4).
  const defaults = envelopeDefaults(EXIT.internal);
  const message = err instanceof Error ? err.message : String(err);
  return {
    exitCode: EXIT.internal,
    message,
    envelope: {
      ok: false,
      error: message === '' ? 'unexpected failure' : message,
      error_code: defaults.error_code,
      error_category: defaults.error_category,
      retryable: false,
      hint: defaults.hint,
      correlation_id: correlationId,
    },
  };
}
