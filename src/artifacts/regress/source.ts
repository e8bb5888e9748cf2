/**
 * The source of `regress init` (artifacts.md §4.2 step 1), read once: a runpack, or a run pack whose
 * `source/runpack.zip` is the evidence once the pack itself verifies (§3.6). The zip is opened once,
 * each entry decompressed and hashed once, and the same opened entries feed the §2.8 report and the
 * evidence. Pure: bytes in.
 */
import { GaitError, isGaitError } from '../../errors/error.js';
import { packZipFailure, verifyPackEntries } from '../pack/verify.js';
import type { PackVerifyReport } from '../pack/verify.js';
import { openRunpackEntries, readZipEntries } from '../runpack/open.js';
import type { OpenedRunpack } from '../runpack/open.js';
import { runpackOpenFailure, verifyOpenedRunpack } from '../runpack/verify.js';
import type { RunpackVerifyReport, VerifyRunpackOptions } from '../runpack/verify.js';
import { openZip } from '../zip/read.js';
import type { ZipArchive } from '../zip/read.js';
import type { RunpackLoad } from './evidence.js';
import { loadCheckedRunpackEvidence } from './from-runpack.js';

const PACK_SOURCE_ENTRY = 'source/runpack.zip';

/** The opened archive, or why it could not be opened (reported by `verifySourceRunpack`). */
export type SourceArchive = { readonly ok: true; readonly zip: ZipArchive } | { readonly ok: false; readonly error: unknown };

export interface SourceRunpack {
  /** the runpack bytes (the pack's embedded runpack for a run pack): what the fixture copies */
  readonly bytes: Uint8Array;
  readonly fromPack: boolean;
  /** those bytes, opened by the safe reader */
  readonly archive: SourceArchive;
}

function openArchive(bytes: Uint8Array): SourceArchive {
  try {
    return { ok: true, zip: openZip(bytes) };
  } catch (error) {
    return { ok: false, error };
  }
}

function packFailure(report: PackVerifyReport): GaitError {
  const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
  return new GaitError('artifact_verification_failed', `regress source pack does not verify: ${report.error || failed.join(', ')}`, {
    details: { failed_checks: failed },
  });
}

/**
 * A run pack's embedded runpack, once the pack verifies (pack_id, declared files, hashes, proof
 * records, type contract): a tampered wrapper around a self-consistent runpack is refused.
 * Undefined when the zip is not a pack after all (no `pack_manifest.json`).
 * @throws GaitError `artifact_verification_failed` (exit 2)
 */
function verifiedPackRunpack(zip: ZipArchive): Uint8Array | undefined {
  let entries: Map<string, Uint8Array>;
  try {
    entries = readZipEntries(zip);
  } catch (err) {
    throw packFailure(packZipFailure(err));
  }
  let report: PackVerifyReport;
  try {
    report = verifyPackEntries(entries);
  } catch (err) {
    if (isGaitError(err, 'artifact_invalid')) return undefined; // neither a pack nor a runpack: verified as a runpack
    throw err;
  }
  if (!report.ok) throw packFailure(report);
  return entries.get(PACK_SOURCE_ENTRY);
}

/**
 * Opens a regress source: the zip itself, or the `source/runpack.zip` of a run pack that verifies.
 * A zip that does not open is kept as a value, so the §2.8 report names the problem.
 * @throws GaitError `artifact_verification_failed` `regress source pack does not verify: <why>` (exit 2)
 */
export function openSourceRunpack(fileBytes: Uint8Array): SourceRunpack {
  const archive = openArchive(fileBytes);
  if (!archive.ok) return { bytes: fileBytes, fromPack: false, archive };
  const { zip } = archive;
  const isPack = zip.entry(PACK_SOURCE_ENTRY) !== undefined && zip.entry('run.json') === undefined;
  const inner = isPack ? verifiedPackRunpack(zip) : undefined;
  if (inner === undefined) return { bytes: fileBytes, fromPack: false, archive };
  return { bytes: inner, fromPack: true, archive: openArchive(inner) };
}

export interface VerifiedSource {
  /** §2.8 over the source runpack */
  readonly report: RunpackVerifyReport;
  /** the evidence read from the same entries; undefined when the report failed */
  readonly load: RunpackLoad | undefined;
}

/**
 * Verifies the source runpack (§2.8, signatures with `options.key` when given) and, when it passes,
 * reads its evidence from the entries already hashed.
 */
export function verifySourceRunpack(source: SourceRunpack, options: VerifyRunpackOptions = {}): VerifiedSource {
  let opened: OpenedRunpack;
  try {
    if (!source.archive.ok) return { report: runpackOpenFailure(source.archive.error), load: undefined };
    opened = openRunpackEntries(readZipEntries(source.archive.zip));
  } catch (err) {
    return { report: runpackOpenFailure(err), load: undefined };
  }
  const report = verifyOpenedRunpack(opened, options);
  return { report, load: report.ok ? loadCheckedRunpackEvidence(opened, report).load : undefined };
}
