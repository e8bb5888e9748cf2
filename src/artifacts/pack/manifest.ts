/**
 * The PackSpec manifest (artifacts.md §3.1, §3.2, §3.6 step 3): strict parsing, `pack_id`, signing.
 */
import { digestJcs } from '../../crypto/digest.js';
import { signRecord } from '../../crypto/envelope.js';
import type { SignatureEnvelope } from '../../crypto/envelope.js';
import type { SigningKey } from '../../crypto/keys.js';
import { GaitError } from '../../errors/error.js';
import { formatTimestamp, isZeroTime, parseTimestamp, ZERO_TIME } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { isJsonObject } from '../../schema/v1/decode.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { isSafeEntryName } from '../zip/names.js';
import { isPackType, PACK_MANIFEST_SCHEMA_ID, PACK_SCHEMA_VERSION } from './types.js';
import type { PackContent, PackManifest, PackType } from './types.js';

const HEX64 = /^[0-9a-fA-F]{64}$/;
const MEMBERS = new Set(['schema_id', 'schema_version', 'created_at', 'producer_version', 'pack_id', 'pack_type', 'source_ref', 'contents', 'signatures']);
const CONTENT_MEMBERS = new Set(['path', 'sha256', 'type']);
const SIGNATURE_MEMBERS = new Set(['alg', 'key_id', 'sig', 'signed_digest']);

function invalid(message: string): GaitError {
  return new GaitError('artifact_verification_failed', `invalid pack manifest: ${message}`, { details: { check: 'manifest' } });
}

function closed(obj: JsonObject, allowed: ReadonlySet<string>, where: string): void {
  const extra = Object.keys(obj).filter((k) => !allowed.has(k)).sort();
  if (extra.length > 0) throw invalid(`unknown member${extra.length > 1 ? 's' : ''} ${extra.map((k) => `${where}${k}`).join(', ')}`);
}

function str(obj: JsonObject, key: string, where = ''): string {
  const v = obj[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw invalid(`${where}${key} must be a string`);
  return v;
}

function contents(raw: JsonObject): PackContent[] {
  const v = raw['contents'];
  if (!Array.isArray(v)) throw invalid('contents is required');
  return v.map((item, i) => {
    const where = `contents[${i}].`;
    if (!isJsonObject(item)) throw invalid(`contents[${i}] must be an object`);
    closed(item, CONTENT_MEMBERS, where);
    const path = str(item, 'path', where);
    if (!isSafeEntryName(path)) throw invalid(`unsafe contents path: ${path}`);
    const sha256 = str(item, 'sha256', where);
    if (!HEX64.test(sha256)) throw invalid(`${where}sha256 must be 64 hex characters`);
    const type = str(item, 'type', where);
    if (type === '') throw invalid(`${where}type is required`);
    return { path, sha256, type };
  });
}

function signatures(raw: JsonObject): SignatureEnvelope[] {
  const v = raw['signatures'];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalid('signatures must be an array');
  return v.map((item, i) => {
    const where = `signatures[${i}].`;
    if (!isJsonObject(item)) throw invalid(`signatures[${i}] must be an object`);
    closed(item, SIGNATURE_MEMBERS, where);
    const sig = { alg: str(item, 'alg', where), key_id: str(item, 'key_id', where), sig: str(item, 'sig', where), signed_digest: str(item, 'signed_digest', where) };
    for (const [k, val] of Object.entries(sig)) if (val === '') throw invalid(`${where}${k} is required`);
    if (!HEX64.test(sig.signed_digest)) throw invalid(`${where}signed_digest must be 64 hex characters`);
    return sig as SignatureEnvelope;
  });
}

function createdAt(raw: JsonObject): Timestamp {
  const text = str(raw, 'created_at');
  let ts: Timestamp = ZERO_TIME;
  if (text !== '') {
    try {
      ts = parseTimestamp(text);
    } catch {
      throw invalid('created_at must be an RFC 3339 timestamp');
    }
  }
  if (isZeroTime(ts)) throw invalid('created_at is required');
  return ts;
}

/**
 * Parses `pack_manifest.json` strictly (§3.6 step 3): closed objects, schema constants, a known
 * `pack_type`, `source_ref`, non-zero `created_at`, `producer_version`, 64-hex `pack_id`, safe
 * content paths with 64-hex hashes and a type, complete signatures.
 * @throws GaitError `artifact_verification_failed` `invalid pack manifest: <detail>`
 */
export function parsePackManifest(raw: unknown): PackManifest {
  if (!isJsonObject(raw)) throw invalid('not a JSON object');
  closed(raw, MEMBERS, '');
  const schemaId = str(raw, 'schema_id');
  if (schemaId !== PACK_MANIFEST_SCHEMA_ID) throw invalid(`schema_id must be ${PACK_MANIFEST_SCHEMA_ID}, got \`${schemaId}\``);
  const schemaVersion = str(raw, 'schema_version');
  if (schemaVersion !== PACK_SCHEMA_VERSION) throw invalid(`schema_version must be ${PACK_SCHEMA_VERSION}, got \`${schemaVersion}\``);
  const packType = str(raw, 'pack_type');
  if (!isPackType(packType)) throw invalid(`pack_type must be run, job, call or authorization, got \`${packType}\``);
  const sourceRef = str(raw, 'source_ref');
  if (sourceRef === '') throw invalid('source_ref is required');
  const producerVersion = str(raw, 'producer_version');
  if (producerVersion === '') throw invalid('producer_version is required');
  const packId = str(raw, 'pack_id');
  if (!HEX64.test(packId)) throw invalid('pack_id must be 64 hex characters');
  return {
    schemaId,
    schemaVersion,
    createdAt: createdAt(raw),
    producerVersion,
    packId,
    packType: packType as PackType,
    sourceRef,
    contents: contents(raw),
    signatures: signatures(raw),
  };
}

export interface PackManifestWireOptions {
  readonly packId?: string;
  readonly withoutSignatures?: boolean;
}

/** The manifest as wire JSON (`signatures` omit-empty). */
export function packManifestToWire(m: PackManifest, options: PackManifestWireOptions = {}): JsonObject {
  const out: JsonObject = {
    schema_id: m.schemaId,
    schema_version: m.schemaVersion,
    created_at: formatTimestamp(m.createdAt),
    producer_version: m.producerVersion,
    pack_id: options.packId ?? m.packId,
    pack_type: m.packType,
    source_ref: m.sourceRef,
    contents: m.contents.map((c) => ({ path: c.path, sha256: c.sha256, type: c.type })),
  };
  if (options.withoutSignatures !== true && m.signatures.length > 0) {
    out['signatures'] = m.signatures.map((s) => ({ alg: s.alg, key_id: s.key_id, sig: s.sig, signed_digest: s.signed_digest }));
  }
  return out;
}

/** `pack_id = DigestJCS(manifest with "pack_id": "" and no signatures)` (§3.2). */
export function computePackId(m: PackManifest): string {
  return digestJcs(packManifestToWire(m, { packId: '', withoutSignatures: true }));
}

/** Signs the manifest with its real `pack_id` and no signatures (§3.2). */
export function signPackManifest(m: PackManifest, key: SigningKey): SignatureEnvelope {
  return signRecord(packManifestToWire(m, { withoutSignatures: true }), key);
}
