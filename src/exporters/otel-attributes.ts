/**
 * OpenTelemetry views of a DecisionEvent: the OTEL-style JSONL line (mcp-and-export.md §6.2) and the
 * OTLP/HTTP JSON logs request (§6.4). Pure; time as bigint nanoseconds (values exceed 2^53).
 */
import { canonicalize } from '../jcs/canonicalize.js';
import type { Timestamp } from '../runtime/timestamp-type.js';
import type { JsonObject, JsonValue } from '../schema/v1/json-types.js';
import type { DecisionEvent } from './types.js';

export const DECISION_EVENT_BODY = 'gait.mcp.proxy.decision';

/** Nanoseconds since the Unix epoch as bigint (`1980-01-01T00:00:00Z` → 315532800000000000n). */
export function unixNanos(ts: Timestamp): bigint {
  return BigInt(ts.seconds) * 1_000_000_000n + BigInt(ts.nanos);
}

/** §6.2 attributes: every one always present (`""`, `0`, `[]`). Opted-in args as `gen_ai.tool.call.arguments`. */
export function otelStyleAttributes(event: DecisionEvent): JsonObject {
  const out: JsonObject = {
    'gait.decision_latency_ms': event.decisionLatencyMs,
    'gait.delegation_depth': event.delegationDepth,
    'gait.delegation_ref': event.delegationRef,
    'gait.intent_digest': event.intentDigest,
    'gait.job_id': event.jobId,
    'gait.phase': event.phase,
    'gait.policy_digest': event.policyDigest,
    'gait.reason_codes': [...event.reasonCodes],
    'gait.run_id': event.runId,
    'gait.session_id': event.sessionId,
    'gait.tool_name': event.toolName,
    'gait.trace_digest': event.traceDigest,
    'gait.trace_key_id': event.traceKeyId,
    'gait.trace_path': event.tracePath,
    'gait.verdict': event.verdict,
  };
  if (event.args !== undefined) out['gen_ai.tool.call.arguments'] = canonicalize(event.args);
  return out;
}

/**
 * The §6.2 OTEL-style line as JSON text (keys sorted; `time_unix_nano` an exact integer > 2^53, so the
 * text is assembled here rather than through `JSON.stringify` of a number).
 */
export function toOtelStyleLine(event: DecisionEvent): string {
  const attributes = canonicalize(otelStyleAttributes(event));
  const traceId = JSON.stringify(event.traceId);
  return `{"attributes":${attributes},"body":"${DECISION_EVENT_BODY}","severity_text":"INFO","time_unix_nano":${unixNanos(event.createdAt).toString()},"trace_id":${traceId}}`;
}

/** OTLP JSON AnyValue: strings `stringValue`, integers decimal-string `intValue`, arrays `arrayValue`. */
function anyValue(value: JsonValue): JsonObject {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (value === null) return { arrayValue: {} };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return { kvlistValue: { values: Object.entries(value).map(([key, v]) => ({ key, value: anyValue(v) })) } };
}

/** OTLP JSON attributes (`[{key, value: AnyValue}]`), in the object's key order. */
export function keyValues(attributes: JsonObject): JsonObject[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

/**
 * One OTLP log record (§6.4): the §6.2 attributes plus `gait.trace_id` and the GenAI/MCP names
 * (`gen_ai.operation.name` = `execute_tool`, `gen_ai.tool.name`, `mcp.method.name`), and, when known,
 * `mcp.session.id`, `gen_ai.tool.call.id`, `gait.adapter`, `gait.mcp.server_id`, `gait.mcp.server_name`.
 * No OTLP `traceId`/`spanId` is set.
 */
export function toOtlpLogRecord(event: DecisionEvent, observedUnixNanos: bigint): JsonObject {
  const attributes: JsonObject = {
    ...otelStyleAttributes(event),
    'gait.trace_id': event.traceId,
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': event.toolName,
    'mcp.method.name': event.mcp.methodName || 'tools/call',
  };
  const optional: readonly [string, string][] = [
    ['mcp.session.id', event.mcp.sessionId],
    ['gen_ai.tool.call.id', event.mcp.toolCallId],
    ['gait.adapter', event.mcp.adapter],
    ['gait.mcp.server_id', event.mcp.serverId],
    ['gait.mcp.server_name', event.mcp.serverName],
  ];
  for (const [key, value] of optional) if (value !== '') attributes[key] = value;
  return {
    timeUnixNano: unixNanos(event.createdAt).toString(),
    observedTimeUnixNano: observedUnixNanos.toString(),
    severityNumber: 9,
    severityText: 'INFO',
    body: { stringValue: DECISION_EVENT_BODY },
    attributes: keyValues(attributes),
  };
}

/** The §6.4 request body for a batch of log records. */
export function toOtlpLogsRequest(records: readonly JsonObject[], serviceVersion: string): JsonObject {
  return {
    resourceLogs: [
      {
        resource: { attributes: keyValues({ 'service.name': 'gait', 'service.version': serviceVersion }) },
        scopeLogs: [{ scope: { name: 'gait.mcp', version: serviceVersion }, logRecords: [...records] }],
      },
    ],
  };
}
