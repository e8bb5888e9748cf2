/**
 * The `gate eval` decision pipeline of gate.md §A12.3 for the Part A features, as a pure function:
 * evaluate (§A5), the approval step without tokens (§A9.6), simulate presentation (§B12, D8), and the
 * signed trace (§A7, §A8). Every transport (CLI, HTTP, MCP) calls this and only does I/O around it.
 * `runGateEvalUnsigned` stops before the trace is built and signed, for the MCP paths, which finish
 * the record (trust, emergency stop) and sign it once (mcp-and-export.md §4 steps 6-8).
 */
import type { SigningKey } from '../../crypto/keys.js';
import type { CompiledPolicy } from '../../policy/compile.js';
import type { Decision } from '../../policy/decision.js';
import { evaluate } from '../../policy/evaluate.js';
import type { Verdict } from '../../policy/model.js';
import { SIMULATE_MODE_NON_ENFORCING } from './gate-reason-codes.js';
import { buildApprovalAuditRecord, signApprovalAuditRecord } from '../approval/audit.js';
import type { ApprovalEntry } from '../approval/types.js';
import { expectedApprovalBindings } from '../approval/verify-token.js';
import { formatTimestamp } from '../../runtime/timestamp.js';
import { runApprovalStep } from './approval-step.js';
import type { ApprovalStepInput, ApprovalStepResult } from './approval-step.js';
import type { Clock } from '../../runtime/clock.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { elapsedMs } from '../../runtime/elapsed.js';
import { argsDigest, intentDigest as intentDigestOf } from '../../schema/v1/intent-digest.js';
import type { ContextEnvelope } from '../../schema/v1/context-envelope.js';
import type { Intent } from '../../schema/v1/intent-types.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { buildSignedTrace, traceId as traceIdOf } from '../trace/build.js';
import type { TraceInput } from '../trace/types.js';
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
  /** a parsed context evidence envelope (§B2, `--context-envelope`) to bind into the prepared intent */
  readonly contextEnvelope?: ContextEnvelope;
  /** presented approval tokens, their verify key and the ledger (§A9.6); absent = no tokens */
  readonly approvals?: ApprovalStepInput;
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
  /** sorted valid approval token ids, comma-joined, when the approval was granted */
  readonly approvalRef: string;
  /** one entry per evaluated token */
  readonly approvalEntries: readonly ApprovalEntry[];
  readonly traceId: string;
  /** the signed trace record */
  readonly trace: JsonObject;
  /** the signed approval audit record (§A10, D5), when approvals were required or tokens evaluated */
  readonly approvalAudit: JsonObject | undefined;
}

/** What the unsigned pipeline needs: the gate options without the key and the presentation mode. */
export type UnsignedGateEvalOptions = Omit<GateEvalOptions, 'signingKey' | 'simulate'>;

/** The gate pipeline's result before its trace record is built and signed. */
export interface UnsignedGateEval {
  /** the evaluation outcome before the approval step */
  readonly decision: Decision;
  /** the real final verdict, reasons and violations (what the trace says) */
  readonly verdict: Verdict;
  readonly reasonCodes: readonly string[];
  readonly violations: readonly string[];
  /** the approval step's result; undefined when the verdict did not require approval */
  readonly approval: ApprovalStepResult | undefined;
  /**
   * the trace inputs of the real outcome: `buildTraceRecord(traceInput)` is the unsigned trace
   * record; a caller that changes the outcome builds it with its own verdict, violations and reasons
   */
  readonly traceInput: TraceInput;
}

const NO_TOKENS: ApprovalStepInput = {
  tokens: [],
  verifyKey: undefined,
  openLedger: () => {
    throw new Error('no ledger: no approval tokens were presented');
  },
};

/**
 * Evaluates a normalized intent and applies the approval step, stopping before the trace record is
 * built and signed: no signature, no approval audit record, no simulate view.
 * @throws GaitError only for a broken invariant (the evaluator itself returns decisions as values)
 * @example buildTraceRecord(runGateEvalUnsigned(compiled, intent, options).traceInput) // the unsigned record
 */
export function runGateEvalUnsigned(compiled: CompiledPolicy, intent: Intent, options: UnsignedGateEvalOptions): UnsignedGateEval {
  const started = options.clock.now();
  const decision = evaluate(compiled, intent, { evaluationTime: options.evaluationTime, contextEnvelope: options.contextEnvelope });
  let verdict: Verdict = decision.verdict;
  let reasonCodes: readonly string[] = decision.reasonCodes;
  let violations: readonly string[] = decision.violations;
  let approval: ApprovalStepResult | undefined;
  if (verdict === 'require_approval' && decision.intent !== undefined) {
    approval = approvalStep(compiled, decision, decision.intent, options);
    reasonCodes = sortedUnion(reasonCodes, approval.addedReasons);
    violations = sortedUnion(violations, approval.addedViolations);
    if (approval.granted) verdict = 'allow';
  }
  const observedAt = options.clock.now();
  const prepared = decision.intent ?? intent;
  const traceInput: TraceInput = {
    intent: prepared,
    verdict,
    violations,
    reasonCodes,
    policyDigest: decision.policyDigest,
    // An intent that could not be prepared has no prepared digest; the trace binds the digest of the
    // intent as received, so it still verifies (a trace with an empty digest would not).
    intentDigest: decision.intent === undefined ? intentDigestOf(intent) : decision.intentDigest,
    argsDigest: argsDigest(prepared),
    producerVersion: options.producerVersion,
    observedAt,
    correlationId: options.correlationId,
    latencyMs: elapsedMs(started, observedAt),
    matchedRule: decision.matchedRule,
    contextSource: decision.contextSource,
    approvalTokenRef: approval?.granted === true ? approval.approvalRef : (options.approvalTokenRef ?? ''),
  };
  return { decision, verdict, reasonCodes, violations, approval, traceInput };
}

/**
 * Evaluates a normalized intent, applies the approval step and signs the trace.
 * @throws GaitError only for a broken invariant (the evaluator itself returns decisions as values)
 */
export function runGateEval(compiled: CompiledPolicy, intent: Intent, options: GateEvalOptions): GateEvalResult {
  const { decision, verdict, reasonCodes, violations, approval, traceInput } = runGateEvalUnsigned(compiled, intent, options);
  const trace = buildSignedTrace(traceInput, options.signingKey);
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
  const approvalAudit = approval === undefined ? undefined : auditRecord(decision, traceInput.intent, approval, traceId, options);
  return {
    decision,
    verdict,
    reasonCodes,
    violations,
    presented,
    simulated,
    requiredApprovals: approval?.requiredApprovals ?? decision.minApprovals,
    validApprovals: approval?.validApprovals ?? 0,
    approvalRef: approval?.granted === true ? approval.approvalRef : '',
    approvalEntries: approval?.entries ?? [],
    traceId,
    trace,
    approvalAudit,
  };
}

/** §A9.6 with the bindings of §A9.4 and single-use consumption (§A9.7). */
function approvalStep(compiled: CompiledPolicy, decision: Decision, prepared: Intent, options: UnsignedGateEvalOptions): ApprovalStepResult {
  const now = options.clock.now();
  return runApprovalStep(options.approvals ?? NO_TOKENS, {
    expectation: expectedApprovalBindings(prepared, decision.policyDigest, decision.intentDigest),
    minApprovals: decision.minApprovals,
    requireDistinctApprovers: decision.requireDistinctApprovers,
    reuse: compiled.policy.approvals.reuse,
    now,
    consumedAt: formatTimestamp(now),
    allowTraceId: traceIdOf(decision.policyDigest, decision.intentDigest, 'allow'),
  });
}

/** §A10: the signed approval audit record of this evaluation. */
function auditRecord(decision: Decision, prepared: Intent, approval: ApprovalStepResult, traceId: string, options: GateEvalOptions): JsonObject {
  const record = buildApprovalAuditRecord({
    createdAt: prepared.createdAt,
    producerVersion: options.producerVersion,
    traceId,
    toolName: prepared.toolName,
    intentDigest: decision.intentDigest,
    policyDigest: decision.policyDigest,
    requiredApprovals: approval.requiredApprovals,
    entries: approval.entries,
  });
  return signApprovalAuditRecord(record, options.signingKey);
}
