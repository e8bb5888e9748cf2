/**
 * The emergency-stop step of MCP-path decisions (mcp-and-export.md §4 step 7): when the call names a
 * job that is emergency-stopped, or whose status cannot be read, the outcome becomes `block` (fail
 * closed) and the signed trace is re-emitted for it. Pure: the job status comes in as a value.
 */
import { parseTimestamp } from '../../runtime/timestamp.js';
import { argsDigest } from '../../schema/v1/intent-digest.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { sortedUnion } from '../gate/sorted.js';
import { buildTraceRecord, signTrace } from '../trace/build.js';
import type { SigningKey } from '../../crypto/keys.js';
import type { McpEvalResult } from './evaluate-call.js';

export const EMERGENCY_STOP_PREEMPTED = 'emergency_stop_preempted';
export const EMERGENCY_STOP_STATE_UNAVAILABLE = 'emergency_stop_state_unavailable';
export const EMERGENCY_STOP_ACTIVE = 'emergency_stop_active';

/** What the transport found for the call's `context.job_id`. */
export type JobStopState =
  | { readonly status: 'none' }
  | { readonly status: 'running' }
  | { readonly status: 'stopped' }
  | { readonly status: 'unavailable'; readonly error: string };

export interface EmergencyStopOutcome {
  readonly result: McpEvalResult;
  /** whether the step changed the outcome */
  readonly preempted: boolean;
  /** `job_status_unavailable=<err>` when the status could not be read */
  readonly warnings: readonly string[];
}

function text(record: JsonObject, key: string): string {
  const v = record[key];
  return typeof v === 'string' ? v : '';
}

/** Re-signs the trace for the blocked outcome, keeping the first trace's inputs (and its `mcp_trust`). */
function retraceBlocked(result: McpEvalResult, reasonCodes: readonly string[], violations: readonly string[], key: SigningKey): JsonObject {
  const gate = result.gate;
  const first = result.trace;
  const prepared = gate.decision.intent;
  if (prepared === undefined) return first; // an unnormalizable intent is blocked already
  const latency = first['latency_ms'];
  const record = buildTraceRecord({
    intent: prepared,
    verdict: 'block',
    violations,
    reasonCodes,
    policyDigest: gate.decision.policyDigest,
    intentDigest: gate.decision.intentDigest,
    argsDigest: argsDigest(prepared),
    producerVersion: text(first, 'producer_version'),
    observedAt: parseTimestamp(text(first, 'observed_at')),
    correlationId: text(first, 'correlation_id'),
    latencyMs: typeof latency === 'number' ? latency : 0,
    matchedRule: gate.decision.matchedRule,
    contextSource: gate.decision.contextSource,
    approvalTokenRef: text(first, 'approval_token_ref'),
  });
  const trust = first['mcp_trust'];
  return signTrace(trust === undefined ? record : { ...record, mcp_trust: trust }, key);
}

function signedDigest(trace: JsonObject): string {
  const sig = trace['signature'];
  return sig !== null && typeof sig === 'object' && !Array.isArray(sig) ? text(sig, 'signed_digest') : '';
}

/**
 * Applies §4 step 7 to an MCP decision.
 * @example applyEmergencyStop(result, {status: 'unavailable', error: 'no such file'}, key).result.verdict // 'block'
 */
export function applyEmergencyStop(result: McpEvalResult, state: JobStopState, key: SigningKey): EmergencyStopOutcome {
  if (state.status === 'none' || state.status === 'running') return { result, preempted: false, warnings: [] };
  const reason = state.status === 'stopped' ? EMERGENCY_STOP_PREEMPTED : EMERGENCY_STOP_STATE_UNAVAILABLE;
  const warnings = state.status === 'unavailable' ? [`job_status_unavailable=${state.error}`] : [];
  const reasonCodes = sortedUnion(result.reasonCodes, [reason]);
  const violations = sortedUnion(result.violations, [EMERGENCY_STOP_ACTIVE]);
  const trace = retraceBlocked(result, reasonCodes, violations, key);
  return {
    result: { ...result, verdict: 'block', reasonCodes, violations, trace, traceId: text(trace, 'trace_id'), traceDigest: signedDigest(trace) },
    preempted: true,
    warnings,
  };
}
