/**
 * What runpack (artifacts.md §2.8) and pack (§3.6) verification share: the options and the file and
 * signature members of their reports.
 */
import type { VerifyKey } from '../../crypto/keys.js';
import type { ZipLimits } from '../zip/read.js';
import type { HashMismatch } from './declared-files.js';
import type { SignatureStatus } from './manifest-signatures.js';

export interface SignedZipVerifyOptions {
  /** Verify signatures with this key; without one a signed manifest reports `skipped`. */
  readonly key?: VerifyKey;
  /** `ok` then needs `signature_status: verified` (`--require-signature`, `--profile strict`). */
  readonly requireSignature?: boolean;
  readonly limits?: Partial<ZipLimits>;
}

/** The §2.8 lists and counts (camelCase), as both reports carry them. */
export interface SignedZipFindings {
  readonly missingFiles: readonly string[];
  /** Sorted by path. */
  readonly hashMismatches: readonly HashMismatch[];
  readonly undeclaredFiles: readonly string[];
  readonly signatureStatus: SignatureStatus;
  /** Sorted. */
  readonly signatureErrors: readonly string[];
  readonly signaturesTotal: number;
  readonly signaturesValid: number;
}

/** The findings of a verification that stopped before the files were checked. */
export const NO_FINDINGS: SignedZipFindings = Object.freeze({
  missingFiles: Object.freeze([]),
  hashMismatches: Object.freeze([]),
  undeclaredFiles: Object.freeze([]),
  signatureStatus: 'missing',
  signatureErrors: Object.freeze([]),
  signaturesTotal: 0,
  signaturesValid: 0,
});
