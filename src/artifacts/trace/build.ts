/**
 * Builds and signs the TraceRecord (`gait.gate.trace` 1.0.0, gate.md §A7) from the prepared intent
 * and the final outcome. The record holds only the members of the Gait v1 trace schema (D9): reason
 * codes travel in CLI output and exported events, never inside the signed record.
 */
import { digestJcs, shortId } from '../../crypto/digest.js';
import { signRecord } from '../../crypto/envelope.js';
import type { SignatureEnvelope } from '../../crypto/envelope.js';
import type { SigningKey } from '../../crypto/keys.js';
import { FALLBACK_CREATED_AT, formatTimestamp, isZeroTime, toUtc, ZERO_TIME } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { delegationDigest, toAgentIdentityObject } from '../../schema/v1/intent-digest.js';
import type { Intent, IntentContext } from '../../schema/v1/intent-types.js';
import type { JsonObject, JsonValue } from '../../schema/v1/json-types.js';
import { normalizedList, trimSpec } from '../../schema/v1/text.js';
import { normalizedTrace } from './member-rules.js';
import { buildTraceRelationship } from './relationship.js';
import type { TraceInput } from './types.js';

export const TRACE_SCHEMA_ID = 'gait.gate.trace';
export const TRACE_SCHEMA_VERSION = '1.0.0';
const POLICY_SCHEMA_ID = 'gait.gate.policy';
const POLICY_SCHEMA_VERSION = '1.0.0';
const DEFAULT_PRODUCER_VERSION = '0.0.0-dev';

/** `trace_id` (gate.md §A1.2): short id of `policy_digest:intent_digest:verdict` with the final verdict. */
export function traceId(policyDigest: string, intentDigest: string, verdict: string): string {
  return shortId(`${policyDigest}:${intentDigest}:${verdict}`);
}

/** `event_id` (gate.md §A1.2): short id of `trace_id:observed_at` (canonical §A2 rendering). */
export function eventId(trace: string, observedAt: string): string {
  return shortId(`${trace}:${observedAt}`);
}

/** Canonical UTC rendering of a generated or normalized timestamp; unset renders as zero time. */
function utcText(ts: Timestamp): string {
  return formatTimestamp(isZeroTime(ts) ? ZERO_TIME : toUtc(ts));
}

/**
 * Adds an omit-empty member unless empty ('', 0, false, null, [] or undefined), so the record is
 * built in the normalized form the member rules check for (§A1.3) rather than rebuilt by them.
 */
function putOmit(out: JsonObject, key: string, value: JsonValue | readonly string[] | undefined): void {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return;
  if (Array.isArray(value) && value.length === 0) return;
  out[key] = value as JsonValue;
}

/** The prepared-context members copied into the trace (§A7.1), in the table order of the member rules. */
function putContextMembers(out: JsonObject, c: IntentContext): void {
  putOmit(out, 'agent_id', c.agentId);
  if (c.agentIdentity !== undefined) out['agent_identity'] = toAgentIdentityObject(c.agentIdentity);
  putOmit(out, 'run_id', c.runId);
  putOmit(out, 'workflow_id', c.workflowId);
  putOmit(out, 'repo', c.repo);
  putOmit(out, 'environment', c.environment);
  putOmit(out, 'credential_ref', c.credentialRef);
  putOmit(out, 'credential_source', c.credentialSource);
  putOmit(out, 'credential_access_type', c.credentialAccessType);
  putOmit(out, 'credential_issuer', c.credentialIssuer);
  putOmit(out, 'credential_subject', c.credentialSubject);
  putOmit(out, 'credential_owner', c.credentialOwner);
  putOmit(out, 'credential_target_binding', c.credentialTargetBinding);
  putOmit(out, 'credential_run_binding', c.credentialRunBinding);
  putOmit(out, 'credential_job_binding', c.credentialJobBinding);
  putOmit(out, 'credential_ttl_seconds', c.credentialTtlSeconds);
  putOmit(out, 'approval_ref', c.approvalRef);
  putOmit(out, 'wrkr_inventory_ref', c.wrkrInventoryRef);
  putOmit(out, 'agent_action_bom_ref', c.agentActionBomRef);
}

/** `delegation_ref` (§A7.1): present iff the prepared intent has a delegation. */
function delegationRef(intent: Intent, input: TraceInput): JsonObject | undefined {
  const delegation = intent.delegation;
  if (delegation === undefined) return undefined;
  const tokenRef = trimSpec(input.delegationTokenRef ?? '') || (delegation.tokenRefs[0] ?? '');
  return {
    delegation_token_ref: tokenRef,
    requester_identity: delegation.requesterIdentity,
    delegation_depth: delegation.chain.length,
    scope_class: delegation.scopeClass,
    chain_digest: delegationDigest(intent),
    reason_codes: normalizedList(input.reasonCodes.filter((code) => code.startsWith('delegation_'))),
  };
}

function skillProvenance(intent: Intent): JsonObject | undefined {
  const skill = intent.skillProvenance;
  if (skill === undefined) return undefined;
  return {
    skill_name: skill.skillName,
    skill_version: skill.skillVersion,
    source: skill.source,
    publisher: skill.publisher,
    digest: skill.digest,
    signature_key_id: skill.signatureKeyId,
  };
}

function setIfDefined(out: JsonObject, key: string, value: JsonValue | undefined): void {
  if (value !== undefined) out[key] = value;
}

/**
 * Builds the unsigned trace record (gate.md §A7.1) with the v1 member rules of §A1.3. The members
 * are added in table order, omit-empty ones only when set, so that the member-rule pass at the end
 * (and the one `signTrace` runs) finds nothing to change and returns the record as it is; anything
 * it would change (e.g. a lone surrogate in an id) it still rebuilds.
 * @throws GaitError `jcs_invalid_value` only if the intent holds non-JSON values (a broken invariant)
 */
export function buildTraceRecord(input: TraceInput): JsonObject {
  const { intent } = input;
  const id = traceId(input.policyDigest, input.intentDigest, input.verdict);
  const observedAt = utcText(input.observedAt);
  const createdAt = isZeroTime(intent.createdAt) ? FALLBACK_CREATED_AT : intent.createdAt;
  const record: JsonObject = {
    schema_id: TRACE_SCHEMA_ID,
    schema_version: TRACE_SCHEMA_VERSION,
    created_at: utcText(createdAt),
    observed_at: observedAt,
    producer_version: trimSpec(input.producerVersion) || DEFAULT_PRODUCER_VERSION,
    trace_id: id,
  };
  putOmit(record, 'event_id', eventId(id, observedAt));
  putOmit(record, 'correlation_id', trimSpec(input.correlationId));
  record['tool_name'] = intent.toolName;
  record['args_digest'] = input.argsDigest;
  record['intent_digest'] = input.intentDigest;
  record['policy_digest'] = input.policyDigest;
  const context = intent.context;
  putContextMembers(record, context);
  record['policy_id'] = POLICY_SCHEMA_ID;
  record['policy_version'] = POLICY_SCHEMA_VERSION;
  record['verdict'] = input.verdict;
  putOmit(record, 'context_set_digest', context.contextSetDigest);
  putOmit(record, 'context_evidence_mode', context.contextEvidenceMode);
  putOmit(record, 'context_ref_count', context.contextRefs.length);
  putOmit(record, 'context_source', trimSpec(input.contextSource ?? ''));
  if (input.violations.length > 0) putOmit(record, 'violations', normalizedList(input.violations));
  putOmit(record, 'latency_ms', Number.isFinite(input.latencyMs) && input.latencyMs > 0 ? input.latencyMs : 0);
  putOmit(record, 'approval_token_ref', trimSpec(input.approvalTokenRef ?? ''));
  setIfDefined(record, 'delegation_ref', delegationRef(intent, input));
  const relationship = buildTraceRelationship(intent, id, {
    policyId: POLICY_SCHEMA_ID,
    policyVersion: POLICY_SCHEMA_VERSION,
    policyDigest: input.policyDigest,
    matchedRuleIds: [],
  });
  setIfDefined(record, 'relationship', relationship);
  setIfDefined(record, 'skill_provenance', skillProvenance(intent));
  // `record` is ours, so the member rules may return it as it is.
  return normalizedTrace(record);
}

/** The `signature` member: a fresh object with the envelope's members in their order. */
function signatureMember(s: SignatureEnvelope): JsonObject {
  return { alg: s.alg, key_id: s.key_id, sig: s.sig, signed_digest: s.signed_digest };
}

/**
 * Returns `record` with its §A8 `signature` envelope (any existing `signature` is replaced).
 * @throws GaitError `jcs_invalid_value` when the record is not plain JSON
 */
export function signTrace(record: JsonObject, key: SigningKey): JsonObject {
  // A record from `buildTraceRecord` is normalized already: this is then a check, not a rebuild.
  const unsigned = normalizedTrace(record);
  const signature = signatureMember(signRecord(unsigned, key));
  // `{ ...unsigned, signature }` written as a copy then one member: on Node 20 a spread followed
  // by more members takes a slow path. `Object.assign` copies the same own enumerable members in
  // the same order; it would differ only for a `__proto__` member, which the rules drop.
  const signed: JsonObject = Object.assign({}, unsigned);
  signed['signature'] = signature;
  return signed;
}

/**
 * `signTrace(buildTraceRecord(input), key)` for a caller that does not change the record in
 * between: the same signed record, without the second member-rule pass and the copy. The record
 * built here is normalized and no one else holds it, and the member rules leave a normalized
 * record as it is (they are idempotent), so that pass would find nothing to change.
 * @throws GaitError `jcs_invalid_value` only if the intent holds non-JSON values (a broken invariant)
 */
export function buildSignedTrace(input: TraceInput, key: SigningKey): JsonObject {
  const record = buildTraceRecord(input);
  const signature = signatureMember(signRecord(record, key));
  record['signature'] = signature;
  return record;
}

/** DigestJCS of the trace without `signature`, rebuilt with its member rules (§A8 step 2). */
export function traceSignedDigest(record: JsonObject): string {
  return digestJcs(normalizedTrace(record));
}
