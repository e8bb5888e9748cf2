/**
 * `parseIntent` and `evaluate`: the in-process policy decision (gate.md §A3, §A5), the same
 * function `gait policy test` and `gait gate eval` run.
 */
import type { CompiledPolicy } from '../policy/compile.js';
import type { Decision } from '../policy/decision.js';
import { evaluate as evaluateCore, evaluateRaw } from '../policy/evaluate.js';
import type { Clock } from '../runtime/clock.js';
import { isParsedContextEnvelope, parseContextEnvelope } from '../schema/v1/context-envelope.js';
import type { ContextEnvelope } from '../schema/v1/context-envelope.js';
import { normalizeIntent } from '../schema/v1/intent.js';
import type { Intent } from '../schema/v1/intent-types.js';
import { resolveInstant } from './time.js';
import type { InstantInput } from './time.js';

// INVARIANT: only intents returned by parseIntent (deep-frozen) skip normalization in evaluate.
const PARSED = new WeakSet<object>();

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value as Record<string, unknown>)) deepFreeze(member);
  }
  return value;
}

/**
 * Decodes and normalizes an IntentRequest once, so repeated evaluations skip that work.
 * @param raw the IntentRequest as parsed JSON (snake_case wire members)
 * @returns the normalized intent, deep-frozen
 * @throws GaitError `input_intent` (the spec's messages, e.g. `tool_name is required`, raw credentials),
 *   `input_unsupported_feature` (script intents, not built yet)
 * @example const intent = parseIntent(JSON.parse(text));
 */
export function parseIntent(raw: unknown): Intent {
  const intent = deepFreeze(normalizeIntent(raw));
  PARSED.add(intent);
  return intent;
}

/** True for intents returned by `parseIntent` (already normalized and frozen). */
export function isParsedIntent(intent: unknown): intent is Intent {
  return typeof intent === 'object' && intent !== null && PARSED.has(intent);
}

/**
 * A context envelope as the library accepts it: a `parseContextEnvelope` result as is, raw JSON parsed.
 * @throws GaitError `artifact_invalid` for a malformed envelope
 */
export function toContextEnvelope(raw: unknown): ContextEnvelope | undefined {
  if (raw === undefined) return undefined;
  return isParsedContextEnvelope(raw) ? (raw as ContextEnvelope) : parseContextEnvelope(raw);
}

export interface EvaluateOptions {
  /** Instant the policy is evaluated at (agent expiry); default: `clock.now()`. */
  readonly evaluationTime?: InstantInput;
  /** Source of "now" when `evaluationTime` is not given; default: the system clock. */
  readonly clock?: Clock;
  /** A context evidence envelope (`gait.context.envelope`, raw JSON or parsed) to bind (§B2). */
  readonly contextEnvelope?: unknown;
}

/**
 * Decides one intent against a compiled policy. Never returns `allow` for an intent it cannot
 * evaluate: under fail-closed an unnormalizable intent is a `block` with `fail_closed_intent_invalid`.
 * @param policy from `loadPolicy`
 * @param intent an intent from `parseIntent`, or the raw IntentRequest JSON value
 * @param options evaluation time or clock
 * @returns the decision: verdict, reason codes, violations, matched rule, digests, diagnostics
 * @throws GaitError `input_intent` when the raw intent is invalid and fail-closed does not cover its
 *   risk class, `input_unsupported_feature` for script intents, `input_usage` for a bad evaluation time
 * @example evaluate(loadPolicy(yamlText), JSON.parse(intentText)).verdict; // 'allow' | 'block' | ...
 */
export function evaluate(policy: CompiledPolicy, intent: unknown, options: EvaluateOptions = {}): Decision {
  const evaluationTime = resolveInstant(options.evaluationTime, options.clock);
  const core = { evaluationTime, contextEnvelope: toContextEnvelope(options.contextEnvelope) };
  if (isParsedIntent(intent)) return evaluateCore(policy, intent, core);
  return evaluateRaw(policy, intent, core);
}
