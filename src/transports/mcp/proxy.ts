/**
 * The one-shot MCP decision of `gait mcp proxy` (mcp-and-export.md §4 steps 1–10), reusable by
 * `mcp serve` (§5.6): decode the tool call, check the boundary rules, evaluate through the gate
 * pipeline with MCP trust and the emergency stop, signed once (`runMcpEval`), resolve the run id. No
 * files are read or written here; the caller loads inputs and writes the trace and exports.
 *
 * STABLE API: `decideToolCall(request): ProxyDecision`, `toProxyOutput(decision, artifacts)`,
 * `proxyDecisionEvent(decision, options)`. Change only additively.
 */
import { runMcpEval } from '../../artifacts/mcp/evaluate-call.js';
import type { McpEvalOutcome, McpEvalResult, McpEvalSettings } from '../../artifacts/mcp/evaluate-call.js';
import { stringMember } from '../../artifacts/signed/members.js';
import type { ErrorCode } from '../../errors/codes.js';
import { GaitError } from '../../errors/error.js';
import { buildDecisionEvent } from '../../exporters/decision-event.js';
import type { DecisionEvent } from '../../exporters/types.js';
import { toMcpTrustRecord } from '../../policy/mcp-trust.js';
import type { Profile } from '../../policy/profile.js';
import { elapsedMs } from '../../runtime/elapsed.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import { normalizeIntent, toIntentWire } from '../../schema/v1/intent.js';
import type { Intent } from '../../schema/v1/intent-types.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { trimSpec } from '../../schema/v1/text.js';
import { assertOAuthEvidence, decodeToolCallDetailed, effectiveContext, normalizeRunId, parseToolCall, resolveRunId } from '../../schema/v1/tool-call/index.js';
import type { AdapterName, ToolCall, ToolCallContextOverrides } from '../../schema/v1/tool-call/index.js';

export const FALLBACK_CONTEXT_WARNING =
  'standard profile applied fallback intent context; use --profile oss-prod for strict context enforcement';

/**
 * A tool call to decide. The decision settings (`McpEvalSettings`): `compiled`, `trustSnapshot` (the
 * snapshot named by the policy's `mcp_trust.snapshot`, required when the policy has one),
 * `contextEnvelope`, `signingKey`, `clock`, `correlationId`, `producerVersion` and `jobState` (the job
 * status port of the emergency-stop step, §4 step 7).
 */
export interface ProxyRequest extends McpEvalSettings {
  /** adapter name as given (§1: trimmed, case-insensitive) */
  readonly adapter: string;
  /** the tool-call payload: parsed JSON, or its text */
  readonly payload: unknown;
  readonly profile: Profile;
  /** `--run-id` */
  readonly runId?: string;
  /** context values from flags or the serve request that replace the call's */
  readonly contextOverrides?: ToolCallContextOverrides;
  /** when decoding started (the decision-latency clock, §4 step 1); default now */
  readonly startedAt?: Timestamp;
}

export interface ProxyDecision {
  readonly adapter: AdapterName;
  readonly call: ToolCall;
  /** the prepared intent the gate evaluated */
  readonly intent: Intent;
  /** the final outcome (gate, trust, emergency stop) and its signed trace */
  readonly result: McpEvalResult;
  readonly runId: string;
  readonly emergencyStopped: boolean;
  readonly warnings: readonly string[];
  /** integer ms since decoding started, never negative (§4 step 14) */
  readonly decisionLatencyMs: number;
  /** when the decision was taken (trace file names) */
  readonly decidedAt: Timestamp;
}

/** What a decision adds to its evaluation: where the intent came from, the run id and warnings. */
interface DecisionParts {
  readonly adapter: AdapterName;
  readonly call: ToolCall;
  readonly runId: string;
  readonly warnings: readonly string[];
}

/**
 * Refuses a run id that is given (non-blank) but normalizes to nothing (§4 step 10: `///` → ''), before
 * anything is evaluated or written: an empty run id names no run, and the runpack and pack of the
 * decision could not be built (artifacts.md §2.4: `run_id is required`).
 * @param field where the value came from, as the caller wrote it: `--run-id`, `request.run_id`, `call.context.run_id`
 * @throws GaitError `code` (default `input_usage`): ``<field> `<raw>` normalizes to an empty run id``
 * @example assertRunIdUsable('///', 'request.run_id') // throws
 */
export function assertRunIdUsable(raw: string, field: string, code: ErrorCode = 'input_usage'): void {
  if (trimSpec(raw) === '' || normalizeRunId(raw) !== '') return;
  throw new GaitError(code, `${field} \`${trimSpec(raw).replace(/\s+/g, ' ')}\` normalizes to an empty run id`, {
    hint: 'a run id needs at least one letter, digit or `-` (other characters become `_`, leading and trailing `_` are dropped)',
    details: { path: field },
  });
}

/**
 * §4 step 10 with the refusal of `assertRunIdUsable` for the value that is used: the caller's run id
 * when non-blank (the transports check it first under their own name: `--run-id`, `request.run_id`),
 * else the context's.
 */
function checkRunIds(runId: string, contextRunId: string, contextField: string, contextCode: ErrorCode): void {
  if (trimSpec(runId) !== '') assertRunIdUsable(runId, 'run_id');
  else assertRunIdUsable(contextRunId, contextField, contextCode);
}

/** The decision of an evaluation, timed from `startedAt` to now (§4 step 14: whole ms, never negative). */
function toDecision(evaluated: McpEvalOutcome, parts: DecisionParts, settings: McpEvalSettings, startedAt: Timestamp): ProxyDecision {
  const decidedAt = settings.clock.now();
  return {
    ...parts,
    intent: evaluated.intent,
    result: evaluated.result,
    emergencyStopped: evaluated.emergencyStopped,
    decisionLatencyMs: Math.floor(elapsedMs(startedAt, decidedAt)),
    decidedAt,
  };
}

/**
 * §4 steps 1–10 without file I/O.
 * @throws GaitError `input_tool_call` (adapter, payload, boundary and OAuth rules, a `context.run_id`
 *   that normalizes to nothing), `input_usage` (such a `runId`), `input_intent`,
 *   `input_unsupported_feature` (script calls), `policy_profile` (`oss-prod` with `default_verdict: allow`)
 */
export function decideToolCall(request: ProxyRequest): ProxyDecision {
  const startedAt = request.startedAt ?? request.clock.now();
  const decoded = decodeToolCallDetailed(request.adapter, request.payload, {
    profile: request.profile,
    ...(request.contextOverrides === undefined ? {} : { context: request.contextOverrides }),
  });
  const { call } = decoded;
  if (trimSpec(call.context.contextEnvelopePath) !== '') {
    throw new GaitError('input_tool_call', 'call.context.context_envelope_path is not supported; use --context-envelope at the boundary', {
      details: { path: 'context.context_envelope_path' },
    });
  }
  assertOAuthEvidence(effectiveContext(call, request.contextOverrides), request.profile);
  if (request.profile === 'oss-prod' && request.compiled.policy.defaultVerdict === 'allow') {
    throw new GaitError('policy_profile', 'oss-prod profile rejects policy default_verdict=allow; use default_verdict: block or require_approval');
  }
  checkRunIds(request.runId ?? '', call.context.runId, 'call.context.run_id', 'input_tool_call');
  const evaluated = runMcpEval({ settings: request, intent: normalizeIntent(decoded.intent), server: call.server });
  const warnings = [...evaluated.warnings];
  if (request.profile === 'standard' && decoded.fallbackContext) warnings.push(FALLBACK_CONTEXT_WARNING);
  const runId = resolveRunId(request.runId ?? '', call.context.runId, evaluated.result.intentDigest);
  return toDecision(evaluated, { adapter: decoded.adapter, call, runId, warnings }, request, startedAt);
}

/** A ready intent for `decideIntentRequest`, with the decision settings of `McpEvalSettings`. */
export interface IntentDecisionRequest extends McpEvalSettings {
  /** the normalized intent of the request */
  readonly intent: Intent;
  /** the request's run id; '' = the intent's, else derived from the intent digest */
  readonly runId: string;
  /** when the request was received (the decision-latency clock) */
  readonly startedAt: Timestamp;
}

/**
 * Extension (`mcp serve` intent requests, §5.6): a ready intent decided as a call would be after §2
 * (gate pipeline, trust with no server identity, emergency stop, signed once), so one output builder
 * serves both request kinds. The caller applies the boundary rules (profile) first.
 * @throws GaitError `input_usage` / `input_intent` for a run id / `context.run_id` that normalizes to nothing
 */
export function decideIntentRequest(request: IntentDecisionRequest): ProxyDecision {
  checkRunIds(request.runId, request.intent.context.runId, 'intent.context.run_id', 'input_intent');
  const evaluated = runMcpEval({ settings: request, intent: request.intent, server: undefined });
  const prepared = evaluated.intent;
  const runId = resolveRunId(request.runId, prepared.context.runId, evaluated.result.intentDigest);
  const call = parseToolCall('mcp', { name: prepared.toolName });
  return toDecision(evaluated, { adapter: 'mcp', call, runId, warnings: evaluated.warnings }, request, request.startedAt);
}

/** `trace_<run id>_<UTC YYYYMMDDTHHMMSS.nnnnnnnnn>.json` (§4 step 8, §12). */
export function defaultTraceFileName(runId: string, at: Timestamp): string {
  const d = new Date(at.seconds * 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  return `trace_${runId}_${stamp}.${pad(at.nanos, 9)}.json`;
}

/** The `--intents-out` line (§4 step 13). */
export function intentsOutLine(decision: ProxyDecision): JsonObject {
  return { intent_id: 'intent_1', intent: toIntentWire(decision.intent) };
}

export interface ProxyArtifacts {
  readonly tracePath: string;
  readonly runpackPath?: string;
  readonly packPath?: string;
  readonly packId?: string;
  /** `--export-log-out` / `--export-otel-out` paths, when given */
  readonly logExport?: string;
  readonly otelExport?: string;
  readonly warnings?: readonly string[];
  /** a failed file export (§4 exit 1): reported with the decision fields */
  readonly error?: string;
}

/**
 * The §4 output object (all omit-empty except `ok` and `executed`; the proxy never executes the tool).
 * The caller drops empty members (the CLI's `omitEmpty`).
 */
export function toProxyOutput(decision: ProxyDecision, artifacts: ProxyArtifacts): Record<string, unknown> {
  const r = decision.result;
  const context = decision.intent.context;
  return {
    ok: artifacts.error === undefined || artifacts.error === '',
    executed: false,
    adapter: decision.adapter,
    run_id: decision.runId,
    job_id: context.jobId,
    phase: context.phase,
    session_id: context.sessionId,
    tool_name: decision.intent.toolName,
    verdict: r.verdict,
    reason_codes: [...r.reasonCodes],
    violations: [...r.violations],
    policy_digest: r.gate.decision.policyDigest,
    policy_id: stringMember(r.trace, 'policy_id'),
    policy_version: stringMember(r.trace, 'policy_version'),
    matched_rule_ids: r.gate.decision.matchedRule === '' ? [] : [r.gate.decision.matchedRule],
    intent_digest: r.intentDigest,
    decision_latency_ms: decision.decisionLatencyMs,
    trace_id: r.traceId,
    trace_path: artifacts.tracePath,
    trace_digest: r.traceDigest,
    key_id: r.keyId,
    runpack_path: artifacts.runpackPath,
    pack_path: artifacts.packPath,
    pack_id: artifacts.packId,
    log_export: artifacts.logExport,
    otel_export: artifacts.otelExport,
    mcp_trust: r.mcpTrust === undefined ? undefined : toMcpTrustRecord(r.mcpTrust),
    warnings: [...new Set([...decision.warnings, ...(artifacts.warnings ?? [])])].sort(),
    relationship: r.trace['relationship'],
    error: artifacts.error,
  };
}

export interface ProxyEventOptions {
  readonly tracePath: string;
  readonly producerVersion: string;
  /** opt-in: export the normalized args (redacted) */
  readonly includeArgs?: boolean;
  /** MCP attributes (gateway: session, JSON-RPC id, server) */
  readonly mcp?: Parameters<typeof buildDecisionEvent>[0]['mcp'];
}

/** The DecisionEvent of a proxy decision (§6.1), carrying the signed trace's digest and key id. */
export function proxyDecisionEvent(decision: ProxyDecision, options: ProxyEventOptions): DecisionEvent {
  const r = decision.result;
  const context = decision.intent.context;
  return buildDecisionEvent({
    trace: r.trace,
    tracePath: options.tracePath,
    runId: decision.runId,
    producerVersion: options.producerVersion,
    verdict: r.verdict,
    reasonCodes: r.reasonCodes,
    toolName: decision.intent.toolName,
    createdAt: decision.intent.createdAt,
    sessionId: context.sessionId,
    jobId: context.jobId,
    phase: context.phase,
    decisionLatencyMs: decision.decisionLatencyMs,
    mcp: {
      adapter: decision.adapter,
      serverId: decision.call.server?.serverId.trim() ?? '',
      serverName: decision.call.server?.serverName.trim() ?? '',
      ...options.mcp,
    },
    args: decision.intent.args,
    includeArgs: options.includeArgs === true,
  });
}
