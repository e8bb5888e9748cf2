/**
 * Policy normalization (gate.md §A4.1 steps 3–4, §A4.2, §A4.5): schema checks, aliases merged,
 * defaults applied, lists normalized, rules ordered by (priority, name by code point).
 */
import { canonicalize } from '../jcs/canonicalize.js';
import { formatDuration, parseDuration } from '../runtime/duration.js';
import { compareCodePoints } from '../schema/v1/text.js';
import type { DecodedMap } from './decode-schema.js';
import { toRulePayload } from './digest.js';
import { VERDICTS } from './model.js';
import type { FailClosed, McpTrustConfig, Policy, Rule, ScriptsConfig, Verdict } from './model.js';
import { checkEnum, checkListEnum, flag, loweredOf, lowerText, mapOf, mapsOf, nonNegative, text } from './normalize-context.js';
import type { NormalizeContext } from './normalize-context.js';
import { normalizeRule } from './normalize-rule.js';

const REQUIRED_FIELDS = ['targets', 'arg_provenance', 'endpoint_class', 'delegation', 'context_evidence'] as const;
const REQUIRED_HIGH_RISK_FIELDS = [
  'agent_id',
  'agent_identity',
  'run_id',
  'workflow_id',
  'repo',
  'environment',
  'credential_ref',
  'credential_source',
  'credential_access_type',
  'credential_issuer',
  'credential_ttl_seconds',
  'approval_ref',
  'wrkr_inventory_ref',
  'agent_action_bom_ref',
] as const;

function schemaChecks(ctx: NormalizeContext, m: DecodedMap): void {
  const id = text(m, 'schema_id') || 'gait.gate.policy';
  if (id !== 'gait.gate.policy') ctx.fail('schema_id', `unsupported policy schema_id: ${id}`);
  const version = text(m, 'schema_version') || '1.0.0';
  if (version !== '1.0.0') ctx.fail('schema_version', `unsupported policy schema_version: ${version}`);
}

/** `default_verdict` with its alias `default_action` (§A4.2); default `require_approval` (D1: enum enforced). */
function defaultVerdictOf(ctx: NormalizeContext, m: DecodedMap): Verdict {
  const verdict = lowerText(m, 'default_verdict');
  const action = lowerText(m, 'default_action');
  if (verdict !== '' && action !== '' && verdict !== action) {
    ctx.fail('default_action', 'default_action must match default_verdict when both are set');
  }
  const value = verdict || action || 'require_approval';
  if (!(VERDICTS as readonly string[]).includes(value)) {
    const key = verdict !== '' ? 'default_verdict' : 'default_action';
    ctx.fail(key, `invalid default verdict "${value}" (expected ${VERDICTS.join('|')})`);
    return 'require_approval';
  }
  return value as Verdict;
}

function failClosedOf(ctx: NormalizeContext, m: DecodedMap): FailClosed {
  const fc = mapOf(m, 'fail_closed') ?? {};
  const enabled = flag(fc, 'enabled');
  const riskClasses = loweredOf(fc, 'risk_classes');
  const requiredFields = loweredOf(fc, 'required_fields');
  const requiredHighRiskFields = loweredOf(fc, 'required_high_risk_fields');
  checkListEnum(ctx, fc, 'fail_closed', 'required_fields', requiredFields, REQUIRED_FIELDS);
  checkListEnum(ctx, fc, 'fail_closed', 'required_high_risk_fields', requiredHighRiskFields, REQUIRED_HIGH_RISK_FIELDS);
  return {
    enabled,
    riskClasses: enabled && riskClasses.length === 0 ? ['critical', 'high'] : riskClasses,
    requiredFields: requiredFields as FailClosed['requiredFields'][number][],
    requiredHighRiskFields,
  };
}

function scriptsOf(ctx: NormalizeContext, m: DecodedMap): ScriptsConfig {
  const s = mapOf(m, 'scripts') ?? {};
  return {
    maxSteps: nonNegative(ctx, s, 'scripts', 'max_steps'),
    requireApprovalAbove: nonNegative(ctx, s, 'scripts', 'require_approval_above'),
    blockMixedRisk: flag(s, 'block_mixed_risk'),
  };
}

function maxAgeOf(ctx: NormalizeContext, raw: string): string {
  if (raw === '') return '';
  try {
    const ns = parseDuration(raw);
    if (ns > 0) return formatDuration(ns);
  } catch {
    ctx.fail('mcp_trust.max_age', `mcp_trust.max_age: invalid duration \`${raw}\``);
    return '';
  }
  ctx.fail('mcp_trust.max_age', 'mcp_trust.max_age must be a positive duration');
  return '';
}

/** `mcp_trust` (§A4.2): enabled when any member is set; then `snapshot` is required. */
function mcpTrustOf(ctx: NormalizeContext, m: DecodedMap): McpTrustConfig | undefined {
  const t = mapOf(m, 'mcp_trust');
  if (t === undefined) return undefined;
  const action = lowerText(t, 'action');
  checkEnum(ctx, 'mcp_trust.action', action, ['block', 'require_approval']);
  const minScore = typeof t.min_score === 'number' ? t.min_score : 0;
  if (minScore < 0 || minScore > 1) ctx.fail('mcp_trust.min_score', 'mcp_trust.min_score must be between 0 and 1');
  const required = loweredOf(t, 'required_risk_classes');
  const config: McpTrustConfig = {
    enabled: true,
    snapshot: text(t, 'snapshot'),
    action: action === 'require_approval' ? 'require_approval' : 'block',
    requiredRiskClasses: required.length > 0 ? required : ['critical', 'high'],
    minScore,
    maxAge: maxAgeOf(ctx, text(t, 'max_age')),
    publisherAllowlist: loweredOf(t, 'publisher_allowlist'),
    requireRegistry: flag(t, 'require_registry'),
  };
  const anySet =
    flag(t, 'enabled') ||
    config.snapshot !== '' ||
    action !== '' ||
    required.length > 0 ||
    minScore !== 0 ||
    text(t, 'max_age') !== '' ||
    config.publisherAllowlist.length > 0 ||
    config.requireRegistry;
  if (!anySet) return undefined;
  if (config.snapshot === '') ctx.fail('mcp_trust.snapshot', 'mcp_trust.snapshot is required when mcp_trust is enabled');
  return config;
}

function reuseOf(ctx: NormalizeContext, m: DecodedMap): 'single_use' | 'within_ttl' {
  const reuse = lowerText(mapOf(m, 'approvals') ?? {}, 'reuse');
  checkEnum(ctx, 'approvals.reuse', reuse, ['single_use', 'within_ttl']);
  return reuse === 'within_ttl' ? 'within_ttl' : 'single_use';
}

/** §A4.5 order; identical (priority, name) pairs fall back to the payload bytes so rule order never matters. */
function compareRules(a: Rule, b: Rule): number {
  if (a.priority !== b.priority) return a.priority < b.priority ? -1 : 1;
  const byName = compareCodePoints(a.name, b.name);
  if (byName !== 0) return byName;
  return compareCodePoints(canonicalize(toRulePayload(a)), canonicalize(toRulePayload(b)));
}

/** Normalizes a strictly decoded policy; problems are collected in `ctx` (the result is only valid without problems). */
export function normalizePolicy(ctx: NormalizeContext, m: DecodedMap): Policy {
  schemaChecks(ctx, m);
  const rules = mapsOf(m, 'rules').map((rule, i) => normalizeRule(ctx, rule, `rules[${i}]`));
  return {
    schemaId: 'gait.gate.policy',
    schemaVersion: '1.0.0',
    defaultVerdict: defaultVerdictOf(ctx, m),
    failClosed: failClosedOf(ctx, m),
    scripts: scriptsOf(ctx, m),
    mcpTrust: mcpTrustOf(ctx, m),
    approvals: { reuse: reuseOf(ctx, m) },
    rules: rules.sort(compareRules),
  };
}
