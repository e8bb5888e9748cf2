/**
 * Compiles a normalized policy once for evaluation: digest computed once, Part B features refused
 * (phase rule of gate.md), and every rule turned into a match predicate plus a pipeline closure so
 * that `evaluate()` does no normalization, sorting or Set construction.
 */
import { GaitError } from '../errors/error.js';
import { policyDigest } from './digest.js';
import { compileFailClosed } from './fail-closed.js';
import type { CompiledFailClosed } from './fail-closed.js';
import { compileMatch } from './match.js';
import type { IntentPredicate } from './match.js';
import type { Policy, Rule } from './model.js';
import { partBFeaturesEnabled } from './part-b.js';
import { compileRulePipeline, failedRuleOutcome } from './rule-pipeline.js';
import type { RuleOutcome, RulePipeline } from './rule-pipeline.js';
import { defaultReasonCode } from './reason-codes.js';

export interface CompiledRule {
  readonly rule: Rule;
  readonly matches: IntentPredicate;
  readonly run: RulePipeline;
  /** precomputed outcome when the matcher or pipeline throws (effect `block`) */
  readonly failed: RuleOutcome;
}

export interface CompiledPolicy {
  readonly policy: Policy;
  /** `policy_digest` (gate.md §A4.7) */
  readonly digest: string;
  /** in policy order: (priority, name by code point) */
  readonly rules: readonly CompiledRule[];
  readonly failClosed: CompiledFailClosed;
  /** `["default_<verdict>"]` (gate.md §A5.5 step 2) */
  readonly defaultReasons: readonly string[];
}

/**
 * Compiles a normalized policy for evaluation.
 * @param policy the normalized policy from `parsePolicyYaml`
 * @returns matchers and pipelines built once, and the policy digest
 * @throws GaitError `input_unsupported_feature` when the policy enables a Part B feature (exit 6)
 * @example const compiled = compilePolicy(parsePolicyYaml(text));
 */
export function compilePolicy(policy: Policy): CompiledPolicy {
  const features = partBFeaturesEnabled(policy);
  if (features.length > 0) {
    throw new GaitError('input_unsupported_feature', `policy enables features not supported yet: ${features.join('; ')}`, {
      details: { features },
    });
  }
  return Object.freeze({
    policy,
    digest: policyDigest(policy),
    rules: Object.freeze(
      policy.rules.map((rule) =>
        Object.freeze({ rule, matches: compileMatch(rule.match), run: compileRulePipeline(rule), failed: failedRuleOutcome(rule) }),
      ),
    ),
    failClosed: compileFailClosed(policy.failClosed),
    defaultReasons: Object.freeze([defaultReasonCode(policy.defaultVerdict)]),
  });
}
