/**
 * OpenTelemetry views of a ServiceEvent (docs/contracts/exports.md "Service events"): the OTEL-style
 * JSONL line (shaped as mcp-and-export.md §6.2) and the OTLP log record (§6.4), both at severity
 * WARN. The `body` names the event (`gait.mcp.serve.<event>`), never `gait.mcp.proxy.decision`, and
 * there is no `trace_id`: no decision, no trace. Pure.
 */
import { canonicalize } from '../jcs/canonicalize.js';
import type { JsonObject } from '../schema/v1/json-types.js';
import { keyValues, unixNanos } from './otel-attributes.js';
import type { ServiceEvent } from './types.js';

/** OpenTelemetry severity number of WARN. */
export const SEVERITY_WARN = 13;

/** `gait.mcp.serve.policy_reload_failed` / `gait.mcp.serve.trust_snapshot_reload_failed`. */
export function serviceEventBody(event: ServiceEvent): string {
  return `gait.mcp.serve.${event.kind}`;
}

/** The attributes of a service event: every one always present (`""` when empty), keys sorted. */
export function serviceEventAttributes(event: ServiceEvent): JsonObject {
  return {
    'gait.error': event.error,
    'gait.event': event.kind,
    'gait.policy_digest': event.policyDigest,
    'gait.policy_path': event.policyPath,
    'gait.producer_version': event.producerVersion,
    'gait.rejected_file_digest': event.rejectedFileDigest,
    'gait.snapshot_path': event.snapshotPath,
  };
}

/**
 * The OTEL-style line as JSON text: `{"attributes", "body", "severity_text": "WARN", "time_unix_nano"}`,
 * keys sorted, `time_unix_nano` exact (bigint).
 */
export function toOtelStyleServiceLine(event: ServiceEvent): string {
  const attributes = canonicalize(serviceEventAttributes(event));
  return `{"attributes":${attributes},"body":${JSON.stringify(serviceEventBody(event))},"severity_text":"WARN","time_unix_nano":${unixNanos(event.createdAt).toString()}}`;
}

/** One OTLP log record: severity 13 `WARN`, the body and attributes above; no `traceId`/`spanId`. */
export function toOtlpServiceLogRecord(event: ServiceEvent, observedUnixNanos: bigint): JsonObject {
  return {
    timeUnixNano: unixNanos(event.createdAt).toString(),
    observedTimeUnixNano: observedUnixNanos.toString(),
    severityNumber: SEVERITY_WARN,
    severityText: 'WARN',
    body: { stringValue: serviceEventBody(event) },
    attributes: keyValues(serviceEventAttributes(event)),
  };
}
