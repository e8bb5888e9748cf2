/**
 * One MCP-path decision (mcp-and-export.md §4 steps 6-8, §5.6): the `gate eval` pipeline without its
 * signature (`runGateEvalUnsigned`), MCP server trust applied to its outcome (§3.3), the emergency
 * stop (§4 step 7, `emergency-stop.ts`), then one trace record for the final outcome, carrying the
 * `mcp_trust` decision object, signed once. Pure: the policy, the normalized intent, the loaded trust
 * snapshot, the key and the clock come in as values, the job status through a port.
 *
 * An intent that cannot be prepared (gate.md §A5.2 step 2: fail-closed `block`, no prepared digest)
 * is still decided here, because MCP paths answer with a decision: its trace carries the digest of
 * the normalized intent as received (what `policy test` reports) and the final outcome, so it
 * verifies like every other trace.
 */
import type { SigningKey } from '../../crypto/keys.js';
import { GaitError } from '../../errors/error.js';
import type { CompiledPolicy } from '../../policy/compile.js';
import { applyMcpTrust, evaluateMcpTrust, toMcpTrustRecord } from '../../policy/mcp-trust.js';
import type { McpServerRef, McpTrustDecision, TrustableOutcome, TrustSnapshotState } from '../../policy/mcp-trust.js';
import type { Clock } from '../../runtime/clock.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import type { ContextEnvelope } from '../../schema/v1/context-envelope.js';
import type { Intent } from '../../schema/v1/intent-types.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { runGateEvalUnsigned } from '../gate/gate-eval.js';
import type { UnsignedGateEval, UnsignedGateEvalOptions } from '../gate/gate-eval.js';
import { signedDigestOf } from '../signed/members.js';
import { buildSignedTrace, buildTraceRecord, signTrace } from '../trace/build.js';
import type { TraceInput } from '../trace/types.js';
import { applyEmergencyStop } from './emergency-stop.js';
import type { JobStopState } from './emergency-stop.js';

/** What every MCP decision (proxy, serve, gateway) is taken with, besides the call. */
export interface McpEvalSettings {
  readonly compiled: CompiledPolicy;
  /** the snapshot named by `mcp_trust.snapshot`; required when the policy enables trust */
  readonly trustSnapshot: TrustSnapshotState | undefined;
  readonly contextEnvelope: ContextEnvelope | undefined;
  readonly signingKey: SigningKey;
  /** evaluation time (read once, first), trace `observed_at` and `latency_ms` */
  readonly clock: Clock;
  readonly correlationId: string;
  readonly producerVersion: string;
  /** the job status port of the emergency-stop step (§4 step 7), asked with the prepared intent's job id */
  readonly jobState: (jobId: string) => JobStopState;
}

export interface McpEvalInput {
  readonly settings: McpEvalSettings;
  /** the normalized intent built from the tool call (§2) */
  readonly intent: Intent;
  /** the call's `server` object; undefined when it has none */
  readonly server: McpServerRef | undefined;
}

/** The final outcome (gate, trust, emergency stop: `verdict`, `reasonCodes`, `violations`) and its signed trace. */
export interface McpEvalResult extends TrustableOutcome {
  /** the gate outcome before trust and the emergency stop */
  readonly gate: UnsignedGateEval;
  /** undefined when the policy has no `mcp_trust` block */
  readonly mcpTrust: McpTrustDecision | undefined;
  /**
   * the trace's `intent_digest`: the prepared intent's (`gate.decision.intentDigest`), else, for an
   * intent that could not be prepared, the digest of the normalized intent as received
   */
  readonly intentDigest: string;
  readonly traceId: string;
  /** the signed trace of the final outcome */
  readonly trace: JsonObject;
  /** the trace's `signature.signed_digest` (`trace_digest`, §4 output) */
  readonly traceDigest: string;
  /** the signing key id */
  readonly keyId: string;
}

export interface McpEvalOutcome {
  readonly result: McpEvalResult;
  /** the prepared intent the gate evaluated (the normalized one when it could not be prepared) */
  readonly intent: Intent;
  /** whether the emergency stop changed the outcome */
  readonly emergencyStopped: boolean;
  /** `job_status_unavailable=<err>` when the job status could not be read */
  readonly warnings: readonly string[];
}

/** The gate options of every MCP path: no observe mode (§4), no approval tokens. */
function gateOptions(settings: McpEvalSettings): UnsignedGateEvalOptions {
  return {
    evaluationTime: settings.clock.now(),
    clock: settings.clock,
    producerVersion: settings.producerVersion,
    correlationId: settings.correlationId,
    ...(settings.contextEnvelope === undefined ? {} : { contextEnvelope: settings.contextEnvelope }),
  };
}

interface TrustStep {
  readonly decision: McpTrustDecision;
  readonly outcome: TrustableOutcome;
}

/** §3.3: the trust decision for the call and the outcome it leaves; undefined without `mcp_trust`. */
function trustStep(input: McpEvalInput, gate: UnsignedGateEval, prepared: Intent, evaluationTime: Timestamp): TrustStep | undefined {
  const config = input.settings.compiled.policy.mcpTrust;
  if (config === undefined) return undefined;
  const snapshot = input.settings.trustSnapshot;
  if (snapshot === undefined) throw new GaitError('internal_failure', 'mcp trust is enabled but no trust snapshot was loaded');
  const decision = evaluateMcpTrust(config, input.server, prepared.context.riskClass, snapshot, evaluationTime);
  return { decision, outcome: applyMcpTrust(gate, decision, config.action) };
}

/**
 * The one signed trace (§4 step 8): the gate's trace inputs with the final outcome and the intent
 * digest the trace binds, plus `mcp_trust`.
 */
function signedTrace(gate: UnsignedGateEval, digest: string, final: TrustableOutcome, trust: McpTrustDecision | undefined, key: SigningKey): JsonObject {
  const { verdict, violations, reasonCodes } = final;
  const input: TraceInput = Object.assign({}, gate.traceInput, { intentDigest: digest, verdict, violations, reasonCodes });
  // Without trust the record is signed as built (one member-rule pass); `mcp_trust` is added to the
  // built record, so that record goes through signTrace's rules again.
  if (trust === undefined) return buildSignedTrace(input, key);
  const record = buildTraceRecord(input);
  record['mcp_trust'] = toMcpTrustRecord(trust);
  return signTrace(record, key);
}

/**
 * Decides one MCP tool call's intent: gate pipeline, trust, emergency stop, one signed trace.
 * @returns the final outcome with its signed trace, the prepared intent and the stop's effect
 * @throws GaitError `internal_failure` when trust is enabled but no snapshot state was given (a
 *   transport bug), as `runGateEvalUnsigned` otherwise
 * @example runMcpEval({ settings, intent, server }).result.verdict // 'allow'
 */
export function runMcpEval(input: McpEvalInput): McpEvalOutcome {
  const options = gateOptions(input.settings);
  const gate = runGateEvalUnsigned(input.settings.compiled, input.intent, options);
  const prepared = gate.decision.intent ?? input.intent;
  const trust = trustStep(input, gate, prepared, options.evaluationTime);
  const trusted: TrustableOutcome = trust?.outcome ?? gate;
  const stop = applyEmergencyStop(trusted, input.settings.jobState(prepared.context.jobId));
  // The prepared intent's digest, or for an intent that could not be prepared (gate.md §A5.2 step 2)
  // the digest of the intent as received, so that its trace still verifies (§A7.1: hex64).
  const digest = gate.traceInput.intentDigest;
  const trace = signedTrace(gate, digest, stop.outcome, trust?.decision, input.settings.signingKey);
  const { verdict, reasonCodes, violations } = stop.outcome;
  return {
    result: {
      gate,
      verdict,
      reasonCodes,
      violations,
      mcpTrust: trust?.decision,
      intentDigest: digest,
      traceId: String(trace['trace_id']),
      trace,
      traceDigest: signedDigestOf(trace),
      keyId: input.settings.signingKey.keyId,
    },
    intent: prepared,
    emergencyStopped: stop.preempted,
    warnings: stop.warnings,
  };
}
