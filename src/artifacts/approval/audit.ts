/**
 * The approval audit record (gate.md §A10): built from the checked tokens of one evaluation, signed
 * with the §A8 envelope (D5), and verified against our closed schema before its signature (as
 * `trace verify` does, D6).
 */
import { signRecord } from '../../crypto/envelope.js';
import type { SigningKey, VerifyKey } from '../../crypto/keys.js';
import { compareTimestamps, FALLBACK_CREATED_AT, formatTimestamp, isZeroTime, toUtc } from '../../runtime/timestamp.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { normalizeRelationship } from '../../schema/v1/relationship.js';
import { compareCodePoints, lowerSimple, normalizedList, trimSpec } from '../../schema/v1/text.js';
import { applyApprovalAuditMemberRules } from './audit-member-rules.js';
import type { ApprovalAuditInput, ApprovalAuditVerifyReport } from './audit-types.js';
import { stringMember, verifySignedRecord } from '../signed/verify-record.js';
import type { SignedRecordKind } from '../signed/verify-record.js';
import { validateApprovalRecord } from './schema-check.js';
import { APPROVAL_AUDIT_SCHEMA_ID, APPROVAL_AUDIT_SCHEMA_VERSION } from './types.js';
import type { ApprovalEntry } from './types.js';

const DEFAULT_PRODUCER_VERSION = '0.0.0-dev';

function normalizeEntry(entry: ApprovalEntry): ApprovalEntry {
  return {
    tokenId: trimSpec(entry.tokenId),
    approverIdentity: trimSpec(entry.approverIdentity),
    reasonCode: trimSpec(entry.reasonCode),
    scope: normalizedList(entry.scope),
    expiresAt: toUtc(entry.expiresAt),
    valid: entry.valid,
    errorCode: entry.errorCode,
  };
}

/** §A10 entry order: token_id, approver, reason_code, expires_at (instant), scope joined by `,`. */
function compareEntries(a: ApprovalEntry, b: ApprovalEntry): number {
  return (
    compareCodePoints(a.tokenId, b.tokenId) ||
    compareCodePoints(a.approverIdentity, b.approverIdentity) ||
    compareCodePoints(a.reasonCode, b.reasonCode) ||
    compareTimestamps(a.expiresAt, b.expiresAt) ||
    compareCodePoints(a.scope.join(','), b.scope.join(','))
  );
}

function entryObject(entry: ApprovalEntry): JsonObject {
  return {
    token_id: entry.tokenId,
    approver_identity: entry.approverIdentity,
    reason_code: entry.reasonCode,
    scope: [...entry.scope],
    expires_at: formatTimestamp(entry.expiresAt),
    valid: entry.valid,
    error_code: entry.errorCode,
  };
}

function node(kind: string, id: string): JsonObject {
  return { kind, id };
}

/** §A10 `relationship`: parent trace, entity refs trace/tool/policy/agent per approver, one edge. */
function relationship(traceId: string, toolName: string, policyDigest: string, approvers: readonly string[]): JsonObject | undefined {
  const raw: JsonObject = {
    parent_ref: node('trace', traceId),
    parent_record_id: traceId,
    entity_refs: [
      node('trace', traceId),
      node('tool', toolName),
      node('policy', policyDigest),
      ...approvers.map((approver) => node('agent', approver)),
    ],
    policy_ref: { policy_digest: policyDigest },
    edges: [{ kind: 'governed_by', from: node('tool', toolName), to: node('policy', policyDigest) }],
  };
  return normalizeRelationship(raw, 'relationship', 'internal_failure');
}

/**
 * Builds the unsigned approval audit record (gate.md §A10) with the v1 member rules: entries trimmed
 * and sorted, `valid_approvals` = valid entries, `approvers` = sorted unique approvers of valid
 * entries, `approved` = valid ≥ required.
 * @throws GaitError only for a broken invariant (non-JSON values)
 */
export function buildApprovalAuditRecord(input: ApprovalAuditInput): JsonObject {
  const entries = input.entries.map(normalizeEntry).sort(compareEntries);
  const valid = entries.filter((entry) => entry.valid);
  const approvers = normalizedList(valid.map((entry) => entry.approverIdentity));
  const required = input.requiredApprovals > 0 ? Math.trunc(input.requiredApprovals) : 0;
  const traceId = trimSpec(input.traceId);
  const toolName = trimSpec(input.toolName);
  const policyDigest = lowerSimple(trimSpec(input.policyDigest));
  const createdAt = isZeroTime(input.createdAt) ? FALLBACK_CREATED_AT : toUtc(input.createdAt);
  const record: JsonObject = {
    schema_id: APPROVAL_AUDIT_SCHEMA_ID,
    schema_version: APPROVAL_AUDIT_SCHEMA_VERSION,
    created_at: formatTimestamp(createdAt),
    producer_version: trimSpec(input.producerVersion) || DEFAULT_PRODUCER_VERSION,
    trace_id: traceId,
    tool_name: toolName,
    intent_digest: lowerSimple(trimSpec(input.intentDigest)),
    policy_digest: policyDigest,
    required_approvals: required,
    valid_approvals: valid.length,
    approved: valid.length >= required,
    approvers,
    entries: entries.map(entryObject),
  };
  const envelope = relationship(traceId, toolName, policyDigest, approvers);
  if (envelope !== undefined) record['relationship'] = envelope;
  return applyApprovalAuditMemberRules(record);
}

/**
 * Returns `record` with its §A8 `signature` envelope (D5); any existing `signature` is replaced.
 * @throws GaitError `jcs_invalid_value` when the record is not plain JSON; `input_time` for a bad timestamp
 */
export function signApprovalAuditRecord(record: JsonObject, key: SigningKey): JsonObject {
  const unsigned = applyApprovalAuditMemberRules(record);
  const signature = signRecord(unsigned, key);
  return { ...unsigned, signature: { ...signature } };
}

const APPROVAL_AUDIT: SignedRecordKind = {
  label: 'approval audit',
  validate: (record) => validateApprovalRecord('gait.gate.approval_audit_record', record),
  rebuild: applyApprovalAuditMemberRules,
};

/**
 * Verifies a parsed approval audit file with `key`: schema check against our closed schema (members
 * outside it fail, as for traces, D6), then the §A8 signature over the rebuilt record. Never throws.
 */
export function verifyApprovalAuditRecord(record: unknown, key: VerifyKey): ApprovalAuditVerifyReport {
  return { ...verifySignedRecord(record, key, APPROVAL_AUDIT), traceId: stringMember(record, 'trace_id') };
}
