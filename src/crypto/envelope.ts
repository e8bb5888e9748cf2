import { GaitError } from '../errors/error.js';
import { decodeStdBase64, encodeStdBase64 } from './base64.js';
import { digestJcs } from './digest.js';
import { signBase64, signBytes, verifyBytes } from './ed25519.js';
import type { SigningKey, VerifyKey } from './keys.js';

/**
 * A JSON object to sign or verify. Structural (crypto sits below schema, so it cannot name
 * `JsonObject`); every `JsonObject` is one. Non-JSON members are rejected by canonicalization.
 */
export type SignableRecord = Readonly<Record<string, unknown>>;

/** The `signature` member of signed records (gate.md §A8). */
export interface SignatureEnvelope {
  alg: 'ed25519';
  key_id: string;
  sig: string;
  signed_digest: string;
}

/** Why a verification failed; callers that need their own wording (e.g. token codes) map these. */
export type SignatureFailure =
  | 'signature_missing'
  | 'envelope_invalid'
  | 'signed_digest_missing'
  | 'signed_digest_mismatch'
  | 'digest_length'
  | 'unsupported_alg'
  | 'key_id_mismatch'
  | 'signature_length'
  | 'signature_invalid';

export type SignatureCheck = { ok: true } | { ok: false; error: string; code: SignatureFailure };

export interface VerifySignatureOptions {
  /** Message when the envelope is absent (gate.md §A8 step 1); default `trace signature missing`. */
  readonly missingMessage?: string;
}

const DIGEST_HEX = /^[0-9a-f]{64}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** The record minus its `signature` member (gate.md §A8 signing step 1, verification step 2). */
function withoutSignature(record: SignableRecord): SignableRecord {
  if (!Object.hasOwn(record, 'signature')) return record;
  const { signature: _signature, ...rest } = record;
  return rest;
}

/**
 * Base64 Ed25519 signature over the 32 raw bytes of a hex digest (gate.md §A8 signing step 3).
 * @throws GaitError `sig_invalid_envelope` when `digestHex` is not 64 lowercase hex characters
 */
export function signDigestHex(digestHex: string, key: SigningKey): string {
  if (!DIGEST_HEX.test(digestHex)) throw new GaitError('sig_invalid_envelope', `invalid digest to sign: \`${digestHex}\``);
  return encodeStdBase64(signBytes(key.privateKey, Buffer.from(digestHex, 'hex')));
}

/** Whether `sigBase64` is a valid signature of the 32 bytes of `digestHex`; false for anything malformed. */
export function verifyDigestHex(digestHex: string, sigBase64: string, key: VerifyKey): boolean {
  const sig = decodeStdBase64(sigBase64);
  if (sig === undefined || !DIGEST_HEX.test(digestHex)) return false;
  return verifyBytes(key.publicKey, Buffer.from(digestHex, 'hex'), sig);
}

/**
 * Signs a record built per its member rules (gate.md §A8 signing); any `signature` member is ignored.
 * @throws GaitError `jcs_invalid_value` when the record is not plain JSON
 */
export function signRecord(record: SignableRecord, key: SigningKey): SignatureEnvelope {
  // `signDigestHex` without its check (SHA-256 gives 64 lowercase hex) and the copies of the signature.
  const signedDigest = digestJcs(withoutSignature(record));
  const sig = signBase64(key.privateKey, Buffer.from(signedDigest, 'hex'));
  return { alg: 'ed25519', key_id: key.keyId, sig, signed_digest: signedDigest };
}

function fail(code: SignatureFailure, error: string): SignatureCheck {
  return { ok: false, error, code };
}

/** A string member of the envelope; absent or null reads as '' (Go zero value), other types are invalid. */
function member(envelope: Record<string, unknown>, name: string): string | undefined {
  const v = envelope[name];
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : undefined;
}

/**
 * Verifies `envelope` against `record` (already rebuilt per its member rules, gate.md §A8 step 2) with
 * steps 1 and 3–7 of gate.md §A8 in order, using the spec's error texts. Never throws for bad input.
 */
export function verifyRecordSignature(
  record: SignableRecord,
  envelope: unknown,
  key: VerifyKey,
  options: VerifySignatureOptions = {},
): SignatureCheck {
  if (envelope === undefined || envelope === null) {
    return fail('signature_missing', options.missingMessage ?? 'trace signature missing');
  }
  if (typeof envelope !== 'object' || Array.isArray(envelope)) {
    return fail('envelope_invalid', 'invalid signature envelope: expected an object');
  }
  const fields = envelope as Record<string, unknown>;
  for (const name of ['alg', 'key_id', 'sig', 'signed_digest']) {
    if (member(fields, name) === undefined) return fail('envelope_invalid', `invalid signature envelope: \`${name}\` must be a string`);
  }
  const [alg, keyId, sig, signedDigest] = ['alg', 'key_id', 'sig', 'signed_digest'].map((n) => member(fields, n) ?? '') as [
    string, string, string, string,
  ];
  let digest: string;
  try {
    digest = digestJcs(withoutSignature(record));
  } catch (e) {
    return fail('envelope_invalid', e instanceof Error ? e.message : 'record cannot be canonicalized');
  }
  if (signedDigest === '') return fail('signed_digest_missing', 'missing signed_digest');
  if (signedDigest !== digest) return fail('signed_digest_mismatch', 'signed_digest mismatch');
  if (!HEX.test(signedDigest)) return fail('digest_length', 'invalid signed_digest: not hex');
  if (signedDigest.length !== 64) return fail('digest_length', `invalid digest length: ${signedDigest.length / 2}`);
  if (alg !== 'ed25519') return fail('unsupported_alg', `unsupported alg: ${alg}`);
  if (keyId !== '' && keyId !== key.keyId) return fail('key_id_mismatch', 'key id mismatch');
  const sigBytes = decodeStdBase64(sig);
  if (sigBytes === undefined) return fail('signature_length', 'invalid signature encoding: expected standard base64');
  if (sigBytes.length !== 64) return fail('signature_length', `invalid signature length: ${sigBytes.length}`);
  if (!verifyBytes(key.publicKey, Buffer.from(signedDigest, 'hex'), sigBytes)) {
    return fail('signature_invalid', 'signature verification failed');
  }
  return { ok: true };
}
