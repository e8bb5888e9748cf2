/**
 * The v1 object model of the trace record (gate.md §A1.3, §A7.1): for every member whether it is
 * "always", omit-empty, a timestamp under the zero-time rule, or a nested object. Building, signing
 * and verifying all pass the record through these rules (`normalizedTrace`, which skips the copy
 * `applyTraceMemberRules` makes), so a signer and a verifier digest exactly the same object (§A8
 * signing step 1, verification step 2). The engine itself is in `rules-engine.ts`.
 */
import type { JsonObject } from '../../schema/v1/json-types.js';
import { rebuildMembers } from './rules-engine.js';
import type { MemberRules, ScalarRule } from './rules-engine.js';

export type { MemberRules } from './rules-engine.js';

function omitAll(names: readonly string[]): Record<string, ScalarRule> {
  return Object.fromEntries(names.map((name) => [name, 'omit' as const]));
}

const NODE_REF: MemberRules = { kind: 'always', id: 'always' };

const RELATIONSHIP: MemberRules = {
  parent_ref: { object: NODE_REF },
  entity_refs: { objects: NODE_REF },
  policy_ref: { object: omitAll(['policy_id', 'policy_version', 'policy_digest', 'matched_rule_ids']) },
  agent_chain: { objects: { identity: 'always', role: 'always' } },
  edges: { objects: { kind: 'always', from: { object: NODE_REF }, to: { object: NODE_REF } } },
  parent_record_id: 'omit',
  related_record_ids: 'omit',
  related_entity_ids: 'omit',
  agent_lineage: { objects: { agent_id: 'always', delegated_by: 'omit', delegation_record_id: 'omit' } },
};

const AGENT_IDENTITY: MemberRules = {
  ...omitAll(['lifecycle_states', 'owner', 'manifest_digest', 'publisher', 'source']),
  issued_at: 'time',
  approved_at: 'time',
  expires_at: 'time',
  revoked: 'omit',
};

const STEP_VERDICT: MemberRules = {
  index: 'always',
  tool_name: 'always',
  verdict: 'always',
  ...omitAll(['reason_codes', 'violations', 'matched_rule']),
};

const FREEZE_WINDOW: MemberRules = {
  ...omitAll(['status', 'effect', 'timezone']),
  evaluated_at: 'time',
  window_name: 'omit',
  window_start: 'time',
  window_end: 'time',
  ...omitAll(['reason', 'reason_code']),
};

const KILL_SWITCH: MemberRules = {
  ...omitAll(['status', 'reason_code', 'reason_codes', 'matched_entry_ids']),
  evaluated_at: 'time',
};

const MCP_TRUST: MemberRules = {
  ...omitAll(['server_id', 'server_name', 'publisher', 'source', 'status', 'decision_source', 'score', 'threshold']),
  updated_at: 'time',
  ...omitAll(['max_age_seconds', 'required', 'enforced', 'registry_verified', 'publisher_allowed', 'reason_codes']),
};

const SANDBOX: MemberRules = omitAll([
  'status',
  'network_mode',
  'env_exposure_mode',
  'timeout_seconds',
  'filesystem_isolation',
  'user_mode',
  'evidence_ref',
  'evidence_digest',
  'reason_codes',
]);

const SKILL_PROVENANCE: MemberRules = {
  skill_name: 'always',
  skill_version: 'omit',
  source: 'always',
  publisher: 'always',
  digest: 'omit',
  signature_key_id: 'omit',
};

const DELEGATION_REF: MemberRules = omitAll([
  'delegation_token_ref',
  'requester_identity',
  'delegation_depth',
  'scope_class',
  'chain_digest',
  'reason_codes',
]);

/** Members of the signed trace in §A7.1 table order, without `signature`. */
export const TRACE_MEMBER_RULES: MemberRules = {
  schema_id: 'always',
  schema_version: 'always',
  created_at: 'time',
  observed_at: 'time',
  producer_version: 'always',
  trace_id: 'always',
  event_id: 'omit',
  correlation_id: 'omit',
  tool_name: 'always',
  args_digest: 'always',
  intent_digest: 'always',
  policy_digest: 'always',
  agent_id: 'omit',
  agent_identity: { object: AGENT_IDENTITY },
  ...omitAll(['run_id', 'workflow_id', 'repo', 'environment']),
  ...omitAll(['credential_ref', 'credential_source', 'credential_access_type', 'credential_issuer']),
  ...omitAll(['credential_subject', 'credential_owner', 'credential_target_binding', 'credential_run_binding']),
  ...omitAll(['credential_job_binding', 'credential_ttl_seconds']),
  ...omitAll(['broker_credential_ref', 'broker_credential_source', 'broker_credential_access_type']),
  ...omitAll(['broker_credential_issuer', 'broker_request_digest', 'broker_target_binding']),
  ...omitAll(['broker_run_binding', 'broker_job_binding']),
  ...omitAll(['approval_ref', 'wrkr_inventory_ref', 'agent_action_bom_ref', 'policy_id', 'policy_version']),
  matched_rule_ids: 'omit',
  verdict: 'always',
  ...omitAll(['context_set_digest', 'context_evidence_mode', 'context_ref_count', 'context_source']),
  ...omitAll(['script', 'step_count', 'script_hash', 'composite_risk_class']),
  step_verdicts: { objects: STEP_VERDICT },
  ...omitAll(['pre_approved', 'pattern_id', 'registry_reason', 'violations', 'latency_ms', 'approval_token_ref']),
  delegation_ref: { object: DELEGATION_REF },
  freeze_window: { object: FREEZE_WINDOW },
  sandbox: { object: SANDBOX },
  kill_switch: { object: KILL_SWITCH },
  mcp_trust: { object: MCP_TRUST },
  relationship: { object: RELATIONSHIP },
  skill_provenance: { object: SKILL_PROVENANCE },
};

/**
 * Rebuilds `value` with exactly the members of `rules` (in rule order): omit-empty members dropped,
 * timestamps re-rendered canonically (zero time when unset), nested objects rebuilt likewise.
 * Members not in `rules` are dropped, as a Go decoder ignores them. The result is always a new
 * top-level object; unchanged nested values may be shared with `value`.
 * @throws GaitError `input_time` when a timestamp member is not RFC 3339
 */
export function applyMemberRules(value: JsonObject, rules: MemberRules): JsonObject {
  const out = rebuildMembers(value, rules);
  return out === value ? { ...value } : out;
}

/** `applyMemberRules` with the trace table (§A7.1); `signature` is never part of the result. */
export function applyTraceMemberRules(record: JsonObject): JsonObject {
  return applyMemberRules(record, TRACE_MEMBER_RULES);
}

/**
 * `applyTraceMemberRules` for the signer and the verifier, which only read the result: returns
 * `record` itself when it is normalized already (as the records `buildTraceRecord` returns are).
 */
export function normalizedTrace(record: JsonObject): JsonObject {
  return rebuildMembers(record, TRACE_MEMBER_RULES);
}
