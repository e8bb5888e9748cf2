/**
 * Session records as wire JSON (artifacts.md §2.12) and back. Writers emit exactly the listed
 * members: the header and identity members always, every other event member omit-empty, the
 * checkpoint's `prev_checkpoint_digest` omit-empty. Readers decode per gate.md §A1.4 (unknown members
 * ignored, `null` = absent, a wrong JSON type is an error naming its path).
 */
import { canonicalize } from '../../jcs/canonicalize.js';
import { formatTimestamp, toUtc, ZERO_TIME } from '../../runtime/timestamp.js';
import { ObjectReader } from '../../schema/v1/decode.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import {
  SESSION_CHAIN_SCHEMA_ID,
  SESSION_CHECKPOINT_SCHEMA_ID,
  SESSION_EVENT_SCHEMA_ID,
  SESSION_JOURNAL_SCHEMA_ID,
  SESSION_SCHEMA_VERSION,
} from './types.js';
import type { JournalRecordType, SessionChain, SessionCheckpoint, SessionEvent, SessionHeader } from './types.js';

const CODE = 'artifact_invalid' as const;

function utc(ts: SessionHeader['createdAt']): string {
  return formatTimestamp(toUtc(ts));
}

/** The members every session record carries (header, event, checkpoint, chain). */
type RecordIdentity = Pick<SessionHeader, 'createdAt' | 'producerVersion' | 'sessionId' | 'runId'>;

function identityToWire(schemaId: string, r: RecordIdentity): JsonObject {
  return {
    schema_id: schemaId,
    schema_version: SESSION_SCHEMA_VERSION,
    created_at: utc(r.createdAt),
    producer_version: r.producerVersion,
    session_id: r.sessionId,
    run_id: r.runId,
  };
}

function setText(out: JsonObject, key: string, value: string): void {
  if (value !== '') out[key] = value;
}

function setList(out: JsonObject, key: string, value: readonly string[]): void {
  if (value.length > 0) out[key] = [...value];
}

/** The journal header record. */
export function headerToWire(h: SessionHeader): JsonObject {
  const out = identityToWire(SESSION_JOURNAL_SCHEMA_ID, h);
  out['started_at'] = utc(h.startedAt);
  return out;
}

/** One event record: identity members and `sequence` always, the rest omit-empty. */
export function eventToWire(e: SessionEvent): JsonObject {
  const out = identityToWire(SESSION_EVENT_SCHEMA_ID, e);
  out['sequence'] = e.sequence;
  setText(out, 'intent_id', e.intentId);
  setText(out, 'tool_name', e.toolName);
  setText(out, 'intent_digest', e.intentDigest);
  setText(out, 'policy_digest', e.policyDigest);
  setText(out, 'policy_id', e.policyId);
  setText(out, 'policy_version', e.policyVersion);
  setList(out, 'matched_rule_ids', e.matchedRuleIds);
  setText(out, 'trace_id', e.traceId);
  setText(out, 'trace_path', e.tracePath);
  setText(out, 'verdict', e.verdict);
  setList(out, 'reason_codes', e.reasonCodes);
  setList(out, 'violations', e.violations);
  if (e.relationship !== undefined && Object.keys(e.relationship).length > 0) out['relationship'] = e.relationship;
  setText(out, 'safety_invariant_version', e.safetyInvariantVersion);
  setText(out, 'safety_invariant_hash', e.safetyInvariantHash);
  return out;
}

/** One checkpoint record (in the journal and in the chain's `checkpoints`). */
export function checkpointToWire(c: SessionCheckpoint): JsonObject {
  const out = Object.assign(identityToWire(SESSION_CHECKPOINT_SCHEMA_ID, c), {
    checkpoint_index: c.checkpointIndex,
    sequence_start: c.sequenceStart,
    sequence_end: c.sequenceEnd,
    runpack_path: c.runpackPath,
    manifest_digest: c.manifestDigest,
  });
  setText(out, 'prev_checkpoint_digest', c.prevCheckpointDigest);
  out['checkpoint_digest'] = c.checkpointDigest;
  return out;
}

/** The chain file object, without `signature` (the caller signs it, artifacts.md §1.2). */
export function chainToWire(chain: SessionChain): JsonObject {
  const out = identityToWire(SESSION_CHAIN_SCHEMA_ID, chain);
  out['checkpoints'] = chain.checkpoints.map(checkpointToWire);
  return out;
}

/**
 * One journal line (no trailing newline): `{"<type>": record, "record_type": type}` as canonical
 * JSON (RFC 8785), so equal records always give equal bytes.
 */
export function journalLine(type: JournalRecordType, record: JsonObject): string {
  return canonicalize({ record_type: type, [type]: record });
}

function timestampOr(r: ObjectReader, field: string): SessionHeader['createdAt'] {
  return r.timestamp(field) ?? ZERO_TIME;
}

function identityFromWire(r: ObjectReader): RecordIdentity {
  return { sessionId: r.string('session_id'), runId: r.string('run_id'), createdAt: timestampOr(r, 'created_at'), producerVersion: r.string('producer_version') };
}

/** @throws GaitError `artifact_invalid` naming the member path */
export function headerFromWire(value: unknown, path: string): SessionHeader {
  const r = ObjectReader.of(value, path, CODE);
  return {
    ...identityFromWire(r),
    startedAt: timestampOr(r, 'started_at'),
  };
}

/** @throws GaitError `artifact_invalid` naming the member path */
export function eventFromWire(value: unknown, path: string): SessionEvent {
  const r = ObjectReader.of(value, path, CODE);
  const relationship = r.rawObject('relationship');
  return {
    ...identityFromWire(r),
    sequence: r.integer('sequence'),
    intentId: r.string('intent_id'),
    toolName: r.string('tool_name'),
    intentDigest: r.string('intent_digest'),
    policyDigest: r.string('policy_digest'),
    policyId: r.string('policy_id'),
    policyVersion: r.string('policy_version'),
    matchedRuleIds: r.stringArray('matched_rule_ids'),
    traceId: r.string('trace_id'),
    tracePath: r.string('trace_path'),
    verdict: r.string('verdict'),
    reasonCodes: r.stringArray('reason_codes'),
    violations: r.stringArray('violations'),
    ...(relationship === undefined ? {} : { relationship }),
    safetyInvariantVersion: r.string('safety_invariant_version'),
    safetyInvariantHash: r.string('safety_invariant_hash'),
  };
}

/** @throws GaitError `artifact_invalid` naming the member path */
export function checkpointFromWire(value: unknown, path: string): SessionCheckpoint {
  const r = ObjectReader.of(value, path, CODE);
  return {
    ...identityFromWire(r),
    checkpointIndex: r.integer('checkpoint_index'),
    sequenceStart: r.integer('sequence_start'),
    sequenceEnd: r.integer('sequence_end'),
    runpackPath: r.string('runpack_path'),
    manifestDigest: r.string('manifest_digest'),
    prevCheckpointDigest: r.string('prev_checkpoint_digest'),
    checkpointDigest: r.string('checkpoint_digest'),
  };
}
