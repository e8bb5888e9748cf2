import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

// DER prefixes that wrap a raw 32-byte Ed25519 seed (PKCS#8) or public key (SPKI) for node:crypto.
const PKCS8_SEED_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PUBLIC_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Ed25519 signature length in bytes. */
export const SIGNATURE_LENGTH = 64;

/** A private KeyObject from a raw 32-byte seed (caller checks the length). */
export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_SEED_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** A public KeyObject from a raw 32-byte public key (caller checks the length). */
export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PUBLIC_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** The public KeyObject derived from a private one. */
export function publicKeyOf(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey);
}

/** The raw 32 bytes of an Ed25519 public KeyObject (the tail of its SPKI encoding). */
export function rawPublicOf(publicKey: KeyObject): Uint8Array {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - 32));
}

/** Ed25519 signature (64 bytes) of `bytes`; deterministic. */
export function signBytes(privateKey: KeyObject, bytes: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, bytes, privateKey));
}

/** Standard padded base64 of the Ed25519 signature of `bytes` (`encodeStdBase64(signBytes(…))`, no copy). */
export function signBase64(privateKey: KeyObject, bytes: Uint8Array): string {
  return sign(null, bytes, privateKey).toString('base64');
}

/** Whether `sig` is a valid Ed25519 signature of `bytes`; false (never a throw) for malformed input. */
export function verifyBytes(publicKey: KeyObject, bytes: Uint8Array, sig: Uint8Array): boolean {
  if (sig.length !== SIGNATURE_LENGTH) return false;
  try {
    return verify(null, bytes, publicKey, sig);
  } catch {
    return false;
  }
}
