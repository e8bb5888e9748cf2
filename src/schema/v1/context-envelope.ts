/**
 * Context evidence envelopes (`gait.context.envelope` 1.0.0, gate.md §B2): parsing (strict decoding in
 * `context-envelope-decode.ts`), normalization and the `context_set_digest`. The envelope
 * is unsigned; "verified" means self-consistent only: the supplied digest equals the digest of the
 * normalized records.
 */
import { digestJcs } from '../../crypto/digest.js';
import { GaitError, isGaitError } from '../../errors/error.js';
import { FALLBACK_CREATED_AT, formatTimestamp, isZeroTime, toUtc } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { decodeContextEnvelope } from './context-envelope-decode.js';
import type { DecodedEnvelope, DecodedRecord } from './context-envelope-decode.js';
import type { JsonObject } from './json-types.js';
import { compareCodePoints, isHex64, lowerSimple, trimSpec } from './text.js';

export const CONTEXT_ENVELOPE_SCHEMA_ID = 'gait.context.envelope';
export const CONTEXT_ENVELOPE_SCHEMA_VERSION = '1.0.0';
/** Size cap of an envelope file (gate.md §B2); enforced where the file is read. */
export const MAX_CONTEXT_ENVELOPE_BYTES = 1_048_576;

const DEFAULT_PRODUCER_VERSION = '0.0.0-dev';
const DECODE_PREFIX = 'parse context envelope: ';

export type ContextEvidenceMode = 'best_effort' | 'required';
export type ContextImmutability = 'unknown' | 'mutable' | 'immutable';

/** One normalized reference record (gate.md §B2). */
export interface ContextRecord {
  /** trimmed, non-empty */
  readonly refId: string;
  readonly sourceType: string;
  readonly sourceLocator: string;
  /** hex64 */
  readonly queryDigest: string;
  readonly contentDigest: string;
  /** UTC; unset → 1980-01-01T00:00:00Z */
  readonly retrievedAt: Timestamp;
  readonly redactionMode: string;
  readonly immutability: ContextImmutability;
  /** as written; '' when absent (omit-empty) */
  readonly sensitivityLabel: string;
  /** integer ≥ 0; 0 when absent (omit-empty) */
  readonly freshnessSlaSeconds: number;
  /** free object as written; undefined when absent or empty (omit-empty) */
  readonly retrievalParams: JsonObject | undefined;
}

/** A normalized, self-consistent context envelope (gate.md §B2). */
export interface ContextEnvelope {
  readonly schemaId: typeof CONTEXT_ENVELOPE_SCHEMA_ID;
  readonly schemaVersion: typeof CONTEXT_ENVELOPE_SCHEMA_VERSION;
  /** UTC; unset → 1980-01-01T00:00:00Z */
  readonly createdAt: Timestamp;
  readonly producerVersion: string;
  /** trimmed, non-empty */
  readonly contextSetId: string;
  /** DigestJCS of the normalized `records` array (hex64) */
  readonly contextSetDigest: string;
  readonly evidenceMode: ContextEvidenceMode;
  /** sorted by (ref_id, source_type, source_locator, content_digest) */
  readonly records: readonly ContextRecord[];
}

const IMMUTABILITY: readonly string[] = ['unknown', 'mutable', 'immutable'];

// INVARIANT: only envelopes returned by parseContextEnvelope (deep-frozen) are trusted without re-checking.
const PARSED = new WeakSet<object>();

function envelopeError(message: string, path?: string): GaitError {
  return new GaitError('artifact_invalid', message, path === undefined || path === '' ? {} : { details: { path } });
}

// ---- normalization (gate.md §B2 "Normalization") ----

function utcOrFallback(ts: Timestamp | undefined): Timestamp {
  return ts === undefined || isZeroTime(ts) ? FALLBACK_CREATED_AT : toUtc(ts);
}

/** `evidence_mode`: lowercased, `best_effort|required`, default `best_effort`. */
function normalizeEvidenceMode(mode: string): ContextEvidenceMode {
  const value = lowerSimple(trimSpec(mode));
  if (value === '') return 'best_effort';
  if (value !== 'best_effort' && value !== 'required') {
    throw envelopeError('context evidence mode must be best_effort or required', 'evidence_mode');
  }
  return value;
}

function normalizeRecord(r: DecodedRecord): ContextRecord {
  const refId = trimSpec(r.refId);
  const sourceType = trimSpec(r.sourceType);
  const sourceLocator = trimSpec(r.sourceLocator);
  const redactionMode = trimSpec(r.redactionMode);
  if (refId === '' || sourceType === '' || sourceLocator === '' || redactionMode === '') {
    throw envelopeError('context record fields ref_id/source_type/source_locator/redaction_mode are required', r.path);
  }
  const queryDigest = lowerSimple(trimSpec(r.queryDigest));
  const contentDigest = lowerSimple(trimSpec(r.contentDigest));
  if (!isHex64(queryDigest) || !isHex64(contentDigest)) throw envelopeError('context record digests must be sha256 hex', r.path);
  const immutability = lowerSimple(trimSpec(r.immutability));
  if (immutability !== '' && !IMMUTABILITY.includes(immutability)) {
    throw envelopeError('context record immutability must be unknown|mutable|immutable', r.path);
  }
  if (r.freshnessSlaSeconds < 0) throw envelopeError('context record freshness_sla_seconds must be >= 0', r.path);
  return {
    refId,
    sourceType,
    sourceLocator,
    queryDigest,
    contentDigest,
    retrievedAt: utcOrFallback(r.retrievedAt),
    redactionMode,
    immutability: (immutability === '' ? 'unknown' : immutability) as ContextImmutability,
    sensitivityLabel: r.sensitivityLabel,
    freshnessSlaSeconds: r.freshnessSlaSeconds,
    retrievalParams: r.retrievalParams === undefined || Object.keys(r.retrievalParams).length === 0 ? undefined : r.retrievalParams,
  };
}

/** Record order of gate.md §B2: (ref_id, source_type, source_locator, content_digest), by code point; stable. */
function compareRecords(a: ContextRecord, b: ContextRecord): number {
  return (
    compareCodePoints(a.refId, b.refId) ||
    compareCodePoints(a.sourceType, b.sourceType) ||
    compareCodePoints(a.sourceLocator, b.sourceLocator) ||
    compareCodePoints(a.contentDigest, b.contentDigest)
  );
}

function schemaConstant(value: string, fallback: string, member: string): string {
  const resolved = trimSpec(value) === '' ? fallback : value;
  if (resolved !== fallback) throw envelopeError(`unsupported context envelope ${member}: ${resolved}`, member);
  return resolved;
}

/** A supplied non-empty digest must be hex64 and equal the computed one (gate.md §B2). */
function checkedDigest(supplied: string, computed: string): string {
  const claim = lowerSimple(trimSpec(supplied));
  if (claim === '') return computed;
  if (!isHex64(claim)) throw envelopeError('context_set_digest must be sha256 hex', 'context_set_digest');
  if (claim !== computed) throw envelopeError('context_set_digest mismatch', 'context_set_digest');
  return claim;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value as Record<string, unknown>)) deepFreeze(member);
  }
  return value;
}

// ---- public API ----

/**
 * A record as digested (v1 member rules, §A1.3): the eight always-members, then `sensitivity_label`,
 * `freshness_sla_seconds` and `retrieval_params` omit-empty.
 */
export function toContextRecordObject(record: ContextRecord): JsonObject {
  const out: JsonObject = {
    ref_id: record.refId,
    source_type: record.sourceType,
    source_locator: record.sourceLocator,
    query_digest: record.queryDigest,
    content_digest: record.contentDigest,
    retrieved_at: formatTimestamp(record.retrievedAt),
    redaction_mode: record.redactionMode,
    immutability: record.immutability,
  };
  if (record.sensitivityLabel !== '') out['sensitivity_label'] = record.sensitivityLabel;
  if (record.freshnessSlaSeconds !== 0) out['freshness_sla_seconds'] = record.freshnessSlaSeconds;
  if (record.retrievalParams !== undefined && Object.keys(record.retrievalParams).length > 0) {
    out['retrieval_params'] = record.retrievalParams;
  }
  return out;
}

/**
 * `context_set_digest` (gate.md §B2) = DigestJCS of the records array, each record per
 * `toContextRecordObject`, in the order given (normalized envelopes hold them sorted).
 * @param records normalized records
 * @returns 64 lowercase hex characters; `[]` digests to `4f53cda1…2b945`
 * @throws GaitError `jcs_invalid_value` when a record holds a lone surrogate or a non-JSON value
 * @example contextSetDigest([]) // '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945'
 */
export function contextSetDigest(records: readonly ContextRecord[]): string {
  return digestJcs(records.map(toContextRecordObject));
}

/**
 * Decodes and normalizes a context envelope (gate.md §B2): members map case-insensitively, unknown
 * members are rejected, schema constants defaulted and checked, records normalized and sorted, and
 * the digest computed; a supplied digest must match.
 * @param raw the envelope as parsed JSON
 * @returns the normalized envelope, deep-frozen
 * @throws GaitError `artifact_invalid`: decoding errors as `parse context envelope: <detail>` (not an
 *   object, ``unknown member `<path>` ``, wrong member type, bad timestamp); normalization errors
 *   `unsupported context envelope schema_id: <v>` (likewise `schema_version`), `context_set_id is required`,
 *   `context evidence mode must be best_effort or required`, `context record fields
 *   ref_id/source_type/source_locator/redaction_mode are required`, `context record digests must be sha256 hex`,
 *   `context record immutability must be unknown|mutable|immutable`, `context record freshness_sla_seconds
 *   must be >= 0`, `context_set_digest must be sha256 hex`, `context_set_digest mismatch`;
 *   `jcs_invalid_value` for a record string holding a lone surrogate (ADR 0005: refused, not repaired)
 * @example parseContextEnvelope(JSON.parse(text)).contextSetDigest
 */
export function parseContextEnvelope(raw: unknown): ContextEnvelope {
  let decoded: DecodedEnvelope;
  try {
    decoded = decodeContextEnvelope(raw);
  } catch (e) {
    if (!isGaitError(e)) throw e;
    throw new GaitError('artifact_invalid', DECODE_PREFIX + e.message, { details: e.details, cause: e });
  }
  const schemaId = schemaConstant(decoded.schemaId, CONTEXT_ENVELOPE_SCHEMA_ID, 'schema_id');
  const schemaVersion = schemaConstant(decoded.schemaVersion, CONTEXT_ENVELOPE_SCHEMA_VERSION, 'schema_version');
  const contextSetId = trimSpec(decoded.contextSetId);
  if (contextSetId === '') throw envelopeError('context_set_id is required', 'context_set_id');
  const evidenceMode = normalizeEvidenceMode(decoded.evidenceMode);
  const records = decoded.records.map(normalizeRecord).sort(compareRecords);
  const envelope: ContextEnvelope = {
    schemaId: schemaId as typeof CONTEXT_ENVELOPE_SCHEMA_ID,
    schemaVersion: schemaVersion as typeof CONTEXT_ENVELOPE_SCHEMA_VERSION,
    createdAt: utcOrFallback(decoded.createdAt),
    producerVersion: trimSpec(decoded.producerVersion) === '' ? DEFAULT_PRODUCER_VERSION : decoded.producerVersion,
    contextSetId,
    contextSetDigest: checkedDigest(decoded.contextSetDigest, contextSetDigest(records)),
    evidenceMode,
    records,
  };
  deepFreeze(envelope);
  PARSED.add(envelope);
  return envelope;
}

/** True for envelopes returned by `parseContextEnvelope` (normalized, verified and frozen). */
export function isParsedContextEnvelope(value: unknown): boolean {
  return typeof value === 'object' && value !== null && PARSED.has(value);
}

/**
 * Checks an envelope that did not come from `parseContextEnvelope` (a hand-built value): its mode is
 * in the enum and its digest is the digest of its records. Parsed envelopes pass without work.
 * @throws GaitError `artifact_invalid` `verify context envelope: <detail>`
 */
export function assertVerifiedContextEnvelope(envelope: ContextEnvelope): void {
  if (isParsedContextEnvelope(envelope)) return;
  const fail = (detail: string): GaitError => envelopeError(`verify context envelope: ${detail}`);
  if (envelope.evidenceMode !== 'best_effort' && envelope.evidenceMode !== 'required') {
    throw fail('context evidence mode must be best_effort or required');
  }
  let computed: string;
  try {
    computed = contextSetDigest(envelope.records);
  } catch (e) {
    throw fail(e instanceof Error ? e.message : String(e));
  }
  if (envelope.contextSetDigest !== computed) throw fail('context_set_digest mismatch');
}

/** The normalized envelope as snake_case wire JSON (`gait.context.envelope` member order). */
export function toContextEnvelopeWire(envelope: ContextEnvelope): JsonObject {
  return {
    schema_id: envelope.schemaId,
    schema_version: envelope.schemaVersion,
    created_at: formatTimestamp(envelope.createdAt),
    producer_version: envelope.producerVersion,
    context_set_id: envelope.contextSetId,
    context_set_digest: envelope.contextSetDigest,
    evidence_mode: envelope.evidenceMode,
    records: envelope.records.map(toContextRecordObject),
  };
}
