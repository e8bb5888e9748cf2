/**
 * The v1 object model of the approval audit record (gate.md §A1.3, §A10): which members are always
 * emitted, which are omit-empty, which follow the zero-time rule. The builder and the verifier both
 * rebuild the record through `applyApprovalAuditMemberRules`, so they digest the same object (§A8).
 */
import type { JsonObject, JsonValue } from '../../schema/v1/json-types.js';
import { applyMemberRules, TRACE_MEMBER_RULES } from '../trace/member-rules.js';
import type { MemberRules } from '../trace/member-rules.js';

/** One `entries[]` item: `valid` always, `expires_at` under the zero-time rule, the rest omit-empty. */
export const APPROVAL_AUDIT_ENTRY_RULES: MemberRules = {
  token_id: 'omit',
  approver_identity: 'omit',
  reason_code: 'omit',
  scope: 'omit',
  expires_at: 'time',
  valid: 'always',
  error_code: 'omit',
};

/** Top-level members in §A10 table order, without `entries` (an always-list) and `signature`. */
export const APPROVAL_AUDIT_MEMBER_RULES: MemberRules = {
  schema_id: 'always',
  schema_version: 'always',
  created_at: 'time',
  producer_version: 'always',
  trace_id: 'always',
  tool_name: 'always',
  intent_digest: 'always',
  policy_digest: 'always',
  required_approvals: 'always',
  valid_approvals: 'always',
  approved: 'always',
  approvers: 'omit',
  // The same relationship envelope (and rules) as the trace (§A7.3).
  relationship: TRACE_MEMBER_RULES['relationship'] ?? 'omit',
};

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Rebuilds an audit record with exactly its v1 members: omit-empty members dropped, timestamps
 * re-rendered canonically keeping their offsets, `entries` always present (`[]` when empty) with
 * each item rebuilt; `signature` and unknown members are dropped.
 * @throws GaitError `input_time` when a timestamp member is not RFC 3339
 */
export function applyApprovalAuditMemberRules(record: JsonObject): JsonObject {
  const out = applyMemberRules(record, APPROVAL_AUDIT_MEMBER_RULES);
  const entries = record['entries'];
  const items = Array.isArray(entries) ? entries : [];
  const rebuilt = items.map((item) => (isObject(item) ? applyMemberRules(item, APPROVAL_AUDIT_ENTRY_RULES) : item));
  // `entries` follows `approved`/`approvers`/`relationship` in table order; JCS sorts anyway.
  return { ...out, entries: rebuilt };
}
