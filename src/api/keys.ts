/** Key helpers of the library API (gate.md §A11): generate, parse, encode, key id. */
import { generateSigningKey, parsePrivateKeyText, parsePublicKeyText } from '../crypto/keys.js';
import type { SigningKey, VerifyKey } from '../crypto/keys.js';
import type { Random } from '../runtime/random.js';
import { systemRandom } from '../runtime/random.js';

/**
 * A fresh Ed25519 key pair.
 * @param random source of the 32-byte seed; default the OS CSPRNG
 * @returns the signing key (its `keyId` is the Gait v1 `key_id`)
 * @throws GaitError `sig_key_invalid` when `random` yields the wrong number of bytes
 * @example const key = generateKeyPair(); encodePrivateKey(key); // base64 + '\n'
 */
export function generateKeyPair(random: Random = systemRandom): SigningKey {
  return generateSigningKey(random);
}

/**
 * Parses the contents of a Gait v1 private key file (base64 of 64 bytes: seed ‖ public key).
 * @throws GaitError `sig_key_invalid` (`invalid private key length: <n>`, bad base64, mismatching halves)
 * @example const key = parsePrivateKey(readFileSync('gait_private.key', 'utf8'));
 */
export function parsePrivateKey(text: string): SigningKey {
  return parsePrivateKeyText(text);
}

/**
 * Parses the contents of a Gait v1 public key file (base64 of 32 bytes).
 * @throws GaitError `sig_key_invalid` (`invalid public key length: <n>`, bad base64)
 * @example parsePublicKey('2452IFcJJprSJUSaASiKpWRN4bzs7KbckliBk2cKGeg=').keyId; // '8393424682c7…'
 */
export function parsePublicKey(text: string): VerifyKey {
  return parsePublicKeyText(text);
}
