/**
 * Verifies a signed TraceRecord (gate.md §A12.5): the record must match the trace schema with no
 * member outside it (D6), then its §A8 signature must verify over the record rebuilt with its
 * member rules. Failures are values in the report, never exceptions.
 */
import { verifyRecordSignature } from '../../crypto/envelope.js';
import type { VerifyKey } from '../../crypto/keys.js';
import { validateRecord } from '../../schema/validate.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { normalizedTrace } from './member-rules.js';
import type { TraceCheck, TraceVerifyReport } from './types.js';

/** `value[key]` when `value` is a JSON object, else undefined. */
function memberOf(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return (value as Record<string, unknown>)[key];
}

function stringMember(value: unknown, key: string): string {
  const member = memberOf(value, key);
  return typeof member === 'string' ? member : '';
}

function report(record: unknown, key: VerifyKey, checks: TraceCheck[], error: string): TraceVerifyReport {
  const signatureKeyId = stringMember(memberOf(record, 'signature'), 'key_id');
  return {
    ok: error === '',
    traceId: stringMember(record, 'trace_id'),
    verdict: stringMember(record, 'verdict'),
    keyId: signatureKeyId === '' ? key.keyId : signatureKeyId,
    signatureStatus: error === '' ? 'verified' : 'failed',
    checks,
    error,
  };
}

/** §A8 verification over the rebuilt record; returns '' when the signature verifies, else the error. */
function signatureError(record: JsonObject, key: VerifyKey): string {
  const envelope = record['signature'];
  if (envelope === undefined) return 'trace signature missing';
  try {
    const result = verifyRecordSignature(normalizedTrace(record), envelope, key);
    return result.ok ? '' : result.error;
  } catch (err) {
    // A timestamp the schema's date-time format admits but §A2 parsing rejects, or a non-JSON value.
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Verifies `record` (a parsed trace file) with `key`: schema check (D6), then signature (§A8).
 * Never throws for bad records.
 */
export function verifyTrace(record: unknown, key: VerifyKey): TraceVerifyReport {
  const schema = validateRecord('gait.gate.trace', record);
  if (!schema.ok) {
    const detail = schema.errors[0] ?? 'invalid record';
    return report(record, key, [{ name: 'schema', ok: false, detail }], `trace schema validation failed: ${detail}`);
  }
  const checks: TraceCheck[] = [{ name: 'schema', ok: true }];
  const error = signatureError(record as JsonObject, key);
  checks.push(error === '' ? { name: 'signature', ok: true } : { name: 'signature', ok: false, detail: error });
  return report(record, key, checks, error);
}
