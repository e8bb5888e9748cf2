/**
 * `buildPack` (artifacts.md §3.1–§3.5): entries → proof records → manifest with `pack_id` → signature
 * → deterministic zip. `buildRunPack` derives the run pack's entries from a runpack zip, `buildJobPack`
 * the job pack's from a job's state and events. The same
 * input gives the same bytes and `pack_id` (§3.8 #11).
 */
import { sha256Hex } from '../../crypto/digest.js';
import type { SigningKey } from '../../crypto/keys.js';
import { GaitError } from '../../errors/error.js';
import { canonicalBytes } from '../../jcs/canonicalize.js';
import { FALLBACK_CREATED_AT } from '../../runtime/timestamp.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { readRunpackSync } from '../runpack/read.js';
import type { Runpack } from '../runpack/types.js';
import { compareEntryNames, isSafeEntryName } from '../zip/names.js';
import { openZip } from '../zip/read.js';
import type { ZipLimits } from '../zip/read.js';
import { normalizedEntryMode, writeZip } from '../zip/write.js';
import { jobPackEntries } from './job-payload.js';
import type { JobPackSource } from './job-payload.js';
import { computePackId, packManifestToWire, signPackManifest } from './manifest.js';
import { buildProofRecords, proofRecordsBytes } from './proof.js';
import { buildContextEnvelope, buildRunPayload } from './run-payload.js';
import { contentTypeOf, PACK_MANIFEST_ENTRY, PACK_MANIFEST_SCHEMA_ID, PACK_SCHEMA_VERSION, PROOF_RECORDS_ENTRY } from './types.js';
import type { PackManifest, PackType } from './types.js';

export const DEFAULT_PACK_PRODUCER_VERSION = '0.0.0-dev';

export interface PackEntryInput {
  readonly path: string;
  readonly data: Uint8Array;
  /** File mode; normalized to 0644/0755 (§1.3). */
  readonly mode?: number;
}

export interface BuildPackInput {
  readonly packType: PackType;
  readonly sourceRef: string;
  /** Every entry but `pack_manifest.json` and `proof_records.jsonl` (both are written here). */
  readonly entries: readonly PackEntryInput[];
}

export interface BuildPackOptions {
  /** The writer's version (`producer_version`); '' → `0.0.0-dev`. */
  readonly producerVersion: string;
  /** Sign the manifest and every proof record (§1.2). */
  readonly signingKey?: SigningKey;
}

export interface BuiltPack {
  readonly bytes: Uint8Array;
  readonly packId: string;
  readonly manifest: PackManifest;
  readonly manifestJson: JsonObject;
  readonly signatureStatus: 'signed' | 'missing';
  readonly keyId: string;
}

function checkEntries(entries: readonly PackEntryInput[]): void {
  const seen = new Set<string>();
  for (const e of entries) {
    if (!isSafeEntryName(e.path)) throw new GaitError('artifact_invalid', `unsafe pack entry path: ${e.path}`);
    if (e.path === PACK_MANIFEST_ENTRY || e.path === PROOF_RECORDS_ENTRY) throw new GaitError('artifact_invalid', `reserved pack entry path: ${e.path}`);
    if (seen.has(e.path)) throw new GaitError('artifact_invalid', `duplicate pack entry path: ${e.path}`);
    seen.add(e.path);
  }
}

/**
 * Builds a PackSpec v1 pack (§3.1–§3.4).
 * @throws GaitError `artifact_invalid` for an empty `source_ref`, an unsafe, reserved or duplicate path
 * @example buildPack({ packType: 'run', sourceRef: runId, entries }, { producerVersion: GAIT_VERSION })
 */
export function buildPack(input: BuildPackInput, options: BuildPackOptions): BuiltPack {
  if (input.sourceRef === '') throw new GaitError('artifact_invalid', 'pack source_ref is required');
  checkEntries(input.entries);
  const producerVersion = options.producerVersion === '' ? DEFAULT_PACK_PRODUCER_VERSION : options.producerVersion;
  const sorted = [...input.entries].sort((a, b) => compareEntryNames(a.path, b.path));
  const proof = buildProofRecords(
    sorted.map((e) => ({ path: e.path, type: contentTypeOf(e.path), sha256: sha256Hex(e.data), size: e.data.length, permissions: normalizedEntryMode(e.mode) })),
    { packType: input.packType, sourceRef: input.sourceRef, producerVersion },
    options.signingKey,
  );
  const all = [...sorted, { path: PROOF_RECORDS_ENTRY, data: proofRecordsBytes(proof) }].sort((a, b) => compareEntryNames(a.path, b.path));
  const unsigned: PackManifest = {
    schemaId: PACK_MANIFEST_SCHEMA_ID,
    schemaVersion: PACK_SCHEMA_VERSION,
    createdAt: FALLBACK_CREATED_AT,
    producerVersion,
    packId: '',
    packType: input.packType,
    sourceRef: input.sourceRef,
    contents: all.map((e) => ({ path: e.path, sha256: sha256Hex(e.data), type: contentTypeOf(e.path) })),
    signatures: [],
  };
  const withId: PackManifest = { ...unsigned, packId: computePackId(unsigned) };
  const key = options.signingKey;
  const manifest = key === undefined ? withId : { ...withId, signatures: [signPackManifest(withId, key)] };
  const manifestJson = packManifestToWire(manifest);
  const bytes = writeZip([
    ...all.map((e) => ({ name: e.path, data: e.data, ...('mode' in e && e.mode !== undefined ? { mode: e.mode } : {}) })),
    { name: PACK_MANIFEST_ENTRY, data: canonicalBytes(manifestJson) },
  ]);
  return { bytes, packId: manifest.packId, manifest, manifestJson, signatureStatus: key === undefined ? 'missing' : 'signed', keyId: key?.keyId ?? '' };
}

/** `source/runpack.zip` (§3.3): the runpack's non-directory entries re-written deterministically. */
export function rewriteRunpackZip(zipBytes: Uint8Array, limits: Partial<ZipLimits> = {}): Uint8Array {
  const zip = openZip(zipBytes, limits);
  return writeZip(zip.entries.map((e) => ({ name: e.name, data: zip.read(e.name), mode: e.mode })));
}

/** The entries of a run pack for a runpack (§3.3 "run"). */
export function runPackEntries(runpackZip: Uint8Array, pack: Runpack, limits: Partial<ZipLimits> = {}): PackEntryInput[] {
  const entries: PackEntryInput[] = [
    { path: 'run_payload.json', data: canonicalBytes(buildRunPayload(pack)) },
    { path: 'source/runpack.zip', data: rewriteRunpackZip(runpackZip, limits) },
  ];
  const envelope = buildContextEnvelope(pack);
  if (envelope !== undefined) entries.push({ path: 'context_envelope.json', data: canonicalBytes(envelope) });
  return entries;
}

/**
 * Builds a run pack from a runpack zip (§3.3): the runpack is read with every integrity check first.
 * @throws GaitError verification failures of `readRunpack` (exit 2), `artifact_invalid`
 * @example buildRunPack(readFileSync('runpack_run_1.zip'), { producerVersion: GAIT_VERSION, signingKey })
 */
export function buildRunPack(runpackZip: Uint8Array, options: BuildPackOptions & { readonly limits?: Partial<ZipLimits> }): BuiltPack {
  const limits = options.limits ?? {};
  const pack = readRunpackSync(runpackZip, { limits });
  return buildPack({ packType: 'run', sourceRef: pack.manifest.runId, entries: runPackEntries(runpackZip, pack, limits) }, options);
}

/**
 * Builds a job pack (§3.3 "job") from a job's `state.json` and `events.jsonl` bytes; `source_ref` is
 * the state's `job_id`.
 * @throws GaitError `artifact_invalid` for an unusable state or events file
 * @example buildJobPack({ state, events }, { producerVersion: GAIT_VERSION })
 */
export function buildJobPack(source: JobPackSource, options: BuildPackOptions): BuiltPack {
  const { jobId, entries } = jobPackEntries(source);
  return buildPack({ packType: 'job', sourceRef: jobId, entries }, options);
}
