/**
 * `signTrace` and `verifyTrace`: the signed TraceRecord (gate.md §A7, §A8) for a decision, and its
 * offline verification (§A12.5, D6).
 */
import { buildSignedTrace } from '../artifacts/trace/build.js';
import type { TraceVerifyReport } from '../artifacts/trace/types.js';
import { verifyTrace as verifyTraceRecord } from '../artifacts/trace/verify.js';
import type { SigningKey, VerifyKey } from '../crypto/keys.js';
import { verifyKeyOf } from '../crypto/keys.js';
import { GaitError } from '../errors/error.js';
import type { Decision } from '../policy/decision.js';
import type { Clock } from '../runtime/clock.js';
import { systemClock } from '../runtime/clock.js';
import { GAIT_VERSION } from '../runtime/version.js';
import { argsDigest } from '../schema/v1/intent-digest.js';
import type { JsonObject } from '../schema/v1/json-types.js';

export interface SignTraceOptions {
  readonly signingKey: SigningKey;
  /** Wall clock for `observed_at`; default the system clock. */
  readonly clock?: Clock;
  readonly correlationId?: string;
  readonly producerVersion?: string;
  /** Evaluation wall time to record as `latency_ms`; default 0. */
  readonly latencyMs?: number;
}

export interface SignedTrace {
  readonly traceId: string;
  /** The signed record; write it as `JSON.stringify(trace, null, 2) + '\n'`. */
  readonly trace: JsonObject;
}

/**
 * Builds and signs the trace for a decision from `evaluate` (the decision's verdict is the final one).
 * Use `gateEval` instead to run the approval step as `gait gate eval` does.
 * @param decision from `evaluate`
 * @param options signing key, clock, correlation id
 * @returns `traceId` and the signed record (Gait v1 trace schema, D9)
 * @throws GaitError `input_intent` when the decision has no prepared intent (an unevaluable intent)
 * @example const { trace } = signTrace(evaluate(policy, intent), { signingKey });
 */
export function signTrace(decision: Decision, options: SignTraceOptions): SignedTrace {
  const intent = decision.intent;
  if (intent === undefined) {
    throw new GaitError('input_intent', 'cannot sign a trace for an intent that could not be evaluated', {
      details: { diagnostics: [...decision.diagnostics] },
    });
  }
  const trace = buildSignedTrace(
    {
      intent,
      verdict: decision.verdict,
      violations: decision.violations,
      reasonCodes: decision.reasonCodes,
      policyDigest: decision.policyDigest,
      intentDigest: decision.intentDigest,
      argsDigest: argsDigest(intent),
      producerVersion: options.producerVersion ?? GAIT_VERSION,
      observedAt: (options.clock ?? systemClock).now(),
      correlationId: options.correlationId ?? '',
      latencyMs: options.latencyMs ?? 0,
      matchedRule: decision.matchedRule,
    },
    options.signingKey,
  );
  return { traceId: String(trace['trace_id']), trace };
}

/**
 * Verifies a signed trace offline: strict schema (no member outside it, D6), then the Ed25519
 * signature over the canonical record. Failures are values in the report, never exceptions.
 * @param record the parsed trace file (`JSON.parse(text)`)
 * @param key the verify key, or the signing key whose public half to use
 * @returns `{ ok, traceId, verdict, keyId, signatureStatus, checks, error }`
 * @example verifyTrace(JSON.parse(text), parsePublicKey(pubText)).ok;
 */
export function verifyTrace(record: unknown, key: VerifyKey | SigningKey): TraceVerifyReport {
  const verifyKey = 'privateKey' in key ? verifyKeyOf(key) : key;
  return verifyTraceRecord(record, verifyKey);
}
