/**
 * Evaluation entry points (gate.md §A5.2): one intent in, one `Decision` out. Pure: the
 * evaluation time and the context envelope come in as options, never from the wall clock or a file.
 */
import { GaitError, isGaitError } from '../errors/error.js';
import type { Timestamp } from '../runtime/timestamp-type.js';
import { intentDigest } from '../schema/v1/intent-digest.js';
import type { ContextEnvelope } from '../schema/v1/context-envelope.js';
import { normalizeIntent, prepareIntentDetailed, rawRiskClass } from '../schema/v1/intent.js';
import type { Intent } from '../schema/v1/intent-types.js';
import { EMPTY } from './code-list.js';
import type { CompiledPolicy } from './compile.js';
import type { Decision } from './decision.js';
import type { Verdict } from './model.js';
import * as RC from './reason-codes.js';
import { evaluateSingleIntent } from './single-intent.js';
import type { SingleOutcome } from './single-intent.js';

export interface EvaluateOptions {
  /** drives agent expiry and context age (gate.md §A5.1); pass `--evaluation-time` or the clock's now */
  readonly evaluationTime: Timestamp;
  /**
   * a verified context envelope (`parseContextEnvelope`, gate.md §B2): bound to the prepared intent
   * instead of stripping its context-evidence claims (§A3.6 step 2)
   */
  readonly contextEnvelope?: ContextEnvelope | undefined;
}

const INTENT_INVALID_REASONS: readonly string[] = Object.freeze([RC.FAIL_CLOSED_INTENT_INVALID]);
const INTENT_INVALID_VIOLATIONS: readonly string[] = Object.freeze([RC.INTENT_NOT_EVALUABLE]);

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A decision that carries no rule data (fail-closed outcomes). */
function plainDecision(
  compiled: CompiledPolicy,
  verdict: Verdict,
  reasonCodes: readonly string[],
  violations: readonly string[],
  intent: Intent | undefined,
  digest: string,
  contextSource: string,
  diagnostics: readonly string[],
): Decision {
  return {
    verdict,
    reasonCodes,
    violations,
    matchedRule: '',
    minApprovals: 0,
    requireDistinctApprovers: false,
    requireBrokerCredential: false,
    requireDelegation: false,
    requiredDelegationScopes: EMPTY,
    brokerReference: '',
    brokerScopes: EMPTY,
    intent,
    intentDigest: digest,
    policyDigest: compiled.digest,
    contextSource,
    diagnostics,
  };
}

/** §A5.2 step 2: an intent that cannot be prepared, under fail-closed, is blocked. */
function intentInvalidDecision(compiled: CompiledPolicy, error: unknown): Decision {
  return plainDecision(compiled, 'block', INTENT_INVALID_REASONS, INTENT_INVALID_VIOLATIONS, undefined, '', '', [describe(error)]);
}

/** Rethrows GaitErrors as they are; anything else is a broken invariant. */
function asGaitError(e: unknown, what: string): GaitError {
  if (isGaitError(e)) return e;
  return new GaitError('internal_failure', `${what}: ${describe(e)}`, { cause: e });
}

/**
 * Evaluates a normalized intent against a compiled policy (gate.md §A5.2–§A5.6).
 * @param intent a normalized intent (`normalizeIntent`); it is prepared here (§A3.6), binding
 *   `options.contextEnvelope` when given (§B2)
 * @returns the decision; errors inside one rule land in `diagnostics` and that rule blocks
 * @throws GaitError from intent preparation when fail-closed does not apply to the risk class, e.g.
 *   `input_intent` `context envelope digest does not match context.context_set_digest`
 * @example evaluate(compiled, normalizeIntent(raw), { evaluationTime, contextEnvelope }).verdict // 'allow'
 */
export function evaluate(compiled: CompiledPolicy, intent: Intent, options: EvaluateOptions): Decision {
  let prepared: Intent;
  let contextSource: string;
  let digest: string;
  try {
    ({ intent: prepared, contextSource } = prepareIntentDetailed(intent, options.contextEnvelope, options.evaluationTime)); // step 1
    digest = intentDigest(prepared);
  } catch (e) {
    // step 2
    if (compiled.failClosed.appliesTo(intent.context.riskClass)) return intentInvalidDecision(compiled, e);
    throw asGaitError(e, 'cannot prepare intent');
  }
  const finding = compiled.failClosed.check(prepared); // step 3
  if (finding !== undefined) {
    return plainDecision(compiled, 'block', finding.reasons, finding.violations, prepared, digest, contextSource, EMPTY);
  }
  // Part B (§B7): step 4, required-but-unreadable kill-switch state — no kill-switch option yet
  // Part B (§B1): step 5, script intents — refused by normalizeIntent (input_unsupported_feature)
  // Part B (§B3): step 5, inventory enrichment — no inventory option yet
  const diagnostics: string[] = [];
  const outcome = evaluateSingleIntent(compiled, prepared, options, diagnostics);
  // Part B (§B7): step 6, kill switch — no kill-switch option yet
  return withIntentData(outcome, prepared, digest, compiled.digest, contextSource, diagnostics.length === 0 ? EMPTY : diagnostics);
}

/**
 * The decision of a rule-set outcome: its members, then the intent data. Written out member by
 * member: on Node 20 `{ ...outcome, intent, … }` (a spread followed by more members) takes a slow
 * path that cost more than half of `evaluate`.
 */
function withIntentData(
  o: SingleOutcome,
  intent: Intent,
  intentDigest: string,
  policyDigest: string,
  contextSource: string,
  diagnostics: readonly string[],
): Decision {
  return {
    verdict: o.verdict,
    reasonCodes: o.reasonCodes,
    violations: o.violations,
    matchedRule: o.matchedRule,
    minApprovals: o.minApprovals,
    requireDistinctApprovers: o.requireDistinctApprovers,
    requireBrokerCredential: o.requireBrokerCredential,
    requireDelegation: o.requireDelegation,
    requiredDelegationScopes: o.requiredDelegationScopes,
    brokerReference: o.brokerReference,
    brokerScopes: o.brokerScopes,
    intent,
    intentDigest,
    policyDigest,
    contextSource,
    diagnostics,
  };
}

function safeRawRiskClass(raw: unknown): string {
  try {
    return rawRiskClass(raw);
  } catch {
    return '';
  }
}

/**
 * Normalizes a raw intent, then evaluates it. When normalization fails and fail-closed applies
 * to the raw risk class (trimmed, lowercased), returns `block` with `fail_closed_intent_invalid`
 * (gate.md §A5.2 step 2); the CLI reports that case as exit 6.
 * @throws GaitError `input_intent` when the intent is invalid and fail-closed does not apply
 * @throws GaitError `input_unsupported_feature` for Part B intent features (scripts), always
 * @example evaluateRaw(compiled, JSON.parse(text), { evaluationTime })
 */
export function evaluateRaw(compiled: CompiledPolicy, raw: unknown, options: EvaluateOptions): Decision {
  let intent: Intent;
  try {
    intent = normalizeIntent(raw);
  } catch (e) {
    // The phase rule refuses unsupported features outright; they are not "unevaluable" intents.
    if (isGaitError(e, 'input_unsupported_feature')) throw e;
    if (compiled.failClosed.appliesTo(safeRawRiskClass(raw))) return intentInvalidDecision(compiled, e);
    throw asGaitError(e, 'cannot normalize intent');
  }
  return evaluate(compiled, intent, options);
}
