/**
 * The verification both signed record types share (traces §A12.5, approval audit records §A10/D5):
 * strict schema first (no member outside it, D6), then the §A8 signature over the record rebuilt with
 * its member rules. Failures are values in the report, never exceptions.
 */
import { verifyRecordSignature } from '../../crypto/envelope.js';
import type { VerifyKey } from '../../crypto/keys.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { stringMember } from './members.js';

export interface SignedRecordCheck {
  readonly name: 'schema' | 'signature';
  readonly ok: boolean;
  readonly detail?: string;
}

export interface SignedRecordReport {
  readonly ok: boolean;
  /** the record's `signature.key_id`, else the verify key's id */
  readonly keyId: string;
  readonly signatureStatus: 'verified' | 'failed';
  /** checks run, in order (`schema`, then `signature`) */
  readonly checks: readonly SignedRecordCheck[];
  /** '' when ok; otherwise the first failure */
  readonly error: string;
}

export interface SignedRecordKind {
  /** names the record in messages: `<label> signature missing`, `<label> schema validation failed: …` */
  readonly label: string;
  readonly validate: (record: unknown) => { readonly ok: boolean; readonly errors: readonly string[] };
  /** the record rebuilt with its member rules (what was signed) */
  readonly rebuild: (record: JsonObject) => JsonObject;
}

export { stringMember } from './members.js';

function signatureError(record: JsonObject, key: VerifyKey, kind: SignedRecordKind): string {
  const envelope = record['signature'];
  if (envelope === undefined) return `${kind.label} signature missing`;
  try {
    const result = verifyRecordSignature(kind.rebuild(record), envelope, key);
    return result.ok ? '' : result.error;
  } catch (err) {
    // A timestamp the schema's date-time format admits but §A2 parsing rejects, or a non-JSON value.
    return err instanceof Error ? err.message : String(err);
  }
}

function report(record: unknown, key: VerifyKey, checks: SignedRecordCheck[], error: string): SignedRecordReport {
  const signatureKeyId = stringMember((record as Record<string, unknown> | null)?.['signature'], 'key_id');
  return {
    ok: error === '',
    keyId: signatureKeyId === '' ? key.keyId : signatureKeyId,
    signatureStatus: error === '' ? 'verified' : 'failed',
    checks,
    error,
  };
}

/** Verifies a parsed signed record of `kind` with `key`. Never throws for bad records. */
export function verifySignedRecord(record: unknown, key: VerifyKey, kind: SignedRecordKind): SignedRecordReport {
  const schema = kind.validate(record);
  if (!schema.ok) {
    const detail = schema.errors[0] ?? 'invalid record';
    return report(record, key, [{ name: 'schema', ok: false, detail }], `${kind.label} schema validation failed: ${detail}`);
  }
  const checks: SignedRecordCheck[] = [{ name: 'schema', ok: true }];
  const error = signatureError(record as JsonObject, key, kind);
  checks.push(error === '' ? { name: 'signature', ok: true } : { name: 'signature', ok: false, detail: error });
  return report(record, key, checks, error);
}
