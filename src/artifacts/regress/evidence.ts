/**
 * What the regress graders need to know about a fixture's runpack (artifacts.md §2.2, §4.3), as plain
 * values: the storage layer reads and verifies the zip (§1.4, §2.8) and fills this in, so the graders
 * stay pure and can be tested without zips.
 */
import type { JsonObject } from '../../schema/v1/json-types.js';

export interface EvidenceIntent {
  readonly schemaId: string;
  readonly schemaVersion: string;
  readonly intentId: string;
  readonly toolName: string;
  readonly argsDigest: string;
  /** present in raw capture mode only */
  readonly args?: JsonObject;
  readonly createdAt: string;
}

export interface EvidenceResult {
  readonly schemaId: string;
  readonly schemaVersion: string;
  readonly intentId: string;
  readonly status: string;
  readonly resultDigest: string;
  /** present in raw capture mode only */
  readonly result?: JsonObject;
}

export interface EvidenceRefs {
  readonly schemaId: string;
  readonly schemaVersion: string;
  readonly contextSetDigest: string;
  readonly contextEvidenceMode: string;
  readonly receiptCount: number;
}

/** A runpack that read fully; integrity findings from verify (§2.8) are carried, not thrown. */
export interface RunpackEvidence {
  readonly runId: string;
  /** run.json `created_at` as written */
  readonly createdAt: string;
  readonly captureMode: string;
  readonly manifestSchemaId: string;
  readonly manifestSchemaVersion: string;
  readonly runSchemaId: string;
  readonly runSchemaVersion: string;
  readonly manifestDigest: string;
  readonly intents: readonly EvidenceIntent[];
  readonly results: readonly EvidenceResult[];
  readonly refs: EvidenceRefs;
  /** sorted; from verify */
  readonly missingFiles: readonly string[];
  readonly hashMismatches: number;
  readonly undeclaredFiles: readonly string[];
  /** `verified`, `missing`, `skipped` or `failed` */
  readonly signatureStatus: string;
}

/** The outcome of loading a runpack: the evidence, or why it could not be read. */
export type RunpackLoad =
  | { readonly ok: true; readonly evidence: RunpackEvidence }
  | {
      readonly ok: false;
      /** a schema_validation reason code: `missing_files`, `hash_mismatch`, `runpack_parse_error`, … */
      readonly reason: string;
      readonly error: string;
      readonly missingFiles?: readonly string[];
      readonly hashMismatches?: number;
    };

