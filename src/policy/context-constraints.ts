/**
 * Context constraints (gate.md §A5.6 step 3, §B2), compiled once per rule. They read only the
 * prepared intent: its `context_set_digest` and `context_evidence_mode` (set from a bound envelope,
 * stripped without one, §A3.6) and `auth_context.context_age_seconds`. Without an envelope they
 * therefore always fail. Step effect `block`.
 */
import type { Intent } from '../schema/v1/intent-types.js';
import type { JsonObject } from '../schema/v1/json-types.js';
import { trimSpec } from '../schema/v1/text.js';
import type { Policy, Rule } from './model.js';
import * as RC from './reason-codes.js';

export interface ContextFinding {
  /** in spec order, not yet sorted */
  readonly reasons: readonly string[];
  readonly violations: readonly string[];
}

/** Checks one prepared intent; undefined when every constraint holds. */
export type ContextConstraintCheck = (intent: Intent) => ContextFinding | undefined;

/**
 * Whether the rule enables context constraints (gate.md §A4.3 enabling conditions):
 * `require_context_evidence`, `required_context_evidence_mode` or `max_context_age_seconds > 0`.
 */
export function contextConstraintsEnabled(rule: Rule): boolean {
  return rule.requireContextEvidence || rule.requiredContextEvidenceMode !== '' || rule.maxContextAgeSeconds > 0;
}

/**
 * Whether the policy requires context evidence anywhere (gate.md §B2): a rule with context constraints
 * or `fail_closed.required_fields: [context_evidence]`. `gate eval` then disables the approved-script
 * fast path.
 */
export function policyRequiresContextEvidence(policy: Policy): boolean {
  return policy.failClosed.requiredFields.includes('context_evidence') || policy.rules.some(contextConstraintsEnabled);
}

const MAX_INT64 = 9_223_372_036_854_775_807n;

/**
 * `auth_context.context_age_seconds` as whole seconds (gate.md §B2): a non-negative number
 * (truncated) or a string holding a non-negative integer (optional sign, base 10, within int64, as
 * Gait v1 parses it); undefined when missing or invalid.
 * @example contextAgeSeconds({ context_age_seconds: '42' }) // 42
 */
export function contextAgeSeconds(authContext: JsonObject | undefined): number | undefined {
  if (authContext === undefined || !Object.hasOwn(authContext, 'context_age_seconds')) return undefined;
  const value = authContext['context_age_seconds'];
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.trunc(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = trimSpec(value);
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const parsed = BigInt(text);
  if (parsed < 0n || parsed > MAX_INT64) return undefined;
  // Beyond 2^53 the double rounds, but it stays above every policy maximum (a safe integer).
  return Number(parsed);
}

const DIGEST_MISSING_REASONS = [RC.CONTEXT_EVIDENCE_MISSING, RC.CONTEXT_SET_DIGEST_MISSING];

/**
 * Compiles the context constraints of one rule (gate.md §B2 "Constraints").
 * @returns undefined when the rule enables none, else the check
 * @example compileContextConstraints(rule)?.(prepared)?.reasons // ['context_evidence_missing', 'context_set_digest_missing']
 */
export function compileContextConstraints(rule: Rule): ContextConstraintCheck | undefined {
  if (!contextConstraintsEnabled(rule)) return undefined;
  // require_context_evidence implies mode `required` (§A4.3); normalization already folds it in.
  const requireMode = rule.requiredContextEvidenceMode === 'required' || rule.requireContextEvidence;
  const maxAge = rule.maxContextAgeSeconds;
  return (intent) => {
    const context = intent.context;
    const reasons: string[] = [];
    const violations: string[] = [];
    if (context.contextSetDigest === '') {
      reasons.push(...DIGEST_MISSING_REASONS);
      violations.push(RC.MISSING_CONTEXT_EVIDENCE);
    }
    if (requireMode && context.contextEvidenceMode !== 'required') {
      reasons.push(RC.CONTEXT_EVIDENCE_MODE_MISMATCH);
      violations.push(RC.CONTEXT_EVIDENCE_MODE_VIOLATION);
    }
    if (maxAge > 0) {
      const age = contextAgeSeconds(context.authContext);
      if (age === undefined || age > maxAge) {
        reasons.push(RC.CONTEXT_FRESHNESS_EXCEEDED);
        violations.push(RC.CONTEXT_FRESHNESS_VIOLATION);
      }
    }
    return reasons.length === 0 ? undefined : { reasons, violations };
  };
}
