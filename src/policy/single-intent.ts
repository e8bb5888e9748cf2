/**
 * Single-intent evaluation (gate.md §A5.5): the priority tier of matching rules, their per-rule
 * pipelines, and the merge that takes data only from rules whose effect equals the verdict.
 */
import type { Intent } from '../schema/v1/intent-types.js';
import { EMPTY, mergeSorted, sortUnique } from './code-list.js';
import type { CompiledPolicy, CompiledRule } from './compile.js';
import type { RuleSetOutcome } from './decision.js';
import type { Verdict } from './model.js';
import type { PipelineContext, RuleOutcome } from './rule-pipeline.js';
import { mostRestrictive } from './verdict.js';

/** What one single intent's rules decide (the Decision without the intent data). */
export type SingleOutcome = RuleSetOutcome;

interface TierEntry {
  readonly compiled: CompiledRule;
  readonly outcome: RuleOutcome;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs one rule defensively: a throwing matcher or pipeline makes the rule match with effect `block`. */
function tryRule(cr: CompiledRule, intent: Intent, ctx: PipelineContext, diagnostics: string[]): RuleOutcome | undefined {
  try {
    if (!cr.matches(intent)) return undefined;
  } catch (e) {
    diagnostics.push(`rule \`${cr.rule.name}\`: match failed, rule fails closed to block: ${describe(e)}`);
    return cr.failed;
  }
  try {
    return cr.run(intent, ctx);
  } catch (e) {
    diagnostics.push(`rule \`${cr.rule.name}\`: evaluation failed, rule fails closed to block: ${describe(e)}`);
    return cr.failed;
  }
}

/** Step 1: the first matching rule fixes the tier priority; rules are sorted, so a new priority ends it. */
function collectTier(compiled: CompiledPolicy, intent: Intent, ctx: PipelineContext, diagnostics: string[]): TierEntry[] {
  const tier: TierEntry[] = [];
  for (const cr of compiled.rules) {
    if (tier.length > 0 && cr.rule.priority !== tier[0]!.compiled.rule.priority) break;
    const outcome = tryRule(cr, intent, ctx, diagnostics);
    if (outcome !== undefined) tier.push({ compiled: cr, outcome });
  }
  return tier;
}

function defaultOutcome(compiled: CompiledPolicy): SingleOutcome {
  const verdict = compiled.policy.defaultVerdict;
  return {
    verdict,
    reasonCodes: compiled.defaultReasons,
    violations: EMPTY,
    matchedRule: '',
    minApprovals: verdict === 'require_approval' ? 1 : 0,
    requireDistinctApprovers: false,
    requireBrokerCredential: false,
    requireDelegation: false,
    requiredDelegationScopes: EMPTY,
    brokerReference: '',
    brokerScopes: EMPTY,
  };
}

/** Step 3: verdict over the tier, then merge only from rules whose effect equals it. */
function mergeTier(tier: readonly TierEntry[]): SingleOutcome {
  let verdict: Verdict = 'allow';
  for (const t of tier) verdict = mostRestrictive(verdict, t.outcome.effect);
  let reasonCodes: readonly string[] = EMPTY;
  let violations: readonly string[] = EMPTY;
  let delegationScopes: readonly string[] = EMPTY;
  let brokerScopes: readonly string[] = EMPTY;
  const brokerRefs: string[] = [];
  let minApprovals = 0;
  let distinct = false;
  let broker = false;
  let delegation = false;
  for (const { compiled, outcome } of tier) {
    if (outcome.effect !== verdict) continue;
    const rule = compiled.rule;
    reasonCodes = mergeSorted(reasonCodes, outcome.reasons);
    violations = mergeSorted(violations, outcome.violations);
    minApprovals = Math.max(minApprovals, outcome.minApprovals);
    distinct ||= rule.requireDistinctApprovers;
    broker ||= rule.requireBrokerCredential;
    delegation ||= rule.match.requireDelegation;
    delegationScopes = mergeSorted(delegationScopes, rule.match.delegationScopes);
    brokerScopes = mergeSorted(brokerScopes, rule.brokerScopes);
    if (rule.brokerReference !== '') brokerRefs.push(rule.brokerReference);
  }
  const approval = verdict === 'require_approval';
  return {
    verdict,
    reasonCodes,
    violations,
    // INVARIANT: tier rules share one priority and policy rules are sorted by (priority, name).
    matchedRule: tier.length === 1 ? tier[0]!.compiled.rule.name : tier.map((t) => t.compiled.rule.name).join(','),
    minApprovals: approval ? minApprovals : 0,
    requireDistinctApprovers: approval && distinct,
    requireBrokerCredential: broker,
    requireDelegation: delegation,
    requiredDelegationScopes: delegationScopes,
    brokerReference: brokerRefs.length === 0 ? '' : sortUnique(brokerRefs).join(','),
    brokerScopes,
  };
}

/**
 * Evaluates a prepared, non-script intent against the compiled rules (gate.md §A5.5).
 * Errors inside a rule are recorded in `diagnostics` and that rule fails closed to `block`.
 */
export function evaluateSingleIntent(
  compiled: CompiledPolicy,
  intent: Intent,
  ctx: PipelineContext,
  diagnostics: string[],
): SingleOutcome {
  const tier = collectTier(compiled, intent, ctx, diagnostics);
  return tier.length === 0 ? defaultOutcome(compiled) : mergeTier(tier);
}
