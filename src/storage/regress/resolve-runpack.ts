/**
 * The regress sources of artifacts.md §4.2 step 1: `<run_id|path>` resolved as §2.7, and either a
 * runpack or a run pack whose `source/runpack.zip` is the evidence.
 */
import { verifyPack } from '../../artifacts/pack/verify.js';
import { openZip } from '../../artifacts/zip/read.js';
import { GaitError, isGaitError } from '../../errors/index.js';
import type { EnvSource } from '../key-store.js';
import { homeDirOf, readArtifactFile, resolveRunpackRef } from '../runpack-files.js';

export interface RegressSource {
  /** the runpack bytes (the pack's embedded runpack for a run pack) */
  readonly bytes: Uint8Array;
  /** the path as shown to the user */
  readonly display: string;
  readonly fromPack: boolean;
}

const PACK_SOURCE_ENTRY = 'source/runpack.zip';

/**
 * Resolves and reads a regress source.
 * @throws GaitError `input_path` (not found, unreadable; exit 6), `input_unsupported_feature` (a session chain)
 */
export function readRegressSource(value: string, cwd: string, env: EnvSource): RegressSource {
  if (value.trim() === '') throw new GaitError('input_usage', 'regress init requires --from <run_id|path>');
  if (value.toLowerCase().endsWith('.json')) {
    throw new GaitError('input_unsupported_feature', `session chain sources are not supported yet: ${value}`, {
      hint: 'pass the checkpoint runpack itself with --from',
    });
  }
  const found = resolveRunpackRef(value, { cwd, homeDir: homeDirOf(env) });
  const file = readArtifactFile(found.path, { label: 'runpack', display: found.display });
  const bytes = runpackOfSource(file);
  return { bytes, display: found.display, fromPack: bytes !== file };
}

/**
 * A run pack is evidence only when the pack itself verifies (pack_id, declared files, hashes, proof
 * records): a tampered wrapper around a self-consistent runpack is refused, not mined for its runpack.
 * @throws GaitError `artifact_verification_failed` (exit 2)
 */
function verifiedPackRunpack(packBytes: Uint8Array, runpack: Uint8Array): Uint8Array {
  const report = verifyPack(packBytes);
  if (!report.ok) {
    const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
    throw new GaitError('artifact_verification_failed', `regress source pack does not verify: ${report.error || failed.join(', ')}`, {
      details: { failed_checks: failed },
    });
  }
  return runpack;
}

/**
 * The runpack inside a source zip: the zip itself, or the `source/runpack.zip` of a run pack
 * (artifacts.md §3, §4.2 step 1). Returns the input unchanged when it is not a readable zip, so the
 * integrity check that follows reports the problem.
 */
export function runpackOfSource(bytes: Uint8Array): Uint8Array {
  try {
    const zip = openZip(bytes);
    const names = new Set(zip.entries.map((e) => e.name));
    if (names.has(PACK_SOURCE_ENTRY) && !names.has('run.json')) return verifiedPackRunpack(bytes, zip.read(PACK_SOURCE_ENTRY));
  } catch (err) {
    if (isGaitError(err, 'artifact_verification_failed')) throw err;
    // not a readable zip: the runpack integrity check that follows reports it
  }
  return bytes;
}
