/**
 * Which Part B features a normalized policy enables (gate.md §A4.3 "Part B enabling conditions").
 * Until a feature is implemented, evaluating such a policy is refused (phase rule); this module only
 * reports. `mcp_trust` is not listed: it is used only by the MCP proxy and has no effect on gate eval.
 * Built features leave this list: context constraints (§B2) are evaluated in `context-constraints.ts`.
 */
import type { Policy, Rule } from './model.js';

interface FeatureCheck {
  readonly feature: string;
  readonly section: string;
  readonly enabled: (rule: Rule) => boolean;
}

const CHECKS: readonly FeatureCheck[] = [
  {
    feature: 'credential_constraints',
    section: '§B4',
    enabled: (r) =>
      r.blockStandingCredentials ||
      r.requireJitCredential ||
      r.allowedCredentialSources.length > 0 ||
      r.allowedCredentialAccessTypes.length > 0 ||
      r.allowedCredentialIssuers.length > 0 ||
      r.maxCredentialTtlSeconds > 0,
  },
  { feature: 'credential_broker', section: '§B4', enabled: (r) => r.requireBrokerCredential },
  { feature: 'delegation_tokens', section: '§B5', enabled: (r) => r.match.requireDelegation },
  { feature: 'rate_limit', section: '§B6', enabled: (r) => r.rateLimit !== undefined && r.rateLimit.requests > 0 },
  { feature: 'destructive_budget', section: '§B6', enabled: (r) => r.destructiveBudget !== undefined },
  { feature: 'freeze_window', section: '§B8', enabled: (r) => r.freezeWindow?.enabled === true },
  { feature: 'sandbox', section: '§B9', enabled: (r) => r.sandbox?.enabled === true },
];

/**
 * Lists the Part B features the policy enables, in rule order, as
 * ``rule `<name>`: <feature> (gate.md §Bn)``; empty when the policy uses Part A only.
 */
export function partBFeaturesEnabled(policy: Policy): string[] {
  const out: string[] = [];
  for (const rule of policy.rules) {
    for (const check of CHECKS) {
      if (check.enabled(rule)) out.push(`rule \`${rule.name}\`: ${check.feature} (gate.md ${check.section})`);
    }
  }
  return out;
}
