import { hash } from 'node:crypto';
import { canonicalize } from '../jcs/canonicalize.js';

/** Lowercase hex SHA-256 of a UTF-8 string or of raw bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  // crypto.hash (Node ≥ 20.12) hashes a string as UTF-8 without an intermediate Buffer.
  return hash('sha256', data, 'hex');
}

/** Raw 32-byte SHA-256 of a UTF-8 string or of raw bytes. */
export function sha256Bytes(data: string | Uint8Array): Uint8Array {
  return new Uint8Array(hash('sha256', data, 'buffer'));
}

/**
 * DigestJCS (gate.md §A1.1): SHA-256 over the UTF-8 RFC 8785 canonical form, 64 lowercase hex.
 * @throws GaitError `jcs_invalid_value` when `value` is not plain JSON
 */
export function digestJcs(value: unknown): string {
  return sha256Hex(canonicalize(value));
}

/** Short id (gate.md §A1.2): first 12 bytes of SHA-256 of the UTF-8 string, as 24 lowercase hex. */
export function shortId(text: string): string {
  return sha256Hex(text).slice(0, 24);
}
