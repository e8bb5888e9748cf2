/** PackSpec v1 packs (artifacts.md §3): the manifest and payload models. Wire members are snake_case. */
import type { SignatureEnvelope } from '../../crypto/envelope.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';

export const PACK_MANIFEST_SCHEMA_ID = 'gait.pack.manifest';
export const PACK_RUN_SCHEMA_ID = 'gait.pack.run';
export const PACK_JOB_SCHEMA_ID = 'gait.pack.job';
export const PACK_DIFF_SCHEMA_ID = 'gait.pack.diff';
export const PACK_OUTPUT_SCHEMA_ID = 'gait.pack.output';
export const PACK_SCHEMA_VERSION = '1.0.0';
export const PACK_MANIFEST_ENTRY = 'pack_manifest.json';
export const PROOF_RECORDS_ENTRY = 'proof_records.jsonl';

export const PACK_TYPES = ['run', 'job', 'call', 'authorization'] as const;
export type PackType = (typeof PACK_TYPES)[number];

/** `json`, `jsonl`, `zip` or `blob`, from the lowercased entry name (§3.1). */
export type ContentType = 'json' | 'jsonl' | 'zip' | 'blob';

export interface PackContent {
  readonly path: string;
  readonly sha256: string;
  readonly type: string;
}

/** `pack_manifest.json` (§3.1). */
export interface PackManifest {
  readonly schemaId: string;
  readonly schemaVersion: string;
  readonly createdAt: Timestamp;
  readonly producerVersion: string;
  readonly packId: string;
  readonly packType: PackType;
  readonly sourceRef: string;
  /** Sorted by path; every entry but `pack_manifest.json`. */
  readonly contents: readonly PackContent[];
  readonly signatures: readonly SignatureEnvelope[];
}

/** The content type of an entry name (§3.1). */
export function contentTypeOf(path: string): ContentType {
  const lower = path.toLowerCase();
  if (lower.endsWith('.jsonl')) return 'jsonl';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.zip')) return 'zip';
  return 'blob';
}

export function isPackType(value: string): value is PackType {
  return (PACK_TYPES as readonly string[]).includes(value);
}
