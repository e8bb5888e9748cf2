/**
 * Profile checks on a loaded policy (gate.md §A12.3, profile `oss-prod`). Flag checks live with the
 * command; these only look at the policy.
 */
import { GaitError } from '../errors/error.js';
import type { Policy } from './model.js';

export const PROFILES = ['standard', 'oss-prod'] as const;
export type Profile = (typeof PROFILES)[number];

/** @throws GaitError `input_usage` for an unknown profile name (exact §A12.3 message) */
export function parseProfile(value: string): Profile {
  if (value === '' || value === 'standard') return 'standard';
  if (value === 'oss-prod') return 'oss-prod';
  throw new GaitError('input_usage', `unsupported --profile value "${value}" (expected standard or oss-prod)`);
}

/** @throws GaitError `policy_profile` when the policy breaks an `oss-prod` rule */
export function assertPolicyFitsProfile(policy: Policy, profile: Profile): void {
  if (profile !== 'oss-prod') return;
  if (policy.defaultVerdict === 'allow') {
    throw new GaitError('policy_profile', 'oss-prod profile rejects policy default_verdict=allow; use default_verdict: block or require_approval');
  }
  for (const rule of policy.rules) {
    const highRisk = rule.match.riskClasses.includes('high') || rule.match.riskClasses.includes('critical');
    if (highRisk && rule.effect !== 'block' && !rule.requireBrokerCredential) {
      throw new GaitError('policy_profile', 'oss-prod profile requires high-risk allow/approval rules to set require_broker_credential: true', {
        details: { rule: rule.name },
      });
    }
  }
}
