/**
 * The runpack manifest (artifacts.md §2.3): strict parsing (§2.8 step 2, §10: unknown top-level
 * members are verification failures), `manifest_digest` and signing (the signature payload and its
 * check are shared with packs: `../signed/manifest-signatures.ts`).
 */
import { digestJcs } from '../../crypto/digest.js';
import { signRecord } from '../../crypto/envelope.js';
import type { SignatureEnvelope } from '../../crypto/envelope.js';
import type { SigningKey } from '../../crypto/keys.js';
import { GaitError } from '../../errors/error.js';
import { parseTimestamp, ZERO_TIME } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { isJsonObject } from '../../schema/v1/decode.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { isSafeEntryName } from '../zip/names.js';
import { MANIFEST_SCHEMA_ID, RUNPACK_SCHEMA_VERSION } from './types.js';
import type { CaptureMode, ManifestFile, RunpackManifest } from './types.js';
import { manifestToWire } from './wire.js';

const MANIFEST_MEMBERS: ReadonlySet<string> = new Set([
  'schema_id',
  'schema_version',
  'created_at',
  'producer_version',
  'run_id',
  'capture_mode',
  'files',
  'manifest_digest',
  'signatures',
]);

function invalid(message: string): GaitError {
  return new GaitError('artifact_verification_failed', message, { details: { check: 'manifest' } });
}

function str(m: JsonObject, key: string): string {
  const v = m[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw invalid(`manifest ${key} must be a string`);
  return v;
}

function timestamp(m: JsonObject, key: string): Timestamp {
  const text = str(m, key);
  if (text === '') return ZERO_TIME;
  try {
    return parseTimestamp(text);
  } catch {
    throw invalid(`manifest ${key} must be an RFC 3339 timestamp`);
  }
}

function files(m: JsonObject): ManifestFile[] {
  const v = m['files'];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalid('manifest files must be an array');
  return v.map((item, i) => {
    if (!isJsonObject(item)) throw invalid(`manifest files[${i}] must be an object`);
    const path = str(item, 'path');
    if (!isSafeEntryName(path)) throw invalid(`unsafe manifest file path: ${path}`);
    return { path, sha256: str(item, 'sha256') };
  });
}

function signatures(m: JsonObject): SignatureEnvelope[] {
  const v = m['signatures'];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalid('manifest signatures must be an array');
  return v.map((item, i) => {
    if (!isJsonObject(item)) throw invalid(`manifest signatures[${i}] must be an object`);
    return { alg: str(item, 'alg') as 'ed25519', key_id: str(item, 'key_id'), sig: str(item, 'sig'), signed_digest: str(item, 'signed_digest') };
  });
}

/**
 * Parses `manifest.json` strictly (artifacts.md §2.8 step 2): an object with only manifest members,
 * `schema_id` `gait.runpack.manifest`, `schema_version` `1.0.0`, a `run_id`, `capture_mode`
 * `reference|raw`, safe `files[].path` names.
 * @throws GaitError `artifact_verification_failed` naming the first problem
 */
export function parseRunpackManifest(raw: unknown): RunpackManifest {
  if (!isJsonObject(raw)) throw invalid('manifest.json must be a JSON object');
  const unknown = Object.keys(raw).filter((k) => !MANIFEST_MEMBERS.has(k)).sort();
  if (unknown.length > 0) throw invalid(`manifest has unknown members: ${unknown.join(', ')}`);
  const schemaId = str(raw, 'schema_id');
  if (schemaId !== MANIFEST_SCHEMA_ID) throw invalid(`manifest schema_id must be ${MANIFEST_SCHEMA_ID}, got \`${schemaId}\``);
  const schemaVersion = str(raw, 'schema_version');
  if (schemaVersion !== RUNPACK_SCHEMA_VERSION) throw invalid(`manifest schema_version must be ${RUNPACK_SCHEMA_VERSION}, got \`${schemaVersion}\``);
  const runId = str(raw, 'run_id');
  if (runId === '') throw invalid('manifest run_id is required');
  const captureMode = str(raw, 'capture_mode');
  if (captureMode !== 'reference' && captureMode !== 'raw') throw invalid(`manifest capture_mode must be reference or raw, got \`${captureMode}\``);
  return {
    schemaId,
    schemaVersion,
    createdAt: timestamp(raw, 'created_at'),
    producerVersion: str(raw, 'producer_version'),
    runId,
    captureMode: captureMode as CaptureMode,
    files: files(raw),
    manifestDigest: str(raw, 'manifest_digest'),
    signatures: signatures(raw),
  };
}

/** `DigestJCS(manifest with "manifest_digest": "" and no "signatures")` (§2.3). */
export function computeManifestDigest(manifest: RunpackManifest): string {
  return digestJcs(manifestToWire(manifest, { manifestDigest: '', withoutSignatures: true }));
}

/** Signs the manifest with its real `manifest_digest` and no `signatures` (§2.3). */
export function signRunpackManifest(manifest: RunpackManifest, key: SigningKey): SignatureEnvelope {
  return signRecord(manifestToWire(manifest, { withoutSignatures: true }), key);
}
