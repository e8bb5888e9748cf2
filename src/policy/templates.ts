/**
 * `gait policy init` templates (gate.md §A12.7, Appendix E): low and medium risk allow reads and
 * require approval for writes; high risk blocks by default, requires two distinct approvers for writes
 * and deploys, and demands delegation and just-in-time credentials for egress writes.
 */
import { lowerSimple, trimSpec } from '../schema/v1/text.js';

export const TEMPLATE_NAMES = ['baseline-lowrisk', 'baseline-mediumrisk', 'baseline-highrisk'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

const HEADER = `schema_id: gait.gate.policy
schema_version: 1.0.0
`;

/** The three rules shared by the low- and medium-risk baselines; `readRiskClasses` narrows the read rule. */
function baselineRules(readRiskClasses: string): string {
  return `rules:
  # Deleting through a tool is never allowed without changing this policy.
  - name: block-destructive-tool-delete
    priority: 10
    effect: block
    match:
      tool_names: [tool.delete]
    reason_codes: [destructive_tool_blocked]
    violations: [destructive_operation]

  # Writes need one human approval (gait approve).
  - name: require-approval-tool-write
    priority: 20
    effect: require_approval
    min_approvals: 1
    match:
      tool_names: [tool.write]
    reason_codes: [approval_required_for_write]
    violations: [approval_required]

  # Reads are allowed${readRiskClasses === '' ? '' : ' for low and medium risk only'}.
  - name: allow-safe-tool-read
    priority: 30
    effect: allow
    match:
      tool_names: [tool.read]${readRiskClasses}
    reason_codes: [safe_read_allowed]
`;
}

const LOW_RISK = `# Gait gate policy: baseline for low-risk workloads.
# Anything no rule matches is allowed; deletes are blocked and writes need approval.
${HEADER}default_verdict: allow

${baselineRules('')}`;

const MEDIUM_RISK = `# Gait gate policy: baseline for medium-risk workloads.
# Anything no rule matches needs approval; deletes are blocked, writes need approval,
# and reads are allowed only for low and medium risk classes.
${HEADER}default_verdict: require_approval

${baselineRules('\n      risk_classes: [low, medium]')}`;

/** Credential and approval settings shared by the high-risk write and deploy approval rules. */
function approvalRule(name: string, tool: string, broker: string, scope: string, reason: string): string {
  return `  - name: ${name}
    priority: 20
    effect: require_approval
    min_approvals: 2
    require_distinct_approvers: true
    block_standing_credentials: true
    allowed_credential_sources: [aws_sts, github_oidc, vault_dynamic]
    allowed_credential_issuers: [sts.amazonaws.com, token.actions.githubusercontent.com, vault.example]
    allowed_credential_access_types: [jit]
    max_credential_ttl_seconds: 900
    require_jit_credential: true
    require_broker_credential: true
    broker_reference: ${broker}
    broker_scopes: [${scope}]
    match:
      tool_names: [${tool}]
    reason_codes: [${reason}]
    violations: [approval_required]
`;
}

const HIGH_RISK = `# Gait gate policy: baseline for high-risk workloads.
# Anything no rule matches is blocked. Critical-risk intents missing targets or argument
# provenance fail closed. Writes and deploys need two distinct approvers and short-lived,
# brokered credentials; egress writes need a delegation chain.
# Note: the credential, broker, delegation and destructive-budget rules use gate features
# of a later phase (gate.md Part B); gate eval refuses this policy until they are supported.
${HEADER}default_verdict: block

fail_closed:
  enabled: true
  risk_classes: [critical]
  required_fields: [targets, arg_provenance]

rules:
  # Deleting through a tool is never allowed without changing this policy.
  - name: block-destructive-tool-delete
    priority: 10
    effect: block
    match:
      tool_names: [tool.delete]
    reason_codes: [destructive_tool_blocked]
    violations: [destructive_operation]

  # Data from external sources or tool output must not leave through a write.
  - name: block-tainted-egress-write
    priority: 12
    effect: block
    match:
      tool_names: [tool.write]
      target_kinds: [host, url, bucket]
      provenance_sources: [external, tool_output]
    reason_codes: [blocked_tainted_egress]
    violations: [tainted_data_exfiltration]

  # Egress writes are allowed only when delegated by the lead agent with a just-in-time credential.
  - name: allow-delegated-egress-write
    priority: 15
    effect: allow
    block_standing_credentials: true
    allowed_credential_sources: [aws_sts, github_oidc, vault_dynamic]
    allowed_credential_issuers: [sts.amazonaws.com, token.actions.githubusercontent.com, vault.example]
    allowed_credential_access_types: [jit]
    max_credential_ttl_seconds: 900
    require_jit_credential: true
    broker_reference: highrisk-egress
    broker_scopes: [write]
    match:
      tool_names: [tool.write]
      risk_classes: [high, critical]
      target_kinds: [host, url, bucket]
      require_delegation: true
      allowed_delegator_identities: [agent.lead]
      allowed_delegate_identities: [agent.specialist]
      delegation_scopes: [write]
      max_delegation_depth: 2
    reason_codes: [delegated_egress_write_allowed]

  # Any other egress write is blocked.
  - name: block-undelegated-egress-write
    priority: 16
    effect: block
    match:
      tool_names: [tool.write]
      target_kinds: [host, url, bucket]
    reason_codes: [delegation_required_for_egress_write]
    violations: [missing_or_invalid_delegation]

  # Destructive high-risk calls need approval and are limited to 3 per hour per identity.
  - name: destructive-budget-guard
    priority: 18
    effect: require_approval
    match:
      risk_classes: [high, critical]
      tool_annotations:
        destructiveHint: true
    endpoint:
      enabled: true
      destructive_action: require_approval
      reason_code: destructive_operation_requires_approval
      violation: destructive_operation
    destructive_budget:
      requests: 3
      window: hour
      scope: identity
    reason_codes: [destructive_budget_guard]
    violations: [destructive_operation]

  # Writes and deploys need two distinct approvers and a brokered just-in-time credential.
${approvalRule('require-approval-tool-write', 'tool.write', 'highrisk-egress', 'write', 'approval_required_for_write')}
${approvalRule('require-approval-tool-deploy', 'tool.deploy', 'highrisk-deploy', 'deploy', 'approval_required_for_deploy')}
  # Reads are allowed for low risk only.
  - name: allow-safe-tool-read
    priority: 30
    effect: allow
    match:
      tool_names: [tool.read]
      risk_classes: [low]
    reason_codes: [safe_read_allowed]
`;

/** Template YAML text by canonical name. */
export const POLICY_TEMPLATES: Readonly<Record<TemplateName, string>> = {
  'baseline-lowrisk': LOW_RISK,
  'baseline-mediumrisk': MEDIUM_RISK,
  'baseline-highrisk': HIGH_RISK,
};

const ALIASES: ReadonlyMap<string, TemplateName> = new Map([
  ['baseline-lowrisk', 'baseline-lowrisk'],
  ['baseline_low_risk', 'baseline-lowrisk'],
  ['low', 'baseline-lowrisk'],
  ['baseline-mediumrisk', 'baseline-mediumrisk'],
  ['baseline_medium_risk', 'baseline-mediumrisk'],
  ['medium', 'baseline-mediumrisk'],
  ['baseline-highrisk', 'baseline-highrisk'],
  ['baseline_high_risk', 'baseline-highrisk'],
  ['high', 'baseline-highrisk'],
]);

/** Canonical template name for a name or alias (§A12.7; trimmed, case-insensitive), or undefined. */
export function resolveTemplateName(name: string): TemplateName | undefined {
  return ALIASES.get(lowerSimple(trimSpec(name)));
}
