/**
 * One MCP-path decision (mcp-and-export.md §4 step 6 and 8, §5.6): the `gate eval` pipeline
 * (`runGateEval`, unchanged), then MCP server trust applied to its result (§3.3), then the signed
 * trace of the final outcome carrying the `mcp_trust` decision object. The emergency stop (§4
 * step 7) follows in `emergency-stop.ts`. Pure: the policy, the
 * normalized intent, the loaded trust snapshot, the key and the clock come in as values.
 */
import { GaitError } from '../../errors/error.js';
import type { CompiledPolicy } from '../../policy/compile.js';
import { applyMcpTrust, evaluateMcpTrust, toMcpTrustRecord } from '../../policy/mcp-trust.js';
import type { McpServerRef, McpTrustDecision, TrustableOutcome, TrustSnapshotState } from '../../policy/mcp-trust.js';
import type { Verdict } from '../../policy/model.js';
import { parseTimestamp } from '../../runtime/timestamp.js';
import { argsDigest } from '../../schema/v1/intent-digest.js';
import type { Intent } from '../../schema/v1/intent-types.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { runGateEval } from '../gate/gate-eval.js';
import type { GateEvalOptions, GateEvalResult } from '../gate/gate-eval.js';
import { buildTraceRecord, signTrace } from '../trace/build.js';

export interface McpEvalInput {
  readonly compiled: CompiledPolicy;
  /** the normalized intent built from the tool call (§2) */
  readonly intent: Intent;
  /** the call's `server` object; undefined when it has none */
  readonly server: McpServerRef | undefined;
  /** the snapshot named by `mcp_trust.snapshot`; required when the policy enables trust */
  readonly trustSnapshot: TrustSnapshotState | undefined;
  /** as for `gate eval`; `simulate` must be false on MCP paths (they have no observe mode) */
  readonly gate: GateEvalOptions;
}

export interface McpEvalResult {
  /** the gate result before trust */
  readonly gate: GateEvalResult;
  readonly verdict: Verdict;
  readonly reasonCodes: readonly string[];
  readonly violations: readonly string[];
  /** undefined when the policy has no `mcp_trust` block */
  readonly mcpTrust: McpTrustDecision | undefined;
  readonly traceId: string;
  /** the signed trace of the final outcome */
  readonly trace: JsonObject;
  /** the trace's `signature.signed_digest` (`trace_digest`, §4 output) */
  readonly traceDigest: string;
  /** the signing key id */
  readonly keyId: string;
}

function stringMember(record: JsonObject, key: string): string {
  const v = record[key];
  return typeof v === 'string' ? v : '';
}

/**
 * Re-emits the gate's trace for the trust-adjusted outcome (§4 step 8: "the trace carries `mcp_trust`").
 * Every input but the outcome is the gate's own, so a trace without a trust change differs from the
 * gate's only by the `mcp_trust` member.
 */
function retrace(input: McpEvalInput, gate: GateEvalResult, outcome: TrustableOutcome, trust: McpTrustDecision): JsonObject {
  const prepared = gate.decision.intent ?? input.intent;
  const first = gate.trace;
  const latency = first['latency_ms'];
  const record = buildTraceRecord({
    intent: prepared,
    verdict: outcome.verdict,
    violations: outcome.violations,
    reasonCodes: outcome.reasonCodes,
    policyDigest: gate.decision.policyDigest,
    intentDigest: gate.decision.intentDigest,
    argsDigest: argsDigest(prepared),
    producerVersion: input.gate.producerVersion,
    observedAt: parseTimestamp(stringMember(first, 'observed_at')),
    correlationId: input.gate.correlationId,
    latencyMs: typeof latency === 'number' ? latency : 0,
    matchedRule: gate.decision.matchedRule,
    contextSource: gate.decision.contextSource,
    approvalTokenRef: stringMember(first, 'approval_token_ref'),
  });
  return signTrace({ ...record, mcp_trust: toMcpTrustRecord(trust) }, input.gate.signingKey);
}

function signedDigestOf(trace: JsonObject): string {
  const sig = trace['signature'];
  if (sig === null || typeof sig !== 'object' || Array.isArray(sig)) return '';
  const digest = (sig as JsonObject)['signed_digest'];
  return typeof digest === 'string' ? digest : '';
}

/**
 * Evaluates one MCP tool call's intent: gate pipeline, trust, signed trace.
 * @returns the final outcome and its signed trace
 * @throws GaitError `internal_failure` when trust is enabled but no snapshot state was given (a
 *   transport bug), as `runGateEval` otherwise
 * @example const r = runMcpEval({ compiled, intent, server, trustSnapshot, gate: options }); r.verdict;
 */
export function runMcpEval(input: McpEvalInput): McpEvalResult {
  const gate = runGateEval(input.compiled, input.intent, input.gate);
  const config = input.compiled.policy.mcpTrust;
  const base = { gate, keyId: input.gate.signingKey.keyId };
  if (config === undefined) {
    return { ...base, verdict: gate.verdict, reasonCodes: gate.reasonCodes, violations: gate.violations, mcpTrust: undefined, traceId: gate.traceId, trace: gate.trace, traceDigest: signedDigestOf(gate.trace) };
  }
  if (input.trustSnapshot === undefined) throw new GaitError('internal_failure', 'mcp trust is enabled but no trust snapshot was loaded');
  const prepared = gate.decision.intent ?? input.intent;
  const trust = evaluateMcpTrust(config, input.server, prepared.context.riskClass, input.trustSnapshot, input.gate.evaluationTime);
  const outcome = applyMcpTrust(gate, trust, config.action);
  const trace = retrace(input, gate, outcome, trust);
  return { ...base, ...outcome, mcpTrust: trust, traceId: String(trace['trace_id']), trace, traceDigest: signedDigestOf(trace) };
}
