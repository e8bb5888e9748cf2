/**
 * `gateEval`: the whole `gait gate eval` pipeline in-process (gate.md §A12.3, Part A): evaluate,
 * the approval step, simulate presentation, and the signed trace. The CLI runs the same function.
 */
import { GaitError } from '../errors/error.js';
import { runGateEval } from '../artifacts/gate/gate-eval.js';
import type { GateEvalResult } from '../artifacts/gate/gate-eval.js';
import type { SigningKey } from '../crypto/keys.js';
import type { CompiledPolicy } from '../policy/compile.js';
import type { Clock } from '../runtime/clock.js';
import { systemClock } from '../runtime/clock.js';
import { GAIT_VERSION } from '../runtime/version.js';
import type { Intent } from '../schema/v1/intent-types.js';
import { isParsedIntent, parseIntent } from './evaluate.js';
import { resolveInstant } from './time.js';
import type { InstantInput } from './time.js';

export interface GateEvalOptions {
  /** Key the trace is signed with (`generateKeyPair`, `parsePrivateKey`, or `gait/node` key loading). */
  readonly signingKey: SigningKey;
  /** Wall clock for `observed_at` and `latency_ms` (and the default evaluation time). */
  readonly clock?: Clock;
  readonly evaluationTime?: InstantInput;
  /** Trace `correlation_id`; default ''. */
  readonly correlationId?: string;
  /** Trace `producer_version`; default this package's version. */
  readonly producerVersion?: string;
  /** Observe mode (gate.md §B12): the result presents a non-enforcing outcome; the trace keeps the real one (D8). */
  readonly simulate?: boolean;
  /** Recorded as the trace `approval_token_ref`. */
  readonly approvalTokenRef?: string;
}

function normalizedIntentOf(intent: unknown): Intent {
  return isParsedIntent(intent) ? intent : parseIntent(intent);
}

/**
 * Evaluates one intent as `gait gate eval` does and signs the trace.
 * @param policy from `loadPolicy`
 * @param intent an intent from `parseIntent`, or the raw IntentRequest JSON value
 * @param options the signing key, and optionally clock, evaluation time, correlation id, simulate
 * @returns verdict, reason codes and violations (real and presented), approvals, `traceId` and the signed `trace`
 * @throws GaitError `input_intent` for an intent that cannot be normalized (no trace can describe it; the
 *   verdict is "no"), `input_unsupported_feature`, `input_usage` for a bad evaluation time
 * @example const r = gateEval(policy, intent, { signingKey }); if (r.verdict !== 'allow') return;
 */
export function gateEval(policy: CompiledPolicy, intent: unknown, options: GateEvalOptions): GateEvalResult {
  const normalized = normalizedIntentOf(intent);
  const clock = options.clock ?? systemClock;
  if (options.signingKey === undefined) throw new GaitError('key_missing', 'gateEval requires a signingKey');
  return runGateEval(policy, normalized, {
    evaluationTime: resolveInstant(options.evaluationTime, clock),
    clock,
    signingKey: options.signingKey,
    producerVersion: options.producerVersion ?? GAIT_VERSION,
    correlationId: options.correlationId ?? '',
    simulate: options.simulate ?? false,
    ...(options.approvalTokenRef === undefined ? {} : { approvalTokenRef: options.approvalTokenRef }),
  });
}
