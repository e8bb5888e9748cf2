/**
 * `verifyPack` (artifacts.md §3.6): safe reader → strict manifest → `pack_id` → declared, hashed and
 * undeclared files → proof-record chain → type contract → signatures. A bare runpack is verified as
 * one (`legacy_type: "runpack"`). Every step is a named check in the report.
 */
import { GaitError, isGaitError } from '../../errors/error.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { openRunpackEntries, readZipEntries } from '../runpack/open.js';
import type { OpenedRunpack } from '../runpack/open.js';
import { runpackOpenFailure, verifyOpenedRunpack } from '../runpack/verify.js';
import type { RunpackVerifyReport, SignatureStatus } from '../runpack/verify.js';
import { namedCheck } from '../signed/check.js';
import type { NamedCheck } from '../signed/check.js';
import { checkDeclaredFiles, declaredFilesWhy } from '../signed/declared-files.js';
import { signatureOk, signatureWhy, verifyManifestSignatures } from '../signed/manifest-signatures.js';
import { NO_FINDINGS } from '../signed/report.js';
import type { SignedZipFindings, SignedZipVerifyOptions } from '../signed/report.js';
import { openZip } from '../zip/read.js';
import type { ZipArchive, ZipLimits } from '../zip/read.js';
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

export type PackCheck = NamedCheck<PackCheckName>;

export type VerifyPackOptions = SignedZipVerifyOptions;

export interface PackVerifyReport extends SignedZipFindings {
  readonly ok: boolean;
  readonly packId: string;
  readonly packType: string;
  readonly sourceRef: string;
  readonly filesChecked: number;
  /** Number of proof records whose hash and chain verified; undefined when the pack has none. */
  readonly proofRecordsVerified?: number;
  /** `runpack` when the zip is a bare runpack; '' for a PackSpec pack. */
  readonly legacyType: '' | 'runpack';
  readonly checks: readonly PackCheck[];
  /** The failure that stopped verification (zip, manifest, pack_id); '' otherwise. */
  readonly error: string;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

const check = namedCheck<PackCheckName>;

function emptyReport(checks: PackCheck[], error: string, manifest?: PackManifest): PackVerifyReport {
  return {
    ...NO_FINDINGS,
    ok: false,
    packId: manifest?.packId ?? '',
    packType: manifest?.packType ?? '',
    sourceRef: manifest?.sourceRef ?? '',
    filesChecked: 0,
    legacyType: '',
    checks,
    error,
  };
}

function asLegacyRunpack(r: RunpackVerifyReport): PackVerifyReport {
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
 * §3.6 step 2 from the entry names: a pack, or a bare runpack verified as one.
 * @throws GaitError `artifact_invalid` `missing pack_manifest.json` when it is neither
 */
function isLegacyRunpack(has: (name: string) => boolean): boolean {
  if (has(PACK_MANIFEST_ENTRY)) return false;
  if (has('manifest.json')) return true;
  throw new GaitError('artifact_invalid', 'missing pack_manifest.json');
}

/**
 * The report of a pack whose zip could not be opened or read (§3.6 step 1).
 * @throws the error itself when it is not a verification failure
 */
export function packZipFailure(err: unknown): PackVerifyReport {
  if (!isGaitError(err) || err.category !== 'verification_failed') throw err;
  return emptyReport([check('zip', err.message)], err.message);
}

function legacyOf(entries: ReadonlyMap<string, Uint8Array>, options: VerifyPackOptions): PackVerifyReport {
  let opened: OpenedRunpack;
  try {
    opened = openRunpackEntries(entries);
  } catch (err) {
    return asLegacyRunpack(runpackOpenFailure(err));
  }
  return asLegacyRunpack(verifyOpenedRunpack(opened, options));
}

/**
 * Verifies a pack zip (artifacts.md §3.6).
 * @returns the report; `ok` per §2.8's rule
 * @throws GaitError `artifact_invalid` `missing pack_manifest.json` (exit 6) when the zip is neither a
 *   pack nor a runpack
 * @example verifyPack(bytes, { key, requireSignature: true }).signatureStatus
 */
export function verifyPack(zipBytes: Uint8Array, options: VerifyPackOptions = {}): PackVerifyReport {
  let zip: ZipArchive;
  try {
    zip = openZip(zipBytes, options.limits ?? {});
  } catch (err) {
    return packZipFailure(err);
  }
  const legacy = isLegacyRunpack((name) => zip.entry(name) !== undefined);
  let entries: Map<string, Uint8Array>;
  try {
    entries = readZipEntries(zip);
  } catch (err) {
    return legacy ? asLegacyRunpack(runpackOpenFailure(err)) : packZipFailure(err);
  }
  return verifyPackEntries(entries, options);
}

function parsedManifest(entries: ReadonlyMap<string, Uint8Array>): { manifest: PackManifest; manifestJson: JsonObject } | string {
  try {
    const raw = JSON.parse(UTF8.decode(entries.get(PACK_MANIFEST_ENTRY) as Uint8Array)) as unknown;
    return { manifest: parsePackManifest(raw), manifestJson: raw as JsonObject };
  } catch (err) {
    return isGaitError(err) ? err.message : 'invalid pack manifest: pack_manifest.json is not valid JSON';
  }
}

/**
 * §3.6 steps 2–8 over a zip already opened and decompressed (`readZipEntries`), so a caller that
 * goes on to use the entries reads each one once. `options.limits` caps the embedded runpack.
 * @throws GaitError `artifact_invalid` `missing pack_manifest.json`, as `verifyPack`
 */
export function verifyPackEntries(entries: ReadonlyMap<string, Uint8Array>, options: VerifyPackOptions = {}): PackVerifyReport {
  if (isLegacyRunpack((name) => entries.has(name))) return legacyOf(entries, options);
  const checks: PackCheck[] = [check('zip', '')];
  const parsed = parsedManifest(entries);
  if (typeof parsed === 'string') {
    checks.push(check('manifest', parsed));
    return emptyReport(checks, parsed);
  }
  const { manifest, manifestJson } = parsed;
  checks.push(check('manifest', ''));
  const computed = computePackId(manifest);
  if (computed !== manifest.packId.toLowerCase()) {
    const why = `pack_id mismatch: expected=${computed} actual=${manifest.packId}`;
    checks.push(check('pack_id', why));
    return emptyReport(checks, why, manifest);
  }
  checks.push(check('pack_id', ''));
  const files = checkDeclaredFiles(manifest.contents, entries, PACK_MANIFEST_ENTRY);
  const why = declaredFilesWhy(files.missing, files.mismatches, files.undeclared);
  checks.push(check('declared_files', why.declaredFiles), check('file_hashes', why.fileHashes), check('undeclared_files', why.undeclaredFiles));
  const required = options.requireSignature === true;
  const proofBytes = entries.get(PROOF_RECORDS_ENTRY);
  const proofHashOk = proofBytes !== undefined && !files.mismatches.some((m) => m.path === PROOF_RECORDS_ENTRY);
  const proof = proofHashOk ? verifyProofRecords(proofBytes, required ? options.key : undefined) : undefined;
  if (proof !== undefined) checks.push(check('proof_records', proof.error));
  const filesOk = files.missing.length === 0 && files.mismatches.length === 0 && files.undeclared.length === 0;
  const contract = filesOk ? typeContract(manifest, entries, options.limits ?? {}) : '';
  if (filesOk) checks.push(check('type_contract', contract));
  const sigs = verifyManifestSignatures(manifestJson, manifest.signatures, { ...options, addFailureNote: true });
  const lineErrors = proof?.signatureErrors ?? [];
  const status: SignatureStatus = lineErrors.length > 0 ? 'failed' : sigs.status;
  const signatureErrors = [...sigs.errors, ...lineErrors].sort();
  checks.push(check('signature', signatureWhy(status, signatureErrors, required)));
  return {
    ok: filesOk && (proof?.error ?? '') === '' && contract === '' && signatureOk(status, required),
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
