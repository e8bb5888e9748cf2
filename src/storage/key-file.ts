import { resolve } from 'node:path';
import { parsePrivateKeyText, parsePublicKeyText } from '../crypto/keys.js';
import type { SigningKey, VerifyKey } from '../crypto/keys.js';
import { GaitError, isGaitError } from '../errors/index.js';
import { readInputFile } from './read-input.js';

export type KeyKind = 'private' | 'public';

/** Key files are a few dozen bytes; anything past this is not a key. */
const MAX_KEY_FILE_BYTES = 65_536;

/**
 * Reads a key file as text (gate.md §A11). Messages name the path, never the contents.
 * @param shown path as the user gave it (messages); resolved against `cwd` for reading
 * @throws GaitError `sig_key_invalid` (``cannot read private key `p`: <reason>``)
 */
export function readKeyFile(kind: KeyKind, shown: string, cwd: string): string {
  try {
    return readInputFile(resolve(cwd, shown), {
      label: `${kind} key`,
      maxBytes: MAX_KEY_FILE_BYTES,
      allowEmpty: true,
      displayPath: shown,
    });
  } catch (err) {
    if (!isGaitError(err)) throw err;
    throw new GaitError('sig_key_invalid', err.message, { details: { path: shown }, cause: err });
  }
}

/** Re-throws a crypto-layer key error with its source in front: ``private key `p`: invalid private key length: 31``. */
function withSource(err: unknown, prefix: string): unknown {
  if (!isGaitError(err)) return err;
  return new GaitError(err.code, `${prefix}: ${err.message}`, { details: err.details, cause: err });
}

/**
 * Parses private key text, prefixing crypto errors with `prefix` (e.g. ``private key `p` ``).
 * @throws GaitError `sig_key_invalid`
 */
export function parsePrivateKeyFrom(text: string, prefix: string): SigningKey {
  try {
    return parsePrivateKeyText(text, prefix);
  } catch (err) {
    throw withSource(err, prefix);
  }
}

/**
 * Parses public key text, prefixing crypto errors with `prefix`.
 * @throws GaitError `sig_key_invalid`
 */
export function parsePublicKeyFrom(text: string, prefix: string): VerifyKey {
  try {
    return parsePublicKeyText(text, prefix);
  } catch (err) {
    throw withSource(err, prefix);
  }
}

/** Loads and parses a private key file. @throws GaitError `sig_key_invalid` */
export function loadPrivateKeyFile(shown: string, cwd: string): SigningKey {
  return parsePrivateKeyFrom(readKeyFile('private', shown, cwd), `private key \`${shown}\``);
}

/** Loads and parses a public key file. @throws GaitError `sig_key_invalid` */
export function loadPublicKeyFile(shown: string, cwd: string): VerifyKey {
  return parsePublicKeyFrom(readKeyFile('public', shown, cwd), `public key \`${shown}\``);
}

/** Whether two keys have the same public half. */
export function samePublicKey(a: { publicRaw: Uint8Array }, b: { publicRaw: Uint8Array }): boolean {
  return a.publicRaw.length === b.publicRaw.length && a.publicRaw.every((x, i) => x === b.publicRaw[i]);
}
