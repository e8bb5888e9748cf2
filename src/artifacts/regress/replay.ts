/**
 * Replay of one recorded intent through the current policy (artifacts.md §4.3 step 2): the evaluation
 * of gate.md §A5 at the fixture's `evaluation_time`, else the intent's `created_at`, with no envelope,
 * inventory, kill-switch, rate-limit, broker or token state. Pure; writes nothing.
 */
import { isGaitError } from '../../errors/error.js';
import type { CompiledPolicy } from '../../policy/compile.js';
import { evaluate } from '../../policy/evaluate.js';
import * as RC from '../../policy/reason-codes.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { rawRiskClass, normalizeIntent } from '../../schema/v1/intent.js';
import { argsDigest } from '../../schema/v1/intent-digest.js';
import type { Intent } from '../../schema/v1/intent-types.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { lowerSimple, trimSpec } from '../../schema/v1/text.js';
import type { ExpectedVerdict } from './types.js';

export interface ReplayedDecision {
  /** normalized tool name ('' when the intent has none) */
  readonly toolName: string;
  /** DigestJCS of the normalized args; '' when the intent could not be normalized */
  readonly argsDigest: string;
  /** digest of the prepared intent (as in traces); '' when it could not be prepared */
  readonly intentDigest: string;
  /** `error` when the intent could not be evaluated at all */
  readonly verdict: ExpectedVerdict;
  readonly reasonCodes: readonly string[];
  readonly violations: readonly string[];
  readonly matchedRule: string;
  /** why the verdict is `error` (or why fail-closed blocked an unnormalizable intent); '' otherwise */
  readonly error: string;
  /**
   * the evaluator itself threw on a normalized intent: never a match for any expectation, so an
   * engine failure cannot pass a grader that expects `error`
   */
  readonly thrown: boolean;
}

function rawToolName(raw: JsonObject): string {
  const value = raw['tool_name'];
  return typeof value === 'string' ? lowerSimple(trimSpec(value)) : '';
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function errorDecision(raw: JsonObject, err: unknown): ReplayedDecision {
  return { toolName: rawToolName(raw), argsDigest: '', intentDigest: '', verdict: 'error', reasonCodes: [], violations: [], matchedRule: '', error: message(err), thrown: false };
}

/**
 * Evaluates one recorded IntentRequest under `compiled`.
 * @param evaluationTime the fixture's `evaluation_time`; absent → the intent's `created_at`
 * @returns the decision; an intent that cannot be normalized is `block` with
 *   `fail_closed_intent_invalid` when fail-closed applies to its risk class (gate.md §A5.2), else `error`
 */
export function replayIntent(compiled: CompiledPolicy, raw: JsonObject, evaluationTime?: Timestamp): ReplayedDecision {
  let intent: Intent;
  try {
    intent = normalizeIntent(raw);
  } catch (err) {
    if (!isGaitError(err, 'input_unsupported_feature') && compiled.failClosed.appliesTo(rawRiskClass(raw))) {
      return {
        ...errorDecision(raw, err),
        verdict: 'block',
        reasonCodes: [RC.FAIL_CLOSED_INTENT_INVALID],
        violations: [RC.INTENT_NOT_EVALUABLE],
      };
    }
    return errorDecision(raw, err);
  }
  try {
    const decision = evaluate(compiled, intent, { evaluationTime: evaluationTime ?? intent.createdAt });
    return {
      toolName: intent.toolName,
      argsDigest: argsDigest(intent),
      intentDigest: decision.intentDigest,
      verdict: decision.verdict,
      reasonCodes: decision.reasonCodes,
      violations: decision.violations,
      matchedRule: decision.matchedRule,
      error: decision.intent === undefined ? decision.diagnostics.join('; ') : '',
      thrown: false,
    };
  } catch (err) {
    return { ...errorDecision(raw, err), toolName: intent.toolName, argsDigest: argsDigest(intent), thrown: true };
  }
}
