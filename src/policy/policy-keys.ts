/**
 * The policy file's key sets and value types per level (gate.md §A4.2–§A4.4, §B6, §B8, §B9). The strict
 * decoder walks these tables: a key not listed at its level is an unknown field (§A4.1 step 2).
 */

/** How a key's value must be typed in the YAML/JSON source. */
export type FieldType =
  | 'string'
  | 'int'
  | 'number'
  | 'bool'
  | 'strings'
  | { readonly object: FieldTable }
  | { readonly objects: FieldTable };

export type FieldTable = Readonly<Record<string, FieldType>>;

const RATE: FieldTable = { requests: 'int', window: 'string', scope: 'string' };

const TOOL_ANNOTATIONS: FieldTable = {
  readOnlyHint: 'bool',
  destructiveHint: 'bool',
  idempotentHint: 'bool',
  openWorldHint: 'bool',
};

export const MATCH_KEYS: FieldTable = {
  tool_name: 'string',
  tool_names: 'strings',
  risk_classes: 'strings',
  target_kinds: 'strings',
  target_values: 'strings',
  provenance_sources: 'strings',
  identities: 'strings',
  workspace_prefixes: 'strings',
  endpoint_class: 'strings',
  endpoint_classes: 'strings',
  discovery_method: 'strings',
  tool_annotations: { object: TOOL_ANNOTATIONS },
  skill_publishers: 'strings',
  skill_sources: 'strings',
  data_classes: 'strings',
  destination_kinds: 'strings',
  destination_values: 'strings',
  destination_operations: 'strings',
  context_tool_names: 'strings',
  context_data_classes: 'strings',
  context_endpoint_classes: 'strings',
  context_autonomy_levels: 'strings',
  require_delegation: 'bool',
  allowed_delegator_identities: 'strings',
  allowed_delegate_identities: 'strings',
  delegation_scopes: 'strings',
  max_delegation_depth: 'int',
};

const FREEZE_WINDOW: FieldTable = {
  enabled: 'bool',
  timezone: 'string',
  effect: 'string',
  reason: 'string',
  environments: 'strings',
  risk_classes: 'strings',
  windows: { objects: { name: 'string', start: 'string', end: 'string' } },
};

const SANDBOX: FieldTable = {
  enabled: 'bool',
  allowed_network_modes: 'strings',
  allowed_writable_path_prefixes: 'strings',
  required_read_only_roots: 'strings',
  allowed_env_exposure_modes: 'strings',
  max_timeout_seconds: 'int',
  allowed_filesystem_isolations: 'strings',
  allowed_user_modes: 'strings',
};

const DATAFLOW: FieldTable = {
  enabled: 'bool',
  tainted_sources: 'strings',
  destination_kinds: 'strings',
  destination_values: 'strings',
  destination_operations: 'strings',
  action: 'string',
  reason_code: 'string',
  violation: 'string',
};

const ENDPOINT: FieldTable = {
  enabled: 'bool',
  path_allowlist: 'strings',
  path_denylist: 'strings',
  domain_allowlist: 'strings',
  domain_denylist: 'strings',
  egress_classes: 'strings',
  action: 'string',
  destructive_action: 'string',
  reason_code: 'string',
  violation: 'string',
};

export const RULE_KEYS: FieldTable = {
  name: 'string',
  priority: 'int',
  effect: 'string',
  action: 'string',
  match: { object: MATCH_KEYS },
  reason_codes: 'strings',
  violations: 'strings',
  min_approvals: 'int',
  require_distinct_approvers: 'bool',
  require_declared_agent: 'bool',
  require_agent_owner: 'bool',
  require_unexpired_agent: 'bool',
  allowed_agent_ids: 'strings',
  denied_agent_ids: 'strings',
  required_agent_manifest_digest: 'string',
  allowed_agent_manifest_publishers: 'strings',
  allowed_agent_manifest_sources: 'strings',
  required_agent_lifecycle_states: 'strings',
  block_standing_credentials: 'bool',
  require_jit_credential: 'bool',
  allowed_credential_sources: 'strings',
  allowed_credential_access_types: 'strings',
  allowed_credential_issuers: 'strings',
  max_credential_ttl_seconds: 'int',
  require_context_evidence: 'bool',
  required_context_evidence_mode: 'string',
  max_context_age_seconds: 'int',
  require_broker_credential: 'bool',
  broker_reference: 'string',
  broker_scopes: 'strings',
  freeze_window: { object: FREEZE_WINDOW },
  sandbox: { object: SANDBOX },
  rate_limit: { object: RATE },
  destructive_budget: { object: RATE },
  dataflow: { object: DATAFLOW },
  endpoint: { object: ENDPOINT },
};

export const POLICY_KEYS: FieldTable = {
  schema_id: 'string',
  schema_version: 'string',
  default_verdict: 'string',
  default_action: 'string',
  fail_closed: {
    object: { enabled: 'bool', risk_classes: 'strings', required_fields: 'strings', required_high_risk_fields: 'strings' },
  },
  scripts: { object: { max_steps: 'int', require_approval_above: 'int', block_mixed_risk: 'bool' } },
  mcp_trust: {
    object: {
      enabled: 'bool',
      snapshot: 'string',
      action: 'string',
      required_risk_classes: 'strings',
      min_score: 'number',
      max_age: 'string',
      publisher_allowlist: 'strings',
      require_registry: 'bool',
    },
  },
  approvals: { object: { reuse: 'string' } },
  rules: { objects: RULE_KEYS },
};

/** Top-level keys of the pre-v1 policy proposal, in the order §A4.1 step 1 lists them, with their migration text. */
export const LEGACY_FIELDS: readonly (readonly [field: string, replacement: string])[] = [
  ['version', 'schema_id|schema_version (set schema_id=gait.gate.policy and schema_version=1.0.0)'],
  ['name', 'remove the top-level policy name; rule names remain under rules[].name when needed'],
  ['boundaries', 'rules|mcp_trust'],
  ['defaults', 'default_verdict|fail_closed'],
  ['trust_sources', 'mcp_trust.snapshot (render external trust data to a local snapshot before evaluation)'],
  ['unknown_server', 'mcp_trust.action (enforce unknown servers through local snapshot coverage and a fail-closed action)'],
];

/** Levenshtein distance, capped: returns `max + 1` as soon as the distance must exceed `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return prev[b.length] ?? max + 1;
}

/** The known key closest to `key` within edit distance 2 (ties: first in table order), for "did you mean" hints. */
export function closestKey(key: string, table: FieldTable): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of Object.keys(table)) {
    const d = editDistance(key, candidate, 2);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
