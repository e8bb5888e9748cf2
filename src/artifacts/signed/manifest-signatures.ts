/**
 * Manifest signatures of runpacks and packs (artifacts.md §1.2, §2.3, §2.8 step 7, §3.2, §3.6 step 8):
 * each signature is checked against the stored manifest minus its top-level `signatures`, with the
 * error texts of gate.md §A8. Failures are values, never exceptions.
 */
import { verifyRecordSignature } from '../../crypto/envelope.js';
import type { SignatureEnvelope } from '../../crypto/envelope.js';
import type { VerifyKey } from '../../crypto/keys.js';
import type { JsonObject } from '../../schema/v1/json-types.js';

/** `verified`: ≥ 1 valid signature; `failed`: none valid; `missing`: unsigned; `skipped`: signed, no key. */
export type SignatureStatus = 'verified' | 'failed' | 'missing' | 'skipped';

/** The error a plain false adds (§2.8 step 7), and that a failed pack also adds (§3.6 step 8). */
export const SIGNATURE_VERIFICATION_FAILED = 'signature verification failed';

export interface ManifestSignatureOptions {
  /** Verify with this key; without one a signed manifest is `skipped`. */
  readonly key?: VerifyKey;
  /** A `missing` or `skipped` status then carries its error. */
  readonly requireSignature?: boolean;
  /** §3.6 step 8: `failed` also adds `signature verification failed` (packs). */
  readonly addFailureNote?: boolean;
}

export interface ManifestSignatures {
  readonly status: SignatureStatus;
  /** One per failed signature (plus the §3.6 note), sorted. */
  readonly errors: readonly string[];
  readonly valid: number;
}

/** The signature payload of a stored manifest: the parsed object minus its top-level `signatures` (§2.3, §3.6 step 8). */
export function manifestSignaturePayload(stored: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(stored)) if (key !== 'signatures') out[key] = stored[key] as JsonObject[string];
  return out;
}

/**
 * §2.8 step 7 over the §2.3 payload.
 * @param stored the manifest as parsed JSON
 * @param signatures its parsed `signatures`
 */
export function verifyManifestSignatures(
  stored: JsonObject,
  signatures: readonly SignatureEnvelope[],
  options: ManifestSignatureOptions,
): ManifestSignatures {
  const required = options.requireSignature === true;
  if (signatures.length === 0) return { status: 'missing', errors: required ? ['manifest has no signatures'] : [], valid: 0 };
  if (options.key === undefined) return { status: 'skipped', errors: required ? ['public key not configured'] : [], valid: 0 };
  const payload = manifestSignaturePayload(stored);
  const errors: string[] = [];
  let valid = 0;
  for (const sig of signatures) {
    const result = verifyRecordSignature(payload, sig, options.key);
    if (result.ok) valid++;
    else errors.push(result.error);
  }
  if (valid === 0 && options.addFailureNote === true && !errors.includes(SIGNATURE_VERIFICATION_FAILED)) errors.push(SIGNATURE_VERIFICATION_FAILED);
  return { status: valid > 0 ? 'verified' : 'failed', errors: errors.sort(), valid };
}

/** §2.8 `ok` for signatures: `verified` when one is required, else anything but `failed`. */
export function signatureOk(status: SignatureStatus, required: boolean): boolean {
  return required ? status === 'verified' : status !== 'failed';
}

/**
 * The `why` of the `signature` check ('' when it passed): a failure names the errors after
 * `signature verification failed: `; a required signature that is `missing` or `skipped` gives its error.
 */
export function signatureWhy(status: SignatureStatus, errors: readonly string[], required: boolean): string {
  if (status === 'failed') {
    const detail = errors.filter((e) => e !== SIGNATURE_VERIFICATION_FAILED);
    return detail.length === 0 ? SIGNATURE_VERIFICATION_FAILED : `${SIGNATURE_VERIFICATION_FAILED}: ${detail.join('; ')}`;
  }
  return required && status !== 'verified' ? errors.join('; ') : '';
}
