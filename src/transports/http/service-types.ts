/** The public types of the decision service (`createDecisionService`, mcp-and-export.md §5). */
import type { Hono } from 'hono';
import type { SigningKey } from '../../crypto/keys.js';
import type { DecisionExporter } from '../../exporters/types.js';
import type { Profile } from '../../policy/profile.js';
import type { Clock } from '../../runtime/clock.js';
import type { ContextEnvelope } from '../../schema/v1/context-envelope.js';
import type { PolicyStatus, ReloadEvent } from '../../storage/policy-reloader.js';
import type { RetentionLimits } from '../../storage/retention.js';
import type { SyncMode } from '../../storage/durable-writer.js';

export const DEFAULT_MAX_REQUEST_BYTES = 1_048_576;
export const DEFAULT_MAX_CONCURRENT = 64;

/** A service log line (policy reloads, export failures); the CLI prints these to stderr. */
export type ServiceLogEvent =
  | ReloadEvent
  | { readonly kind: 'export_warning'; readonly exporter: string; readonly message: string }
  | { readonly kind: 'trace_sync_failed'; readonly path: string; readonly message: string };

export interface DecisionServiceOptions {
  /** the policy file; watched and reloaded when its digest changes (§5.3) */
  readonly policyPath: string;
  /** directory relative paths resolve against (default: the process working directory) */
  readonly cwd?: string;
  /** the signing key, loaded once (§12) */
  readonly signingKey: SigningKey;
  /** default: the system clock with nanosecond resolution */
  readonly clock?: Clock;
  /** default adapter for requests without `adapter` (default `mcp`) */
  readonly adapter?: string;
  readonly profile?: Profile;
  /** when set, the evaluate endpoints require `Authorization: Bearer <token>` */
  readonly authToken?: string;
  readonly maxRequestBytes?: number;
  readonly maxConcurrent?: number;
  readonly httpVerdictStatus?: 'compat' | 'strict';
  readonly allowClientArtifactPaths?: boolean;
  /** Host names accepted besides loopback names, `['*']` for any (default: loopback only) */
  readonly allowedHosts?: readonly string[];
  /** browser origins allowed to call the service (default: none) */
  readonly allowedOrigins?: readonly string[];
  /** where job states live for the emergency-stop step (§4 step 7; default `./gait-out/jobs`) */
  readonly jobRoot?: string;
  /** default `./gait-out/mcp-serve/traces` */
  readonly traceDir?: string;
  readonly traceRetention?: Partial<RetentionLimits>;
  /**
   * `--runpack-dir`: `emit_runpack` requests get `<dir>/runpack_<run id>_<ts>.zip` (§5.6); created at
   * startup. Default '' (disabled).
   */
  readonly runpackDir?: string;
  /**
   * `--pack-dir`: `emit_pack` requests, and state-changing calls that asked for no pack (auto-pack),
   * get `<dir>/pack_<run id>_<ts>.zip` (§5.6); created at startup. Default '' (disabled; `emit_pack`
   * is then a 400).
   */
  readonly packDir?: string;
  /** `--runpack-max-age/count` over `runpack_*.zip` and `.zip` names containing `_cp_` in the runpack dir */
  readonly runpackRetention?: Partial<RetentionLimits>;
  /** `--pack-max-age/count` over `pack_*.zip` in the pack dir */
  readonly packRetention?: Partial<RetentionLimits>;
  /**
   * `--session-dir`: session journals `<dir>/<base>.journal.jsonl`, their state and chain files (§5.6
   * "Sessions"); created at startup. Default `./gait-out/mcp-serve/sessions`.
   */
  readonly sessionDir?: string;
  /** `--session-max-age/count` over `*.json`, `*.jsonl` and `*.state` in the session dir */
  readonly sessionRetention?: Partial<RetentionLimits>;
  /** artifact durability (ADR 0012): `always` fsyncs before answering, `batched` (default) within `traceSyncIntervalMs`, `never` leaves it to the OS */
  readonly traceSync?: SyncMode;
  /** `batched`: the longest a written artifact waits for its fsync (default 100) */
  readonly traceSyncIntervalMs?: number;
  readonly exporters?: readonly DecisionExporter[];
  /** `--intents-out`: append every normalized intent as JSONL (§4 step 13) */
  readonly intentsOut?: string;
  /** paths reported as `log_export` / `otel_export` */
  readonly exportPaths?: { readonly log?: string; readonly otel?: string };
  /** export the (redacted) normalized args; default false */
  readonly includeArgsInExports?: boolean;
  /** verified once at startup, bound into every evaluation */
  readonly contextEnvelope?: ContextEnvelope;
  /** `--policy-reload-strict` */
  readonly policyReloadStrict?: boolean;
  /** watch the policy file (default true; tests call `checkPolicy()` instead) */
  readonly watchPolicy?: boolean;
  readonly policyPollMs?: number;
  readonly maxPolicyBytes?: number;
  readonly log?: (event: ServiceLogEvent) => void;
}

export interface HealthReport {
  readonly ok: boolean;
  readonly service: 'gait.mcp.serve';
  readonly policy_digest: string;
  readonly policy_status: 'current' | 'stale';
  readonly policy_error?: string;
  readonly trust_snapshot_status?: 'current' | 'stale';
  readonly trust_snapshot_error?: string;
  readonly export_failures: number;
  /** background artifact fsyncs that failed (`batched`); each is also logged */
  readonly sync_failures: number;
  readonly in_flight: number;
}

export interface DecisionService {
  /** the hono app (`app.request(path, init)` in tests) */
  readonly app: Hono;
  /** the fetch-style handler */
  readonly fetch: (request: Request) => Promise<Response>;
  /** whether the evaluate endpoints require a bearer token */
  readonly authEnabled: boolean;
  /** the signing key's id (reported at startup, §12) */
  readonly keyId: string;
  readonly health: () => HealthReport;
  /** evaluate requests currently running */
  readonly inFlight: () => number;
  /** the policy status right now */
  readonly policyStatus: () => PolicyStatus;
  /** looks at the policy and trust snapshot files now (the watch does this on its own) */
  readonly checkPolicy: () => boolean;
  /** refuse new evaluate requests (503) and resolve when none is in flight, or false at the deadline */
  readonly drain: (timeoutMs: number) => Promise<boolean>;
  /** stop watching, flush and close the exporters */
  readonly close: () => Promise<void>;
}
