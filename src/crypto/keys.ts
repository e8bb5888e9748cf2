import type { KeyObject } from 'node:crypto';
import { GaitError } from '../errors/error.js';
import type { Random } from '../runtime/random.js';
import { decodeStdBase64, encodeStdBase64 } from './base64.js';
import { sha256Hex } from './digest.js';
import { privateKeyFromSeed, publicKeyFromRaw, publicKeyOf, rawPublicOf } from './ed25519.js';

/** An Ed25519 signing key; its KeyObjects are created once here and reused for every signature. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The 64-byte private key as stored in key files: 32-byte seed followed by the 32-byte public key. */
  readonly privateRaw: Uint8Array;
  readonly publicRaw: Uint8Array;
  readonly keyId: string;
}

/** An Ed25519 verification key. */
export interface VerifyKey {
  readonly publicKey: KeyObject;
  readonly publicRaw: Uint8Array;
  readonly keyId: string;
}

const SEED_LENGTH = 32;
const PUBLIC_LENGTH = 32;
const PRIVATE_LENGTH = 64;

function keyError(message: string, label: string | undefined, cause?: unknown): GaitError {
  return new GaitError('sig_key_invalid', message, {
    ...(label === undefined ? {} : { details: { source: label } }),
    ...(cause === undefined ? {} : { cause }),
  });
}

/** `key_id` (gate.md §A11): lowercase hex SHA-256 of the raw 32-byte public key. */
export function keyIdOf(publicRaw: Uint8Array): string {
  return sha256Hex(publicRaw);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * A signing key from a raw 32-byte seed.
 * @throws GaitError `sig_key_invalid` for a wrong length
 */
export function signingKeyFromSeed(seed: Uint8Array): SigningKey {
  if (seed.length !== SEED_LENGTH) throw new GaitError('sig_key_invalid', `invalid private key seed length: ${seed.length}`);
  const privateKey = privateKeyFromSeed(seed);
  const publicKey = publicKeyOf(privateKey);
  const publicRaw = rawPublicOf(publicKey);
  const privateRaw = new Uint8Array(PRIVATE_LENGTH);
  privateRaw.set(seed, 0);
  privateRaw.set(publicRaw, SEED_LENGTH);
  return { privateKey, publicKey, privateRaw, publicRaw, keyId: keyIdOf(publicRaw) };
}

/**
 * A signing key from the 64-byte form (seed ‖ public); the stored public half must match the seed.
 * @throws GaitError `sig_key_invalid` for a wrong length or a mismatching public half
 */
export function signingKeyFromRaw(raw: Uint8Array, label?: string): SigningKey {
  if (raw.length !== PRIVATE_LENGTH) throw keyError(`invalid private key length: ${raw.length}`, label);
  const key = signingKeyFromSeed(raw.subarray(0, SEED_LENGTH));
  if (!bytesEqual(key.publicRaw, raw.subarray(SEED_LENGTH))) {
    throw keyError('private key public half does not match its seed', label);
  }
  return key;
}

/**
 * A verification key from 32 raw public-key bytes.
 * @throws GaitError `sig_key_invalid` for a wrong length or bytes node:crypto rejects
 */
export function verifyKeyFromRaw(raw: Uint8Array, label?: string): VerifyKey {
  if (raw.length !== PUBLIC_LENGTH) throw keyError(`invalid public key length: ${raw.length}`, label);
  let publicKey: KeyObject;
  try {
    publicKey = publicKeyFromRaw(raw);
  } catch (cause) {
    throw keyError('invalid public key: not an Ed25519 point', label, cause);
  }
  const publicRaw = new Uint8Array(raw);
  return { publicKey, publicRaw, keyId: keyIdOf(publicRaw) };
}

// Key files trim only space, tab, CR and LF (gate.md §A11), unlike the general trim of §0.
function trimKeyText(text: string): string {
  return text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

function decodeKeyText(text: string, kind: 'private' | 'public', label: string | undefined): Uint8Array {
  const bytes = decodeStdBase64(trimKeyText(text));
  if (bytes === undefined) throw keyError(`invalid ${kind} key encoding: expected standard base64`, label);
  return bytes;
}

/**
 * Parses a private key file's contents (gate.md §A11).
 * @throws GaitError `sig_key_invalid`: bad base64, `invalid private key length: <n>`, or a mismatching public half
 */
export function parsePrivateKeyText(text: string, label?: string): SigningKey {
  return signingKeyFromRaw(decodeKeyText(text, 'private', label), label);
}

/**
 * Parses a public key file's contents (gate.md §A11).
 * @throws GaitError `sig_key_invalid`: bad base64 or `invalid public key length: <n>`
 */
export function parsePublicKeyText(text: string, label?: string): VerifyKey {
  return verifyKeyFromRaw(decodeKeyText(text, 'public', label), label);
}

/** Private key file contents: base64 of the 64 bytes, then `\n`. */
export function encodePrivateKey(key: SigningKey): string {
  return `${encodeStdBase64(key.privateRaw)}\n`;
}

/** Public key file contents: base64 of the 32 bytes, then `\n`. */
export function encodePublicKey(key: SigningKey | VerifyKey): string {
  return `${encodeStdBase64(key.publicRaw)}\n`;
}

/**
 * A fresh key pair with its seed drawn from `random`.
 * @throws GaitError `sig_key_invalid` when `random` yields the wrong number of bytes
 */
export function generateSigningKey(random: Random): SigningKey {
  return signingKeyFromSeed(random.bytes(SEED_LENGTH));
}

/** The verification half of a signing key (shares its KeyObject). */
export function verifyKeyOf(key: SigningKey): VerifyKey {
  return { publicKey: key.publicKey, publicRaw: key.publicRaw, keyId: key.keyId };
}
