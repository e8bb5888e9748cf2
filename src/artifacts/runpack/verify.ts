/**
 * `verifyRunpack` (artifacts.md §2.8): safe reader → strict manifest → declared files → record files
 * → undeclared files → `manifest_digest` → signatures. Each step adds a named check to the report;
 * every failure is a value, never an exception (STYLE.md §4).
 */
import { verifyRecordSignature } from '../../crypto/envelope.js';
import type { VerifyKey } from '../../crypto/keys.js';
import { isGaitError } from '../../errors/error.js';
import type { ZipLimits } from '../zip/read.js';
import { computeManifestDigest, manifestSignaturePayload } from './manifest.js';
import { checkRunpackFiles, openRunpack } from './open.js';
import type { HashMismatch, OpenedRunpack } from './open.js';

export type { HashMismatch } from './open.js';

export type RunpackCheckName =
  | 'zip'
  | 'manifest'
  | 'declared_files'
  | 'file_hashes'
  | 'record_files'
  | 'undeclared_files'
  | 'manifest_digest'
  | 'signature';

/** One verification step: whether it passed and, when not, why. */
export interface VerifyCheck {
  readonly name: RunpackCheckName;
  readonly ok: boolean;
  readonly why?: string;
}

/** `verified`: ≥ 1 valid signature; `failed`: none valid; `missing`: unsigned; `skipped`: signed, no key. */
export type SignatureStatus = 'verified' | 'failed' | 'missing' | 'skipped';

export interface VerifyRunpackOptions {
  /** Verify signatures with this key; without one a signed runpack reports `skipped`. */
  readonly key?: VerifyKey;
  /** `ok` then needs `signature_status: verified` (`--require-signature`, `--profile strict`). */
  readonly requireSignature?: boolean;
  readonly limits?: Partial<ZipLimits>;
}

/** The outcome of `verifyRunpack` (the §2.8 JSON members, camelCase, plus the checks). */
export interface RunpackVerifyReport {
  readonly ok: boolean;
  /** '' when the manifest could not be read. */
  readonly runId: string;
  /** As stored; '' when the manifest could not be read. */
  readonly manifestDigest: string;
  /** Number of `files` entries. */
  readonly filesChecked: number;
  readonly missingFiles: readonly string[];
  readonly hashMismatches: readonly HashMismatch[];
  readonly undeclaredFiles: readonly string[];
  readonly signatureStatus: SignatureStatus;
  /** Sorted. */
  readonly signatureErrors: readonly string[];
  readonly signaturesTotal: number;
  readonly signaturesValid: number;
  /** Every check run, in order; a failed check says why. */
  readonly checks: readonly VerifyCheck[];
  /** The zip or manifest failure that stopped verification; '' otherwise. */
  readonly error: string;
}

function check(name: RunpackCheckName, why: string): VerifyCheck {
  return why === '' ? { name, ok: true } : { name, ok: false, why };
}

function stopped(checks: VerifyCheck[], name: RunpackCheckName, why: string): RunpackVerifyReport {
  checks.push(check(name, why));
  return {
    ok: false,
    runId: '',
    manifestDigest: '',
    filesChecked: 0,
    missingFiles: [],
    hashMismatches: [],
    undeclaredFiles: [],
    signatureStatus: 'missing',
    signatureErrors: [],
    signaturesTotal: 0,
    signaturesValid: 0,
    checks,
    error: why,
  };
}

interface SignatureOutcome {
  readonly status: SignatureStatus;
  readonly errors: string[];
  readonly valid: number;
}

/** §2.8 step 7 over the §2.3 payload (the stored manifest minus `signatures`). */
function verifySignatures(opened: OpenedRunpack, options: VerifyRunpackOptions): SignatureOutcome {
  const sigs = opened.manifest.signatures;
  const required = options.requireSignature === true;
  if (sigs.length === 0) return { status: 'missing', errors: required ? ['manifest has no signatures'] : [], valid: 0 };
  if (options.key === undefined) return { status: 'skipped', errors: required ? ['public key not configured'] : [], valid: 0 };
  const payload = manifestSignaturePayload(opened.manifestJson);
  const errors: string[] = [];
  let valid = 0;
  for (const sig of sigs) {
    const result = verifyRecordSignature(payload, sig, options.key);
    if (result.ok) valid++;
    else errors.push(result.error);
  }
  return { status: valid > 0 ? 'verified' : 'failed', errors: errors.sort(), valid };
}

function signatureWhy(outcome: SignatureOutcome, required: boolean): string {
  if (outcome.status === 'failed') return `signature verification failed: ${outcome.errors.join('; ')}`;
  if (required && outcome.status !== 'verified') return outcome.errors.join('; ');
  return '';
}

/**
 * Verifies a runpack zip (artifacts.md §2.8).
 * @param zipBytes the runpack file
 * @param options verify key, whether a signature is required, reader caps
 * @returns the report: `ok`, the §2.8 lists and counts, and every check with `ok` and `why`
 * @example verifyRunpack(bytes, { key, requireSignature: true }).ok
 */
export function verifyRunpack(zipBytes: Uint8Array, options: VerifyRunpackOptions = {}): RunpackVerifyReport {
  const checks: VerifyCheck[] = [];
  let opened: OpenedRunpack;
  try {
    opened = openRunpack(zipBytes, options.limits ?? {});
  } catch (err) {
    if (!isGaitError(err) || err.category !== 'verification_failed') throw err;
    const manifestStep = err.code === 'artifact_verification_failed';
    if (manifestStep) checks.push(check('zip', ''));
    return stopped(checks, manifestStep ? 'manifest' : 'zip', err.message);
  }
  checks.push(check('zip', ''), check('manifest', ''));
  const { manifest } = opened;
  const files = checkRunpackFiles(opened);
  const declaredMissing = files.missingFiles.filter((p) => manifest.files.some((f) => f.path === p));
  const unlisted = files.missingFiles.filter((p) => !declaredMissing.includes(p));
  checks.push(check('declared_files', declaredMissing.length > 0 ? `missing files: ${declaredMissing.join(', ')}` : ''));
  checks.push(check('file_hashes', files.hashMismatches.length > 0 ? `hash mismatches: ${files.hashMismatches.map((m) => m.path).join(', ')}` : ''));
  checks.push(check('record_files', unlisted.length > 0 ? `manifest does not list: ${unlisted.join(', ')}` : ''));
  checks.push(check('undeclared_files', files.undeclaredFiles.length > 0 ? `undeclared files: ${files.undeclaredFiles.join(', ')}` : ''));
  const computed = computeManifestDigest(manifest);
  const mismatches = [...files.hashMismatches];
  if (computed !== manifest.manifestDigest.toLowerCase()) {
    mismatches.push({ path: 'manifest.json', expected: manifest.manifestDigest, actual: computed });
    mismatches.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  checks.push(check('manifest_digest', computed === manifest.manifestDigest.toLowerCase() ? '' : `manifest_digest mismatch: computed ${computed}`));
  const required = options.requireSignature === true;
  const sig = verifySignatures(opened, options);
  checks.push(check('signature', signatureWhy(sig, required)));
  const filesOk = files.missingFiles.length === 0 && mismatches.length === 0 && files.undeclaredFiles.length === 0;
  const sigOk = required ? sig.status === 'verified' : sig.status !== 'failed';
  return {
    ok: filesOk && sigOk,
    runId: manifest.runId,
    manifestDigest: manifest.manifestDigest,
    filesChecked: manifest.files.length,
    missingFiles: files.missingFiles,
    hashMismatches: mismatches,
    undeclaredFiles: files.undeclaredFiles,
    signatureStatus: sig.status,
    signatureErrors: sig.errors,
    signaturesTotal: manifest.signatures.length,
    signaturesValid: sig.valid,
    checks,
    error: '',
  };
}
