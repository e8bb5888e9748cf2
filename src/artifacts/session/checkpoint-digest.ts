/** The checkpoint digest of artifacts.md §2.12. */
import { sha256Hex } from '../../crypto/digest.js';

/**
 * `sha256hex("<manifest_digest>:<prev_checkpoint_digest>:<index>:<sequence_start>:<sequence_end>")`,
 * no spaces; the first checkpoint's previous digest is ''.
 * @example checkpointDigest('ab…', '', 1, 1, 2)
 */
export function checkpointDigest(manifestDigest: string, prevCheckpointDigest: string, index: number, sequenceStart: number, sequenceEnd: number): string {
  return sha256Hex(`${manifestDigest}:${prevCheckpointDigest}:${index}:${sequenceStart}:${sequenceEnd}`);
}
