/**
 * Builds the DecisionEvent of one signed decision (mcp-and-export.md §6.1) and renders it as the
 * decision-log JSONL line. Pure.
 *
 * STABLE API: `buildDecisionEvent(input): DecisionEvent`, `toDecisionLogJson(event): JsonObject`,
 * `DecisionEventInput`. Change only additively.
 */
import { signedDigestOf, stringMember } from '../artifacts/signed/members.js';
import { GaitError } from '../errors/error.js';
import { FALLBACK_CREATED_AT, formatTimestamp, isZeroTime, parseTimestamp, toUtc } from '../runtime/timestamp.js';
import type { Timestamp } from '../runtime/timestamp-type.js';
import { isJsonObject } from '../schema/v1/decode.js';
import type { JsonObject } from '../schema/v1/json-types.js';
import { redactValue } from './redact.js';
import type { DecisionEvent, McpEventAttributes } from './types.js';

export interface DecisionEventInput {
  /** the signed trace record the event describes (source of trace id, digests, key id, delegation ref) */
  readonly trace: JsonObject;
  /** where the trace was written; '' or absent when it was not */
  readonly tracePath?: string;
  /** the resolved run id (§4 step 10) */
  readonly runId: string;
  /** the CLI/library version */
  readonly producerVersion: string;
  /** the final verdict and reasons (after trust and emergency stop); default: the trace's verdict, no reasons */
  readonly verdict?: string;
  readonly reasonCodes?: readonly string[];
  /** default: the trace's `tool_name` */
  readonly toolName?: string;
  /** default: the trace's `created_at` */
  readonly createdAt?: Timestamp;
  /** from the normalized intent context (§12: `job_id`, `phase`) */
  readonly sessionId?: string;
  readonly jobId?: string;
  readonly phase?: string;
  /** decision latency in ms; rounded down, negative → 0 */
  readonly decisionLatencyMs?: number;
  /** MCP/GenAI attributes; default method `tools/call` */
  readonly mcp?: Partial<McpEventAttributes>;
  /** the normalized args; exported (redacted) only when `includeArgs` is true */
  readonly args?: JsonObject;
  /** opt-in: raw args are never exported otherwise */
  readonly includeArgs?: boolean;
}

function traceCreatedAt(trace: JsonObject): Timestamp {
  const raw = stringMember(trace, 'created_at');
  if (raw === '') return FALLBACK_CREATED_AT;
  try {
    return parseTimestamp(raw);
  } catch {
    return FALLBACK_CREATED_AT;
  }
}

/** §6.1: `delegation_ref` = the trace's `delegation_ref.delegation_token_ref`, else its `chain_digest`. */
function delegationOf(trace: JsonObject): { ref: string; depth: number } {
  const ref = trace['delegation_ref'];
  if (!isJsonObject(ref)) return { ref: '', depth: 0 };
  const depth = ref['delegation_depth'];
  return {
    ref: stringMember(ref, 'delegation_token_ref') || stringMember(ref, 'chain_digest'),
    depth: typeof depth === 'number' && Number.isSafeInteger(depth) && depth > 0 ? depth : 0,
  };
}

function latency(ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return 0;
  return Math.floor(ms);
}

/**
 * Builds the exported view of one decision from its signed trace.
 * @throws GaitError `internal_failure` when the trace carries no signature (every exported event MUST
 *   carry the digest of the signed trace it describes)
 * @example buildDecisionEvent({trace: result.trace, runId: 'run_mcp_abc', producerVersion: '0.1.0', verdict: 'block', reasonCodes: ['blocked']})
 */
export function buildDecisionEvent(input: DecisionEventInput): DecisionEvent {
  const { trace } = input;
  const traceDigest = signedDigestOf(trace);
  if (traceDigest === '') throw new GaitError('internal_failure', 'decision event needs a signed trace');
  const createdAt = input.createdAt ?? traceCreatedAt(trace);
  const delegation = delegationOf(trace);
  return {
    createdAt: isZeroTime(createdAt) ? FALLBACK_CREATED_AT : toUtc(createdAt),
    producerVersion: input.producerVersion,
    runId: input.runId,
    sessionId: input.sessionId ?? '',
    jobId: input.jobId ?? '',
    phase: input.phase ?? '',
    traceId: stringMember(trace, 'trace_id'),
    tracePath: input.tracePath ?? '',
    traceDigest,
    traceKeyId: stringMember(trace['signature'], 'key_id'),
    toolName: input.toolName ?? stringMember(trace, 'tool_name'),
    verdict: input.verdict ?? stringMember(trace, 'verdict'),
    reasonCodes: [...(input.reasonCodes ?? [])],
    policyDigest: stringMember(trace, 'policy_digest'),
    intentDigest: stringMember(trace, 'intent_digest'),
    decisionLatencyMs: latency(input.decisionLatencyMs),
    delegationRef: delegation.ref,
    delegationDepth: delegation.depth,
    mcp: {
      methodName: input.mcp?.methodName ?? 'tools/call',
      sessionId: input.mcp?.sessionId ?? '',
      serverId: input.mcp?.serverId ?? '',
      serverName: input.mcp?.serverName ?? '',
      toolCallId: input.mcp?.toolCallId ?? '',
      adapter: input.mcp?.adapter ?? '',
    },
    args: input.includeArgs === true && input.args !== undefined ? (redactValue(input.args) as JsonObject) : undefined,
  };
}

/**
 * The §6.1 decision-log line (omit-empty members omitted, keys in the spec's order). With opted-in
 * args, `args` (redacted) is appended as an extension.
 */
export function toDecisionLogJson(event: DecisionEvent): JsonObject {
  const out: JsonObject = {
    created_at: formatTimestamp(event.createdAt),
    producer_version: event.producerVersion,
    run_id: event.runId,
  };
  const put = (key: string, value: string | number): void => {
    if (value !== '' && value !== 0) out[key] = value;
  };
  put('session_id', event.sessionId);
  put('job_id', event.jobId);
  put('phase', event.phase);
  out['trace_id'] = event.traceId;
  put('trace_path', event.tracePath);
  out['trace_digest'] = event.traceDigest;
  out['trace_key_id'] = event.traceKeyId;
  out['tool_name'] = event.toolName;
  out['verdict'] = event.verdict;
  if (event.reasonCodes.length > 0) out['reason_codes'] = [...event.reasonCodes];
  out['policy_digest'] = event.policyDigest;
  out['intent_digest'] = event.intentDigest;
  put('decision_latency_ms', event.decisionLatencyMs);
  put('delegation_ref', event.delegationRef);
  put('delegation_depth', event.delegationDepth);
  if (event.args !== undefined) out['args'] = event.args;
  return out;
}
