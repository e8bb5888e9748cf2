/**
 * `verifyPack` (artifacts.md §3.6): safe reader → strict manifest → `pack_id` → declared, hashed and
 * undeclared files → proof-record chain → type contract → signatures. A bare runpack is verified as
 * one (`legacy_type: "runpack"`). Every step is a named check in the report.
 */
import { sha256Hex } from '../../crypto/digest.js';
import { verifyRecordSignature } from '../../crypto/envelope.js';
import type { VerifyKey } from '../../crypto/keys.js';
import { GaitError, isGaitError } from '../../errors/error.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import type { HashMismatch } from '../runpack/open.js';
import { verifyRunpack } from '../runpack/verify.js';
import type { SignatureStatus } from '../runpack/verify.js';
import { openZip } from '../zip/read.js';
import type { ZipLimits } from '../zip/read.js';
import { jobContractError, runContractError } from './contracts.js';
import { computePackId, parsePackManifest } from './manifest.js';
import { verifyProofRecords } from './proof.js';
import { PACK_MANIFEST_ENTRY, PROOF_RECORDS_ENTRY } from './types.js';
import type { PackManifest } from './types.js';

export type PackCheckName =
  | 'zip'
  | 'manifest'
  | 'pack_id'
  | 'declared_files'
  | 'file_hashes'
  | 'undeclared_files'
  | 'proof_records'
  | 'type_contract'
  | 'signature'
  | 'runpack';

export interface PackCheck {
  readonly name: PackCheckName;
  readonly ok: boolean;
  readonly why?: string;
}

export interface VerifyPackOptions {
  readonly key?: VerifyKey;
  readonly requireSignature?: boolean;
  readonly limits?: Partial<ZipLimits>;
}

export interface PackVerifyReport {
  readonly ok: boolean;
  readonly packId: string;
  readonly packType: string;
  readonly sourceRef: string;
  readonly filesChecked: number;
  /** Number of proof records whose hash and chain verified; undefined when the pack has none. */
  readonly proofRecordsVerified?: number;
  readonly missingFiles: readonly string[];
  readonly hashMismatches: readonly HashMismatch[];
  readonly undeclaredFiles: readonly string[];
  readonly signatureStatus: SignatureStatus;
  readonly signatureErrors: readonly string[];
  readonly signaturesTotal: number;
  readonly signaturesValid: number;
  /** `runpack` when the zip is a bare runpack; '' for a PackSpec pack. */
  readonly legacyType: '' | 'runpack';
  readonly checks: readonly PackCheck[];
  /** The failure that stopped verification (zip, manifest, pack_id); '' otherwise. */
  readonly error: string;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function check(name: PackCheckName, why: string): PackCheck {
  return why === '' ? { name, ok: true } : { name, ok: false, why };
}

function emptyReport(checks: PackCheck[], error: string, manifest?: PackManifest): PackVerifyReport {
  return {
    ok: false,
    packId: manifest?.packId ?? '',
    packType: manifest?.packType ?? '',
    sourceRef: manifest?.sourceRef ?? '',
    filesChecked: 0,
    missingFiles: [],
    hashMismatches: [],
    undeclaredFiles: [],
    signatureStatus: 'missing',
    signatureErrors: [],
    signaturesTotal: 0,
    signaturesValid: 0,
    legacyType: '',
    checks,
    error,
  };
}

function asLegacyRunpack(bytes: Uint8Array, options: VerifyPackOptions): PackVerifyReport {
  const r = verifyRunpack(bytes, options);
  return {
    ok: r.ok,
    packId: r.manifestDigest,
    packType: 'run',
    sourceRef: r.runId,
    filesChecked: r.filesChecked,
    missingFiles: r.missingFiles,
    hashMismatches: r.hashMismatches,
    undeclaredFiles: r.undeclaredFiles,
    signatureStatus: r.signatureStatus,
    signatureErrors: r.signatureErrors,
    signaturesTotal: r.signaturesTotal,
    signaturesValid: r.signaturesValid,
    legacyType: 'runpack',
    checks: [{ name: 'runpack', ok: r.ok, ...(r.ok ? {} : { why: r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.why ?? ''}`).join('; ') }) }],
    error: r.error,
  };
}

interface Signatures {
  readonly status: SignatureStatus;
  readonly errors: string[];
  readonly valid: number;
}

function verifyManifestSignatures(manifest: PackManifest, manifestJson: JsonObject, options: VerifyPackOptions): Signatures {
  const required = options.requireSignature === true;
  if (manifest.signatures.length === 0) return { status: 'missing', errors: required ? ['manifest has no signatures'] : [], valid: 0 };
  if (options.key === undefined) return { status: 'skipped', errors: required ? ['public key not configured'] : [], valid: 0 };
  const payload: JsonObject = {};
  for (const k of Object.keys(manifestJson)) if (k !== 'signatures') payload[k] = manifestJson[k] as JsonObject[string];
  const errors: string[] = [];
  let valid = 0;
  for (const sig of manifest.signatures) {
    const r = verifyRecordSignature(payload, sig, options.key);
    if (r.ok) valid++;
    else errors.push(r.error);
  }
  if (valid === 0) errors.push('signature verification failed');
  return { status: valid > 0 ? 'verified' : 'failed', errors: [...new Set(errors)].sort(), valid };
}

interface Files {
  readonly missing: string[];
  readonly mismatches: HashMismatch[];
  readonly undeclared: string[];
}

function checkFiles(manifest: PackManifest, entries: ReadonlyMap<string, Uint8Array>): Files {
  const declared = new Set(manifest.contents.map((c) => c.path));
  const missing: string[] = [];
  const mismatches: HashMismatch[] = [];
  for (const c of manifest.contents) {
    const bytes = entries.get(c.path);
    if (bytes === undefined) {
      missing.push(c.path);
      continue;
    }
    const actual = sha256Hex(bytes);
    if (actual !== c.sha256.toLowerCase()) mismatches.push({ path: c.path, expected: c.sha256, actual });
  }
  const undeclared = [...entries.keys()].filter((n) => n !== PACK_MANIFEST_ENTRY && !declared.has(n));
  return { missing: missing.sort(), mismatches: mismatches.sort((a, b) => (a.path < b.path ? -1 : 1)), undeclared: undeclared.sort() };
}

function typeContract(manifest: PackManifest, entries: ReadonlyMap<string, Uint8Array>, limits: Partial<ZipLimits>): string {
  switch (manifest.packType) {
    case 'run':
      return runContractError(manifest, entries, limits);
    case 'job':
      return jobContractError(manifest, entries);
    case 'call':
    case 'authorization':
      // Only their envelope is specified (§3.3): files, proof records and signatures are checked above.
      return '';
    default: {
      const never: never = manifest.packType;
      return never;
    }
  }
}

/**
 * Verifies a pack zip (artifacts.md §3.6).
 * @returns the report; `ok` per §2.8's rule
 * @throws GaitError `artifact_invalid` `missing pack_manifest.json` (exit 6) when the zip is neither a
 *   pack nor a runpack
 * @example verifyPack(bytes, { key, requireSignature: true }).signatureStatus
 */
export function verifyPack(zipBytes: Uint8Array, options: VerifyPackOptions = {}): PackVerifyReport {
  const limits = options.limits ?? {};
  const checks: PackCheck[] = [];
  const entries = new Map<string, Uint8Array>();
  try {
    const zip = openZip(zipBytes, limits);
    if (zip.entry(PACK_MANIFEST_ENTRY) === undefined) {
      if (zip.entry('manifest.json') !== undefined) return asLegacyRunpack(zipBytes, options);
      throw new GaitError('artifact_invalid', 'missing pack_manifest.json');
    }
    for (const e of zip.entries) entries.set(e.name, zip.read(e.name));
  } catch (err) {
    if (!isGaitError(err) || err.category !== 'verification_failed') throw err;
    checks.push(check('zip', err.message));
    return emptyReport(checks, err.message);
  }
  checks.push(check('zip', ''));
  let manifest: PackManifest;
  let manifestJson: JsonObject;
  try {
    const raw = JSON.parse(UTF8.decode(entries.get(PACK_MANIFEST_ENTRY) as Uint8Array)) as unknown;
    manifest = parsePackManifest(raw);
    manifestJson = raw as JsonObject;
  } catch (err) {
    const why = isGaitError(err) ? err.message : 'invalid pack manifest: pack_manifest.json is not valid JSON';
    checks.push(check('manifest', why));
    return emptyReport(checks, why);
  }
  checks.push(check('manifest', ''));
  const computed = computePackId(manifest);
  if (computed !== manifest.packId.toLowerCase()) {
    const why = `pack_id mismatch: expected=${computed} actual=${manifest.packId}`;
    checks.push(check('pack_id', why));
    return emptyReport(checks, why, manifest);
  }
  checks.push(check('pack_id', ''));
  const files = checkFiles(manifest, entries);
  checks.push(check('declared_files', files.missing.length > 0 ? `missing files: ${files.missing.join(', ')}` : ''));
  checks.push(check('file_hashes', files.mismatches.length > 0 ? `hash mismatches: ${files.mismatches.map((m) => m.path).join(', ')}` : ''));
  checks.push(check('undeclared_files', files.undeclared.length > 0 ? `undeclared files: ${files.undeclared.join(', ')}` : ''));
  const required = options.requireSignature === true;
  const proofBytes = entries.get(PROOF_RECORDS_ENTRY);
  const proofHashOk = proofBytes !== undefined && !files.mismatches.some((m) => m.path === PROOF_RECORDS_ENTRY);
  const proof = proofHashOk ? verifyProofRecords(proofBytes, required ? options.key : undefined) : undefined;
  if (proof !== undefined) checks.push(check('proof_records', proof.error));
  const filesOk = files.missing.length === 0 && files.mismatches.length === 0 && files.undeclared.length === 0;
  const contract = filesOk ? typeContract(manifest, entries, limits) : '';
  if (filesOk) checks.push(check('type_contract', contract));
  const sigs = verifyManifestSignatures(manifest, manifestJson, options);
  const lineErrors = proof?.signatureErrors ?? [];
  const status: SignatureStatus = lineErrors.length > 0 ? 'failed' : sigs.status;
  const signatureErrors = [...sigs.errors, ...lineErrors].sort();
  const sigWhy = status === 'failed' || (required && status !== 'verified') ? signatureErrors.join('; ') || status : '';
  checks.push(check('signature', sigWhy));
  const sigOk = required ? status === 'verified' : status !== 'failed';
  return {
    ok: filesOk && (proof?.error ?? '') === '' && contract === '' && sigOk,
    packId: manifest.packId,
    packType: manifest.packType,
    sourceRef: manifest.sourceRef,
    filesChecked: manifest.contents.length,
    ...(proof === undefined || proof.error !== '' ? {} : { proofRecordsVerified: proof.records }),
    missingFiles: files.missing,
    hashMismatches: files.mismatches,
    undeclaredFiles: files.undeclared,
    signatureStatus: status,
    signatureErrors,
    signaturesTotal: manifest.signatures.length,
    signaturesValid: sigs.valid,
    legacyType: '',
    checks,
    error: '',
  };
}
