/**
 * The runpack and pack library API (artifacts.md §2, §3): record, read, verify and diff runpacks;
 * build and verify run packs. Pure: bytes in, bytes and reports out (files are `gait/node`'s).
 */
import { buildRunPack } from '../artifacts/pack/build.js';
import type { BuiltPack } from '../artifacts/pack/build.js';
import { verifyPack as verifyPackBytes } from '../artifacts/pack/verify.js';
import type { PackVerifyReport } from '../artifacts/pack/verify.js';
import { buildRunpackSync } from '../artifacts/runpack/build.js';
import type { BuiltRunpack } from '../artifacts/runpack/build.js';
import { diffRunpacks as diffRunpackRecords } from '../artifacts/runpack/diff.js';
import type { DiffPrivacy, RunpackDiff } from '../artifacts/runpack/diff.js';
import { parseRunpackInput } from '../artifacts/runpack/input.js';
import { normalizeRefs } from '../artifacts/runpack/normalize.js';
import { readRunpack } from '../artifacts/runpack/read.js';
import type { RunEnv, Runpack } from '../artifacts/runpack/types.js';
import { verifyRunpack as verifyRunpackBytes } from '../artifacts/runpack/verify.js';
import type { RunpackVerifyReport } from '../artifacts/runpack/verify.js';
import type { ZipLimits } from '../artifacts/zip/read.js';
import type { SigningKey, VerifyKey } from '../crypto/keys.js';
import { verifyKeyOf } from '../crypto/keys.js';
import type { Clock } from '../runtime/clock.js';
import { systemClock } from '../runtime/clock.js';
import { GAIT_VERSION } from '../runtime/version.js';

export interface RecordRunpackOptions {
  /** Sign the manifest (recommended: every artifact is signed whenever a key is available, §1.2). */
  readonly signingKey?: SigningKey;
  /** Time for a missing `run.created_at`; default the system clock. */
  readonly clock?: Clock;
  /** Defaults for empty `env` members (gait/node's `recordRunpackFile` passes the host's). */
  readonly hostEnv?: RunEnv;
}

/**
 * Records a runpack from a run-record input (artifacts.md §2.4, §2.5 input format).
 * @param input the parsed run-record JSON: `{run, intents, results, refs?, capture_mode?, normalization?}`
 * @returns the zip `bytes`, `runId`, `manifestDigest`, `signatureStatus`, capture `warnings`
 * @throws GaitError `artifact_invalid` (`run_id is required`, `intent <id> args digest mismatch`, …),
 *   `jcs_invalid_value` (a payload that is not plain JSON)
 * @example const { bytes, manifestDigest } = recordRunpack(JSON.parse(text), { signingKey });
 */
export function recordRunpack(input: unknown, options: RecordRunpackOptions = {}): BuiltRunpack {
  return buildRunpackSync(parseRunpackInput(input), {
    clock: options.clock ?? systemClock,
    ...(options.hostEnv === undefined ? {} : { hostEnv: options.hostEnv }),
    ...(options.signingKey === undefined ? {} : { signingKey: options.signingKey }),
  });
}

export interface VerifyArtifactOptions {
  /** Verify signatures with this key (a signing key's public half is used). */
  readonly key?: VerifyKey | SigningKey;
  /** `ok` then needs a verified signature. */
  readonly requireSignature?: boolean;
  /** Safe-reader caps (defaults: 100 MiB per entry, 1 GiB total, 10,000 entries). */
  readonly limits?: Partial<ZipLimits>;
}

function toVerifyKey(key: VerifyKey | SigningKey | undefined): VerifyKey | undefined {
  if (key === undefined) return undefined;
  return 'privateKey' in key ? verifyKeyOf(key) : key;
}

function verifyOptions(options: VerifyArtifactOptions): { key?: VerifyKey; requireSignature?: boolean; limits?: Partial<ZipLimits> } {
  const key = toVerifyKey(options.key);
  return {
    ...(key === undefined ? {} : { key }),
    ...(options.requireSignature === undefined ? {} : { requireSignature: options.requireSignature }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  };
}

/**
 * Verifies a runpack zip offline (artifacts.md §2.8). Never throws for a bad archive.
 * @returns `{ok, checks: [{name, ok, why?}], missingFiles, hashMismatches, undeclaredFiles, signatureStatus, …}`
 * @example verifyRunpack(bytes, { key: publicKey, requireSignature: true }).ok
 */
export function verifyRunpack(zipBytes: Uint8Array, options: VerifyArtifactOptions = {}): RunpackVerifyReport {
  return verifyRunpackBytes(zipBytes, verifyOptions(options));
}

/**
 * Compares two runpacks (artifacts.md §2.10): zips are read with every integrity check (a failure
 * throws `artifact_*`, a verification failure), refs re-normalized.
 * @returns `{ok, privacy, summary}`; `ok` is false when anything changed
 * @throws GaitError `artifact_zip_*`, `artifact_verification_failed`, `artifact_invalid` (refs)
 * @example (await diffRunpacks(a, b)).summary.intentsChanged
 */
export async function diffRunpacks(left: Uint8Array | Runpack, right: Uint8Array | Runpack, options: { readonly privacy?: DiffPrivacy } = {}): Promise<RunpackDiff> {
  const open = async (side: Uint8Array | Runpack): Promise<Runpack> => {
    const pack = side instanceof Uint8Array ? await readRunpack(side) : side;
    return { ...pack, refs: normalizeRefs(pack.refs) };
  };
  return diffRunpackRecords(await open(left), await open(right), options.privacy ?? 'full');
}

/**
 * Builds a PackSpec v1 run pack from a runpack zip (artifacts.md §3.3).
 * @throws GaitError the verification failures of `readRunpack`
 * @example const { bytes, packId } = buildPack(runpackBytes, { signingKey });
 */
export function buildPack(runpackZip: Uint8Array, options: { readonly signingKey?: SigningKey; readonly producerVersion?: string } = {}): BuiltPack {
  return buildRunPack(runpackZip, {
    producerVersion: options.producerVersion ?? GAIT_VERSION,
    ...(options.signingKey === undefined ? {} : { signingKey: options.signingKey }),
  });
}

/**
 * Verifies a pack zip (artifacts.md §3.6); a bare runpack is verified as one (`legacyType: 'runpack'`).
 * @throws GaitError `artifact_invalid` (`missing pack_manifest.json`) for a zip that is neither
 * @example verifyPack(bytes, { key }).ok
 */
export function verifyPack(zipBytes: Uint8Array, options: VerifyArtifactOptions = {}): PackVerifyReport {
  return verifyPackBytes(zipBytes, verifyOptions(options));
}
