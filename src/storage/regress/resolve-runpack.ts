/**
 * The regress sources of artifacts.md §4.2 step 1: `<run_id|path>` resolved as §2.7, and either a
 * runpack or a run pack whose `source/runpack.zip` is the evidence (`artifacts/regress/source.ts`
 * opens it once and keeps it opened for the verification that follows).
 */
import { openSourceRunpack } from '../../artifacts/regress/source.js';
import type { SourceRunpack } from '../../artifacts/regress/source.js';
import { GaitError } from '../../errors/index.js';
import type { EnvSource } from '../key-store.js';
import { homeDirOf, readArtifactFile, resolveRunpackRef } from '../runpack-files.js';

export interface RegressSource {
  /** the runpack bytes (the pack's embedded runpack for a run pack) */
  readonly bytes: Uint8Array;
  /** the path as shown to the user */
  readonly display: string;
  readonly fromPack: boolean;
  /** the runpack, opened once: pass it to `verifySourceRunpack` */
  readonly runpack: SourceRunpack;
}

/**
 * Resolves and reads a regress source.
 * @throws GaitError `input_path` (not found, unreadable; exit 6), `input_unsupported_feature` (a session chain),
 *   `artifact_verification_failed` (a run pack that does not verify; exit 2)
 */
export function readRegressSource(value: string, cwd: string, env: EnvSource): RegressSource {
  if (value.trim() === '') throw new GaitError('input_usage', 'regress init requires --from <run_id|path>');
  if (value.toLowerCase().endsWith('.json')) {
    throw new GaitError('input_unsupported_feature', `session chain sources are not supported yet: ${value}`, {
      hint: 'pass the checkpoint runpack itself with --from',
    });
  }
  const found = resolveRunpackRef(value, { cwd, homeDir: homeDirOf(env) });
  const runpack = openSourceRunpack(readArtifactFile(found.path, { label: 'runpack', display: found.display }));
  return { bytes: runpack.bytes, display: found.display, fromPack: runpack.fromPack, runpack };
}

/**
 * The runpack inside a source zip: the zip itself, or the `source/runpack.zip` of a run pack
 * (artifacts.md §3, §4.2 step 1). Returns the input unchanged when it is not a readable zip, so the
 * integrity check that follows reports the problem.
 * @throws GaitError `artifact_verification_failed` when it is a run pack that does not verify
 */
export function runpackOfSource(bytes: Uint8Array): Uint8Array {
  return openSourceRunpack(bytes).bytes;
}
