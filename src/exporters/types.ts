/**
 * The exporter interface (mcp-and-export.md §6). One DecisionEvent per evaluated decision; each
 * exporter (JSONL decision log, OTEL-style JSONL, OTLP/HTTP, or your own) receives it.
 *
 * STABLE API (used by `gait mcp proxy`, `gait mcp serve` and the gateway): `DecisionEvent`,
 * `DecisionExporter`, `ExportOutcome`, `ExportStats`, `ExportWarning`, `ServiceEvent`. Change only
 * additively.
 *
 * Besides decisions, a long-running service hands its exporters **service events** (§5.3: a policy or
 * trust snapshot reload that was rejected) through the optional `exportServiceEvent`; an exporter
 * without it simply does not receive them (docs/adr/0011-service-events-in-exports.md).
 *
 * Rules every exporter keeps: `export()` never throws and never blocks a decision (file exporters
 * write synchronously and report failure in the outcome; network exporters enqueue); failures and
 * drops are counted in `stats()` and reported through the `onWarning` callback, never silently.
 */
import type { Timestamp } from '../runtime/timestamp-type.js';
import type { JsonObject } from '../schema/v1/json-types.js';

/** MCP/GenAI attributes of the call (OpenTelemetry semantic conventions); '' = unknown. */
export interface McpEventAttributes {
  /** `mcp.method.name`; `tools/call` for tool calls */
  readonly methodName: string;
  /** `mcp.session.id` (the MCP transport session, gateway) */
  readonly sessionId: string;
  /** `gait.mcp.server_id` / `gait.mcp.server_name` of the upstream server (gateway, trust) */
  readonly serverId: string;
  readonly serverName: string;
  /** `gen_ai.tool.call.id` (JSON-RPC request id or the adapter's call id) */
  readonly toolCallId: string;
  /** `gait.adapter`: the adapter that decoded the call (`mcp`, `openai`, …) */
  readonly adapter: string;
}

/** One decision, as exported (§6.1 fields, camelCase). Built by `buildDecisionEvent`. */
export interface DecisionEvent {
  /** gate result `created_at`, UTC (`1980-01-01T00:00:00Z` when unset) */
  readonly createdAt: Timestamp;
  readonly producerVersion: string;
  readonly runId: string;
  readonly sessionId: string;
  readonly jobId: string;
  readonly phase: string;
  /** the 24-hex Gait trace id */
  readonly traceId: string;
  readonly tracePath: string;
  /** the signed trace's `signature.signed_digest` (INVARIANT: never empty) */
  readonly traceDigest: string;
  /** the signed trace's `signature.key_id` */
  readonly traceKeyId: string;
  readonly toolName: string;
  readonly verdict: string;
  readonly reasonCodes: readonly string[];
  readonly policyDigest: string;
  readonly intentDigest: string;
  /** integer ms, >= 0 */
  readonly decisionLatencyMs: number;
  readonly delegationRef: string;
  readonly delegationDepth: number;
  readonly mcp: McpEventAttributes;
  /** the normalized args, redacted; present only when the user opted in (`includeArgs`) */
  readonly args: JsonObject | undefined;
}

/**
 * A service event (mcp-and-export.md §5.3, docs/contracts/exports.md "Service events"): a new policy
 * or trust snapshot file was rejected and the service keeps the last valid one. Built by
 * `buildServiceEvent`; every text member is already redacted.
 */
export interface ServiceEvent {
  /** the wire name, exported as `event` (JSONL) / `gait.event` (OTEL-style, OTLP) */
  readonly kind: 'policy_reload_failed' | 'trust_snapshot_reload_failed';
  /** when the service noticed, UTC (the service clock) */
  readonly createdAt: Timestamp;
  readonly producerVersion: string;
  /** the policy file as configured (`--policy`) */
  readonly policyPath: string;
  /** the trust snapshot file (`mcp_trust.snapshot`); '' for `policy_reload_failed` */
  readonly snapshotPath: string;
  /** `sha256hex` of the rejected file's bytes; '' when it could not be read (deleted, too large) */
  readonly rejectedFileDigest: string;
  /** the `policy_digest` (gate.md §A4.7) still in use; '' when none is (`--policy-reload-strict`) */
  readonly policyDigest: string;
  /** why the file was rejected: one line, redacted (file paths and positions, no secrets) */
  readonly error: string;
}

/** What one `export()` call did. */
export type ExportOutcome =
  | { readonly status: 'written' | 'queued'; readonly warnings: readonly string[] }
  | { readonly status: 'failed' | 'dropped'; readonly error: string; readonly warnings: readonly string[] };

/** Counters of one exporter since it was created. */
export interface ExportStats {
  /** events written (files) or acknowledged by the receiver (network) */
  readonly exported: number;
  /** events that could not be written or delivered (after retries) */
  readonly failed: number;
  /** events dropped because the bounded queue was full (oldest first) */
  readonly dropped: number;
  /** events waiting in the queue */
  readonly queued: number;
  /** delivery attempts that were retried */
  readonly retries: number;
  /** the last failure, redacted; '' when none */
  readonly lastError: string;
}

/** A warning an exporter reports (a drop, a failure, a repaired torn line). */
export interface ExportWarning {
  /** `log`, `otel`, `otlp` or the exporter's own name */
  readonly exporter: string;
  /** `export_failed`, `export_dropped`, `export_partial_line_terminated`, `export_retry` */
  readonly kind: 'export_failed' | 'export_dropped' | 'export_partial_line_terminated' | 'export_retry';
  /** one line, redacted (no headers, no URL credentials) */
  readonly message: string;
}

export type WarningSink = (warning: ExportWarning) => void;

/** A sink for decision events. */
export interface DecisionExporter {
  /** `log`, `otel`, `otlp`, or your own (used in warnings `export_failed=<name>: …`) */
  readonly name: string;
  /** hand over one event; never throws, never blocks */
  export(event: DecisionEvent): ExportOutcome;
  /**
   * Optional: hand over one service event (a rejected reload); never throws, never blocks. Counted in
   * `stats()` like decisions. Exporters without it do not receive service events.
   */
  exportServiceEvent?(event: ServiceEvent): ExportOutcome;
  /** resolves when every queued event was delivered, dropped or failed (bounded by the exporter's timeout) */
  flush(): Promise<void>;
  /** flush, then release resources; later `export()` calls fail with `exporter closed` */
  close(): Promise<void>;
  stats(): ExportStats;
}
