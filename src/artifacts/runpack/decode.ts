/**
 * Decoding runpack records from JSON (artifacts.md §1.1 / gate.md §A1.4): members map
 * case-insensitively, the last duplicate wins, `null` is absent, unknown members are ignored, a wrong
 * JSON type is an error. No defaults are applied here (that is the record pipeline's step 2, §2.4):
 * an absent timestamp reads as zero time, an absent string as ''. Free-form objects (`args`,
 * `result`, `retrieval_params`) are kept as written, `{}` included (the pipeline tells an empty
 * object from an absent one; the wire form omits both).
 */
import type { ErrorCode } from '../../errors/codes.js';
import { ZERO_TIME } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { ObjectReader } from '../../schema/v1/decode.js';
import type { IntentRecord, RecordHeader, RefReceipt, RefsRecord, ResultRecord, RunRecord, TimelineEvent } from './types.js';
import { decodeRelationship } from './relationship.js';

function time(r: ObjectReader, field: string): Timestamp {
  return r.timestamp(field) ?? ZERO_TIME;
}


function decodeHeader(r: ObjectReader): RecordHeader {
  return {
    schemaId: r.string('schema_id'),
    schemaVersion: r.string('schema_version'),
    createdAt: time(r, 'created_at'),
    producerVersion: r.string('producer_version'),
    runId: r.string('run_id'),
  };
}

function decodeTimelineEvent(r: ObjectReader): TimelineEvent {
  const rel = r.object('relationship');
  return {
    event: r.string('event'),
    ts: time(r, 'ts'),
    ref: r.string('ref'),
    ...(rel === undefined ? {} : { relationship: decodeRelationship(rel) }),
  };
}

/** `run.json`; `timeline` absent or `null` → `null`. */
export function decodeRun(raw: unknown, path: string, code: ErrorCode): RunRecord {
  const r = ObjectReader.of(raw, path, code);
  const env = r.object('env');
  return {
    ...decodeHeader(r),
    env: { os: env?.string('os') ?? '', arch: env?.string('arch') ?? '', runtime: env?.string('runtime') ?? '' },
    timeline: r.has('timeline') ? r.objectArray('timeline').map(decodeTimelineEvent) : null,
  };
}

export function decodeIntent(raw: unknown, path: string, code: ErrorCode): IntentRecord {
  const r = ObjectReader.of(raw, path, code);
  const args = r.rawObject('args');
  return {
    ...decodeHeader(r),
    intentId: r.string('intent_id'),
    toolName: r.string('tool_name'),
    argsDigest: r.string('args_digest'),
    ...(args === undefined ? {} : { args }),
  };
}

export function decodeResult(raw: unknown, path: string, code: ErrorCode): ResultRecord {
  const r = ObjectReader.of(raw, path, code);
  const result = r.rawObject('result');
  return {
    ...decodeHeader(r),
    intentId: r.string('intent_id'),
    status: r.string('status'),
    resultDigest: r.string('result_digest'),
    ...(result === undefined ? {} : { result }),
  };
}

export function decodeReceipt(r: ObjectReader): RefReceipt {
  const params = r.rawObject('retrieval_params');
  return {
    refId: r.string('ref_id'),
    sourceType: r.string('source_type'),
    sourceLocator: r.string('source_locator'),
    queryDigest: r.string('query_digest'),
    contentDigest: r.string('content_digest'),
    retrievedAt: time(r, 'retrieved_at'),
    redactionMode: r.string('redaction_mode'),
    immutability: r.string('immutability'),
    freshnessSlaSeconds: r.integer('freshness_sla_seconds'),
    sensitivityLabel: r.string('sensitivity_label'),
    ...(params === undefined ? {} : { retrievalParams: params }),
  };
}

/** `refs.json` before normalization (§2.4 step 4): `context_evidence_mode` as written. */
export interface DecodedRefs extends Omit<RefsRecord, 'contextEvidenceMode'> {
  readonly contextEvidenceMode: string;
}

export function decodeRefs(raw: unknown, path: string, code: ErrorCode): DecodedRefs {
  const r = ObjectReader.of(raw, path, code);
  return {
    ...decodeHeader(r),
    contextSetDigest: r.string('context_set_digest'),
    contextEvidenceMode: r.string('context_evidence_mode'),
    contextRefCount: r.integer('context_ref_count'),
    receipts: r.objectArray('receipts').map(decodeReceipt),
  };
}
