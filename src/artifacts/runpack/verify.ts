/**
 * `verifyRunpack` (artifacts.md §2.8): safe reader → strict manifest → declared files → record files
 * → undeclared files → `manifest_digest` → signatures. Each step adds a named check to the report;
 * every failure is a value, never an exception (STYLE.md §4). The file and signature steps are the
 * ones packs share (`../signed/`).
 */
import { isGaitError } from '../../errors/error.js';
import { namedCheck } from '../signed/check.js';
import type { NamedCheck } from '../signed/check.js';
import { byPath, declaredFilesWhy } from '../signed/declared-files.js';
import { signatureOk, signatureWhy, verifyManifestSignatures } from '../signed/manifest-signatures.js';
import { NO_FINDINGS } from '../signed/report.js';
import type { SignedZipFindings, SignedZipVerifyOptions } from '../signed/report.js';
import { computeManifestDigest } from './manifest.js';
import { checkRunpackFiles, openRunpack } from './open.js';
import type { HashMismatch, OpenedRunpack } from './open.js';

export type { HashMismatch } from './open.js';
export type { SignatureStatus } from '../signed/manifest-signatures.js';

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
export type VerifyCheck = NamedCheck<RunpackCheckName>;

export type VerifyRunpackOptions = SignedZipVerifyOptions;

/** The outcome of `verifyRunpack` (the §2.8 JSON members, camelCase, plus the checks). */
export interface RunpackVerifyReport extends SignedZipFindings {
  readonly ok: boolean;
  /** '' when the manifest could not be read. */
  readonly runId: string;
  /** As stored; '' when the manifest could not be read. */
  readonly manifestDigest: string;
  /** Number of `files` entries. */
  readonly filesChecked: number;
  /** Every check run, in order; a failed check says why. */
  readonly checks: readonly VerifyCheck[];
  /** The zip or manifest failure that stopped verification; '' otherwise. */
  readonly error: string;
}

const check = namedCheck<RunpackCheckName>;

function stopped(checks: VerifyCheck[], name: RunpackCheckName, why: string): RunpackVerifyReport {
  checks.push(check(name, why));
  return { ...NO_FINDINGS, ok: false, runId: '', manifestDigest: '', filesChecked: 0, checks, error: why };
}

/**
 * The report of a runpack that could not be opened (§2.8 steps 1–2): a zip failure stops at `zip`, a
 * missing or malformed manifest at `manifest`.
 * @throws the error itself when it is not a verification failure (I/O, a broken invariant)
 */
export function runpackOpenFailure(err: unknown): RunpackVerifyReport {
  if (!isGaitError(err) || err.category !== 'verification_failed') throw err;
  const manifestStep = err.code === 'artifact_verification_failed';
  return stopped(manifestStep ? [check('zip', '')] : [], manifestStep ? 'manifest' : 'zip', err.message);
}

/**
 * Verifies a runpack zip (artifacts.md §2.8).
 * @param zipBytes the runpack file
 * @param options verify key, whether a signature is required, reader caps
 * @returns the report: `ok`, the §2.8 lists and counts, and every check with `ok` and `why`
 * @example verifyRunpack(bytes, { key, requireSignature: true }).ok
 */
export function verifyRunpack(zipBytes: Uint8Array, options: VerifyRunpackOptions = {}): RunpackVerifyReport {
  let opened: OpenedRunpack;
  try {
    opened = openRunpack(zipBytes, options.limits ?? {});
  } catch (err) {
    return runpackOpenFailure(err);
  }
  return verifyOpenedRunpack(opened, options);
}

/**
 * §2.8 steps 3–8 over a runpack already opened (safe reader and strict manifest passed), so a caller
 * that goes on to read its records hashes each entry once. `options.limits` is not used here.
 */
export function verifyOpenedRunpack(opened: OpenedRunpack, options: VerifyRunpackOptions = {}): RunpackVerifyReport {
  const checks: VerifyCheck[] = [check('zip', ''), check('manifest', '')];
  const { manifest } = opened;
  const files = checkRunpackFiles(opened);
  const declaredMissing = files.missingFiles.filter((p) => manifest.files.some((f) => f.path === p));
  const unlisted = files.missingFiles.filter((p) => !declaredMissing.includes(p));
  const why = declaredFilesWhy(declaredMissing, files.hashMismatches, files.undeclaredFiles);
  checks.push(check('declared_files', why.declaredFiles), check('file_hashes', why.fileHashes));
  checks.push(check('record_files', unlisted.length > 0 ? `manifest does not list: ${unlisted.join(', ')}` : ''));
  checks.push(check('undeclared_files', why.undeclaredFiles));
  const computed = computeManifestDigest(manifest);
  const digestOk = computed === manifest.manifestDigest.toLowerCase();
  const mismatches: HashMismatch[] = digestOk ? files.hashMismatches : [...files.hashMismatches, { path: 'manifest.json', expected: manifest.manifestDigest, actual: computed }].sort(byPath);
  checks.push(check('manifest_digest', digestOk ? '' : `manifest_digest mismatch: computed ${computed}`));
  const required = options.requireSignature === true;
  const sig = verifyManifestSignatures(opened.manifestJson, manifest.signatures, options);
  checks.push(check('signature', signatureWhy(sig.status, sig.errors, required)));
  const filesOk = files.missingFiles.length === 0 && mismatches.length === 0 && files.undeclaredFiles.length === 0;
  return {
    ok: filesOk && signatureOk(sig.status, required),
    runId: manifest.runId,
    manifestDigest: manifest.manifestDigest,
    filesChecked: manifest.files.length,
    missingFiles: files.missingFiles,
    hashMismatches: mismatches,
    undeclaredFiles: files.undeclaredFiles,
    signatureStatus: sig.status,
    signatureErrors: [...sig.errors],
    signaturesTotal: manifest.signatures.length,
    signaturesValid: sig.valid,
    checks,
    error: '',
  };
}
