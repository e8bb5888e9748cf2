/**
 * The runpack model (artifacts.md §2): one zip holding `run.json`, `intents.jsonl`, `results.jsonl`,
 * `refs.json` and `manifest.json`. Wire members are snake_case; this model is camelCase, with
 * timestamps as `Timestamp` (offset kept) and free-form payloads as written.
 *
 * STABLE: `Runpack` and the record types are read by `gait regress` and `policy simulate`; add
 * members, never rename or remove them.
 */
import type { SignatureEnvelope } from '../../crypto/envelope.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import type { JsonObject } from '../../schema/v1/json-types.js';

export const RUNPACK_SCHEMA_VERSION = '1.0.0';
export const RUN_SCHEMA_ID = 'gait.runpack.run';
export const INTENT_SCHEMA_ID = 'gait.runpack.intent';
export const RESULT_SCHEMA_ID = 'gait.runpack.result';
export const REFS_SCHEMA_ID = 'gait.runpack.refs';
export const MANIFEST_SCHEMA_ID = 'gait.runpack.manifest';

/** Entry names (§2.1), in zip order. */
export const RUNPACK_ENTRIES = ['intents.jsonl', 'manifest.json', 'refs.json', 'results.jsonl', 'run.json'] as const;
/** The four record entries the manifest must list (§2.8 step 4), sorted. */
export const RUNPACK_RECORD_FILES = ['intents.jsonl', 'refs.json', 'results.jsonl', 'run.json'] as const;
export const MANIFEST_ENTRY = 'manifest.json';

/** `reference` (default): args and results replaced by their digests; `raw`: kept (§2.4 step 5). */
export type CaptureMode = 'reference' | 'raw';
export type ContextEvidenceMode = 'best_effort' | 'required';

/** The fields every runpack record carries. */
export interface RecordHeader {
  readonly schemaId: string;
  readonly schemaVersion: string;
  /** Offset as written. */
  readonly createdAt: Timestamp;
  readonly producerVersion: string;
  readonly runId: string;
}

export interface RunEnv {
  readonly os: string;
  readonly arch: string;
  readonly runtime: string;
}

export interface TimelineEvent {
  readonly event: string;
  /** Offset as written. */
  readonly ts: Timestamp;
  /** '' when absent. */
  readonly ref: string;
  /** The §A7.3 member set, values as given (not re-normalized); undefined when absent. */
  readonly relationship?: JsonObject;
}

/** `run.json` (§2.2). */
export interface RunRecord extends RecordHeader {
  readonly env: RunEnv;
  /** `null` when the input had none; `[]` stays `[]`. */
  readonly timeline: readonly TimelineEvent[] | null;
}

/** One line of `intents.jsonl`. */
export interface IntentRecord extends RecordHeader {
  readonly intentId: string;
  readonly toolName: string;
  /** 64 hex (lowercase when this implementation computed it). */
  readonly argsDigest: string;
  /** Raw mode only; undefined when absent (`{}` is written as absent). */
  readonly args?: JsonObject;
}

/** One line of `results.jsonl`. */
export interface ResultRecord extends RecordHeader {
  readonly intentId: string;
  /** Free text; `ok` and `success` mean success. */
  readonly status: string;
  readonly resultDigest: string;
  /** Raw mode only; undefined when absent (`{}` is written as absent). */
  readonly result?: JsonObject;
}

/** One context receipt of `refs.json`. */
export interface RefReceipt {
  readonly refId: string;
  readonly sourceType: string;
  readonly sourceLocator: string;
  readonly queryDigest: string;
  readonly contentDigest: string;
  /** UTC. */
  readonly retrievedAt: Timestamp;
  readonly redactionMode: string;
  /** `unknown|mutable|immutable` after normalization; '' only in records read from other producers. */
  readonly immutability: string;
  /** 0 when absent. */
  readonly freshnessSlaSeconds: number;
  /** '' when absent. */
  readonly sensitivityLabel: string;
  /** undefined when absent (`{}` is written as absent). */
  readonly retrievalParams?: JsonObject;
}

/** `refs.json` (§2.2). */
export interface RefsRecord extends RecordHeader {
  /** '' when absent. */
  readonly contextSetDigest: string;
  /** '' when absent. */
  readonly contextEvidenceMode: '' | ContextEvidenceMode;
  /** 0 when absent. */
  readonly contextRefCount: number;
  readonly receipts: readonly RefReceipt[];
}

export interface ManifestFile {
  readonly path: string;
  readonly sha256: string;
}

/** `manifest.json` (§2.3). */
export interface RunpackManifest extends RecordHeader {
  readonly captureMode: CaptureMode;
  /** Sorted by path. */
  readonly files: readonly ManifestFile[];
  readonly manifestDigest: string;
  /** Empty when unsigned. */
  readonly signatures: readonly SignatureEnvelope[];
}

/** A runpack read and integrity-checked by `readRunpack` (signatures not checked: that needs a key). */
export interface Runpack {
  readonly manifest: RunpackManifest;
  readonly run: RunRecord;
  /** In file order. */
  readonly intents: readonly IntentRecord[];
  /** In file order. */
  readonly results: readonly ResultRecord[];
  readonly refs: RefsRecord;
  /** Every zip entry's decompressed bytes, by name (the five entries of §2.1). */
  readonly entries: ReadonlyMap<string, Uint8Array>;
}
