/**
 * Runpack records as wire JSON (artifacts.md §2.2, §2.3), built with exactly the members listed for
 * each record and the always / omit-empty rules of gate.md §A1.3, so that entry bytes, file hashes
 * and `manifest_digest` match Gait v1's for the same records.
 */
import type { SignatureEnvelope } from '../../crypto/envelope.js';
import { formatTimestamp } from '../../runtime/timestamp.js';
import type { JsonObject, JsonValue } from '../../schema/v1/json-types.js';
import type {
  IntentRecord,
  RecordHeader,
  RefReceipt,
  RefsRecord,
  ResultRecord,
  RunpackManifest,
  RunRecord,
  TimelineEvent,
} from './types.js';

function header(r: RecordHeader): JsonObject {
  return {
    schema_id: r.schemaId,
    schema_version: r.schemaVersion,
    created_at: formatTimestamp(r.createdAt),
    producer_version: r.producerVersion,
    run_id: r.runId,
  };
}

function hasMembers(o: JsonObject | undefined): o is JsonObject {
  return o !== undefined && Object.keys(o).length > 0;
}

function timelineEventToWire(e: TimelineEvent): JsonObject {
  const out: JsonObject = { event: e.event, ts: formatTimestamp(e.ts) };
  if (e.ref !== '') out['ref'] = e.ref;
  if (e.relationship !== undefined) out['relationship'] = e.relationship;
  return out;
}

/** `run.json`: header, `env` (all three members always), `timeline` (`null` when absent). */
export function runToWire(run: RunRecord): JsonObject {
  return {
    ...header(run),
    env: { os: run.env.os, arch: run.env.arch, runtime: run.env.runtime },
    timeline: run.timeline === null ? null : run.timeline.map(timelineEventToWire),
  };
}

/** One `intents.jsonl` record; `args` omit-empty. */
export function intentToWire(r: IntentRecord): JsonObject {
  const out: JsonObject = { ...header(r), intent_id: r.intentId, tool_name: r.toolName, args_digest: r.argsDigest };
  if (hasMembers(r.args)) out['args'] = r.args;
  return out;
}

/** One `results.jsonl` record; `result` omit-empty. */
export function resultToWire(r: ResultRecord): JsonObject {
  const out: JsonObject = { ...header(r), intent_id: r.intentId, status: r.status, result_digest: r.resultDigest };
  if (hasMembers(r.result)) out['result'] = r.result;
  return out;
}

/** One receipt: seven members always, four omit-empty. */
export function receiptToWire(r: RefReceipt): JsonObject {
  const out: JsonObject = {
    ref_id: r.refId,
    source_type: r.sourceType,
    source_locator: r.sourceLocator,
    query_digest: r.queryDigest,
    content_digest: r.contentDigest,
    retrieved_at: formatTimestamp(r.retrievedAt),
    redaction_mode: r.redactionMode,
  };
  if (r.immutability !== '') out['immutability'] = r.immutability;
  if (r.freshnessSlaSeconds !== 0) out['freshness_sla_seconds'] = r.freshnessSlaSeconds;
  if (r.sensitivityLabel !== '') out['sensitivity_label'] = r.sensitivityLabel;
  if (hasMembers(r.retrievalParams)) out['retrieval_params'] = r.retrievalParams;
  return out;
}

/** `refs.json`: header, three omit-empty context members, `receipts` always (`[]` when empty). */
export function refsToWire(refs: RefsRecord): JsonObject {
  const out: JsonObject = header(refs);
  if (refs.contextSetDigest !== '') out['context_set_digest'] = refs.contextSetDigest;
  if (refs.contextEvidenceMode !== '') out['context_evidence_mode'] = refs.contextEvidenceMode;
  if (refs.contextRefCount !== 0) out['context_ref_count'] = refs.contextRefCount;
  out['receipts'] = refs.receipts.map(receiptToWire);
  return out;
}

export interface ManifestWireOptions {
  /** Overrides `manifest.manifestDigest` (`''` for the digest computation, §2.3). */
  readonly manifestDigest?: string;
  /** Leave out `signatures` even when the manifest has some (digest and signing payloads). */
  readonly withoutSignatures?: boolean;
}

/** `manifest.json`; `signatures` omit-empty. */
export function manifestToWire(m: RunpackManifest, options: ManifestWireOptions = {}): JsonObject {
  const out: JsonObject = {
    ...header(m),
    capture_mode: m.captureMode,
    files: m.files.map((f) => ({ path: f.path, sha256: f.sha256 })),
    manifest_digest: options.manifestDigest ?? m.manifestDigest,
  };
  if (options.withoutSignatures !== true && m.signatures.length > 0) {
    out['signatures'] = m.signatures.map((s) => signatureToWire(s));
  }
  return out;
}

export function signatureToWire(s: SignatureEnvelope): JsonObject {
  return { alg: s.alg, key_id: s.key_id, sig: s.sig, signed_digest: s.signed_digest };
}

/** Whether a free-form value is a non-empty JSON object (omit-empty for `args` and `result`). */
export function isNonEmptyObject(value: JsonValue | undefined): value is JsonObject {
  return value !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0;
}
