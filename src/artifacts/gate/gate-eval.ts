/**
 * The `gate eval` decision pipeline of gate.md §A12.3 for the Part A features, as a pure function:
 * evaluate (§A5), the approval step without tokens (§A9.6), simulate presentation (§B12, D8), and the
 * signed trace (§A7, §A8). Every transport (CLI, HTTP, MCP) calls this and only does I/O around it.
 */
import type { SigningKey } from '../../crypto/keys.js';
import type { CompiledPolicy } from '../../policy/compile.js';
import type { Decision } from '../../policy/decision.js';
import { evaluate } from '../../policy/evaluate.js';
import type { Verdict } from '../../policy/model.js';
import { APPROVAL_NOT_GRANTED, APPROVAL_TOKEN_MISSING, SIMULATE_MODE_NON_ENFORCING } from './gate-reason-codes.js';
import type { Clock } from '../../runtime/clock.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { argsDigest } from '../../schema/v1/intent-digest.js';
import type { Intent } from '../../schema/v1/intent-types.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { buildTraceRecord, signTrace } from '../trace/build.js';
import { sortedUnion } from './sorted.js';

export interface GateEvalOptions {
  /** drives agent expiry (and, later, freeze windows and context age) */
  readonly evaluationTime: Timestamp;
  /** wall clock: trace `observed_at` and `latency_ms` */
  readonly clock: Clock;
  readonly signingKey: SigningKey;
  readonly producerVersion: string;
  readonly correlationId: string;
  /** observe mode (§B12): present a non-enforcing outcome, sign the real one (D8) */
  readonly simulate: boolean;
  /** `--approval-token-ref`: recorded as the trace `approval_token_ref` when no token granted */
  readonly approvalTokenRef?: string;
}

export interface SimulatedView {
  readonly wouldHaveBlocked: boolean;
  readonly simulatedVerdict: Verdict;
  readonly simulatedReasonCodes: readonly string[];
}

export interface GateEvalResult {
  /** the evaluation outcome before the approval step */
  readonly decision: Decision;
  /** the real final verdict, reasons and violations (what the trace says) */
  readonly verdict: Verdict;
  readonly reasonCodes: readonly string[];
  readonly violations: readonly string[];
  /** what the caller is told: equal to the real outcome unless simulating */
  readonly presented: { readonly verdict: Verdict; readonly reasonCodes: readonly string[]; readonly violations: readonly string[] };
  readonly simulated: SimulatedView | undefined;
  readonly requiredApprovals: number;
  readonly validApprovals: number;
  readonly traceId: string;
  /** the signed trace record */
  readonly trace: JsonObject;
}

function elapsedMs(start: Timestamp, end: Timestamp): number {
  const ms = (end.seconds - start.seconds) * 1000 + (end.nanos - start.nanos) / 1e6;
  return ms > 0 ? ms : 0;
}

/**
 * Evaluates a normalized intent, applies the approval step and signs the trace.
 * @throws GaitError only for a broken invariant (the evaluator itself returns decisions as values)
 */
export function runGateEval(compiled: CompiledPolicy, intent: Intent, options: GateEvalOptions): GateEvalResult {
  const started = options.clock.now();
  const decision = evaluate(compiled, intent, { evaluationTime: options.evaluationTime });
  const verdict: Verdict = decision.verdict;
  let reasonCodes: readonly string[] = decision.reasonCodes;
  let violations: readonly string[] = decision.violations;
  let requiredApprovals = decision.minApprovals;
  if (verdict === 'require_approval') {
    // §A9.6: no approval token was presented (tokens arrive with the approvals feature).
    requiredApprovals = Math.max(decision.minApprovals, 1);
    reasonCodes = sortedUnion(reasonCodes, [APPROVAL_TOKEN_MISSING]);
    violations = sortedUnion(violations, [APPROVAL_NOT_GRANTED]);
  }
  const observedAt = options.clock.now();
  const prepared = decision.intent ?? intent;
  const record = buildTraceRecord({
    intent: prepared,
    verdict,
    violations,
    reasonCodes,
    policyDigest: decision.policyDigest,
    intentDigest: decision.intentDigest,
    argsDigest: argsDigest(prepared),
    producerVersion: options.producerVersion,
    observedAt,
    correlationId: options.correlationId,
    latencyMs: elapsedMs(started, observedAt),
    matchedRule: decision.matchedRule,
    approvalTokenRef: options.approvalTokenRef ?? '',
  });
  const trace = signTrace(record, options.signingKey);
  const traceId = String(trace['trace_id']);
  let presented = { verdict, reasonCodes, violations };
  let simulated: SimulatedView | undefined;
  if (options.simulate) {
    const wouldHaveBlocked = verdict === 'block' || verdict === 'require_approval';
    simulated = { wouldHaveBlocked, simulatedVerdict: verdict, simulatedReasonCodes: reasonCodes };
    const extra = [SIMULATE_MODE_NON_ENFORCING, ...(wouldHaveBlocked ? [`simulated_${verdict}`] : [])];
    presented = wouldHaveBlocked
      ? { verdict: 'allow', reasonCodes: sortedUnion(reasonCodes, extra), violations: [] }
      : { verdict, reasonCodes: sortedUnion(reasonCodes, extra), violations };
  }
  return { decision, verdict, reasonCodes, violations, presented, simulated, requiredApprovals, validApprovals: 0, traceId, trace };
}
