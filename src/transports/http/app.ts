/**
 * The decision service (mcp-and-export.md §5) as a fetch-style handler `(Request) => Promise<Response>`
 * built with hono: no socket here (`serve.ts` binds it), so every endpoint, status and limit is
 * testable in-process with `app.request()` / `service.fetch()`.
 *
 * Per request, in order: Host/Origin check (403) → method (405) → drain state (503) → bearer auth
 * (401) → concurrency cap (503 `server busy`, `retry-after: 1`) → content type (415) → body cap (413)
 * → strict decoding (400) → evaluation. Decisions are 200 (compat) or 403/409 (strict); errors map
 * by category (`http-errors.ts`), an unclassified failure is 500.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { shortId } from '../../crypto/digest.js';
import type { SigningKey } from '../../crypto/keys.js';
import type { DecisionExporter } from '../../exporters/types.js';
import type { CompiledPolicy } from '../../policy/compile.js';
import { assertPolicyFitsProfile } from '../../policy/profile.js';
import type { Profile } from '../../policy/profile.js';
import type { Clock } from '../../runtime/clock.js';
import { GAIT_VERSION } from '../../runtime/version.js';
import type { ContextEnvelope } from '../../schema/v1/context-envelope.js';
import { resolveAdapterName } from '../../schema/v1/tool-call/index.js';
import { ensureDir } from '../../storage/atomic-write.js';
import { DirectorySyncer } from '../../storage/atomic-write-async.js';
import { PolicyReloader } from '../../storage/policy-reloader.js';
import type { LivePolicy, PolicyStatus, ReloadEvent } from '../../storage/policy-reloader.js';
import { RetentionClass } from '../../storage/retention.js';
import type { RetentionLimits } from '../../storage/retention.js';
import { resolve } from 'node:path';
import { highResolutionClock, uniqueTimestamps } from './clock.js';
import { readJobStopState, recordBlockedDispatch, DEFAULT_JOB_ROOT } from '../mcp/job-status.js';
import { evaluateRequest } from './evaluate.js';
import type { EvaluateContext } from './evaluate.js';
import { bearerChecker, checkHostAndOrigin } from './guards.js';
import type { HostPolicy } from './guards.js';
import { errorResponse, HttpError } from './http-errors.js';
import { verdictStatus } from './output.js';
import { checkContentType, parseEvaluateRequest, readBody } from './request.js';

export const DEFAULT_MAX_REQUEST_BYTES = 1_048_576;
export const DEFAULT_MAX_CONCURRENT = 64;

/** A service log line (policy reloads, export failures); the CLI prints these to stderr. */
export type ServiceLogEvent = ReloadEvent | { readonly kind: 'export_warning'; readonly exporter: string; readonly message: string };

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

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

function errorOut(err: unknown): Response {
  const r = errorResponse(err);
  return json(r.status, r.body, { ...r.headers });
}

type Variant = 'json' | 'sse' | 'ndjson';

function decisionResponse(variant: Variant, status: number, body: Record<string, unknown>): Response {
  const text = JSON.stringify(body);
  switch (variant) {
    case 'json':
      return new Response(text, { status, headers: { 'content-type': 'application/json' } });
    case 'sse':
      return new Response(`event: evaluate\ndata: ${text}\n\n`, {
        status,
        headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' },
      });
    case 'ndjson':
      return new Response(`${text}\n`, { status, headers: { 'content-type': 'application/x-ndjson' } });
    default: {
      const never: never = variant;
      return never;
    }
  }
}

function limits(partial: Partial<RetentionLimits> | undefined): RetentionLimits {
  return { maxAgeMs: partial?.maxAgeMs ?? 0, maxCount: partial?.maxCount ?? 0, maxBytes: partial?.maxBytes ?? 0 };
}

function positive(value: number | undefined, fallback: number, what: string): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v <= 0) throw new HttpError(500, 'internal_failure', `${what} must be a positive integer`);
  return v;
}

interface State {
  inFlight: number;
  draining: boolean;
  requestSeq: number;
  idle: (() => void)[];
}

/**
 * Creates the decision service: loads the policy (and its trust snapshot) once, creates the trace
 * directory, and returns the handler.
 * @throws GaitError `input_*`, `policy_*` (the policy does not load or fails the profile),
 *   `input_tool_call` (unknown default adapter), `storage_io` (trace directory)
 * @example const service = createDecisionService({ policyPath: 'policy.yaml', signingKey: key });
 *   const res = await service.fetch(new Request('http://127.0.0.1/v1/evaluate', { method: 'POST', body }));
 */
export function createDecisionService(options: DecisionServiceOptions): DecisionService {
  const cwd = options.cwd ?? process.cwd();
  const profile = options.profile ?? 'standard';
  const defaultAdapter = resolveAdapterName(options.adapter ?? 'mcp');
  const maxRequestBytes = positive(options.maxRequestBytes, DEFAULT_MAX_REQUEST_BYTES, 'maxRequestBytes');
  const maxConcurrent = positive(options.maxConcurrent, DEFAULT_MAX_CONCURRENT, 'maxConcurrent');
  const verdictMode = options.httpVerdictStatus ?? 'compat';
  const log = options.log ?? (() => undefined);
  const reloader = new PolicyReloader({
    path: options.policyPath,
    cwd,
    strict: options.policyReloadStrict === true,
    validate: (compiled: CompiledPolicy) => assertPolicyFitsProfile(compiled.policy, profile),
    onEvent: log,
    ...(options.maxPolicyBytes === undefined ? {} : { maxBytes: options.maxPolicyBytes }),
    ...(options.policyPollMs === undefined ? {} : { pollMs: options.policyPollMs }),
  });
  const traceDir = options.traceDir ?? './gait-out/mcp-serve/traces';
  ensureDir(resolve(cwd, traceDir));
  const traceRetention = new RetentionClass('trace', resolve(cwd, traceDir), limits(options.traceRetention));
  const clock = options.clock ?? highResolutionClock();
  const syncer = new DirectorySyncer();
  const artifactTime = uniqueTimestamps(clock);
  const checkAuth = options.authToken === undefined ? undefined : bearerChecker(options.authToken);
  const hostPolicy: HostPolicy = {
    allowedHosts: (options.allowedHosts ?? []).map((h) => h.toLowerCase().replace(/^\[(.*)\]$/, '$1')),
    allowedOrigins: (options.allowedOrigins ?? []).map((o) => o.trim().toLowerCase().replace(/\/+$/, '')),
  };
  const exporters = options.exporters ?? [];
  const jobRoot = options.jobRoot ?? DEFAULT_JOB_ROOT;
  const state: State = { inFlight: 0, draining: false, requestSeq: 0, idle: [] };
  const instance = shortId(`${process.pid}:${clock.now().seconds}:${clock.now().nanos}`);
  if (options.watchPolicy !== false) reloader.start();

  const contextFor = (request: Request, live: LivePolicy): EvaluateContext => {
    state.requestSeq += 1;
    const given = (request.headers.get('x-correlation-id') ?? '').trim();
    return {
      live,
      signingKey: options.signingKey,
      clock,
      artifactTime,
      defaultAdapter,
      profile,
      allowClientArtifactPaths: options.allowClientArtifactPaths === true,
      traceDir,
      cwd,
      contextEnvelope: options.contextEnvelope,
      producerVersion: GAIT_VERSION,
      correlationId: given !== '' && given.length <= 128 && !/[\r\n]/.test(given) ? given : shortId(`${instance}:${state.requestSeq}`),
      jobState: (jobId) => readJobStopState(jobId, jobRoot, cwd),
      recordBlockedDispatch: (d) =>
        recordBlockedDispatch(d.intent.context.jobId, jobRoot, cwd, { traceId: d.result.traceId, toolName: d.intent.toolName, createdAt: d.intent.createdAt }),
      exporters,
      intentsOut: options.intentsOut ?? '',
      exportPaths: { log: options.exportPaths?.log ?? '', otel: options.exportPaths?.otel ?? '' },
      includeArgsInExports: options.includeArgsInExports === true,
      retention: traceRetention.enabled ? [traceRetention] : [],
      traceRetention,
      syncer,
    };
  };

  const settle = (): void => {
    state.inFlight -= 1;
    if (state.inFlight === 0) for (const resolveIdle of state.idle.splice(0)) resolveIdle();
  };

  const evaluate = (variant: Variant) => async (c: Context): Promise<Response> => {
    const request = c.req.raw;
    if (request.method !== 'POST') return json(405, { ok: false, error: 'expected POST', error_code: 'method_not_allowed' }, { allow: 'POST' });
    if (state.draining) {
      return json(503, { ok: false, error: 'server shutting down', error_code: 'server_busy' }, { 'retry-after': '1', connection: 'close' });
    }
    try {
      checkAuth?.(request);
    } catch (err) {
      return errorOut(err);
    }
    if (state.inFlight >= maxConcurrent) return json(503, { ok: false, error: 'server busy', error_code: 'server_busy' }, { 'retry-after': '1' });
    state.inFlight += 1;
    try {
      // INVARIANT: the policy generation is captured on arrival; a reload never changes it mid-request (§5.3).
      const live = reloader.current();
      if (live === undefined) {
        return json(500, { ok: false, error: `policy unavailable: ${reloader.status().error}`, error_code: 'policy_unavailable', exit_code: 1 });
      }
      checkContentType(request.headers.get('content-type'));
      const parsed = parseEvaluateRequest(await readBody(request, maxRequestBytes));
      const outcome = await evaluateRequest(parsed, contextFor(request, live));
      return decisionResponse(variant, verdictStatus(verdictMode, outcome.decision.result.verdict), outcome.body);
    } catch (err) {
      return errorOut(err);
    } finally {
      settle();
    }
  };

  const health = (): HealthReport => {
    const s = reloader.status();
    return {
      ok: reloader.current() !== undefined,
      service: 'gait.mcp.serve',
      policy_digest: s.policyDigest,
      policy_status: s.status,
      ...(s.error === '' ? {} : { policy_error: s.error }),
      ...(s.trustStatus === '' ? {} : { trust_snapshot_status: s.trustStatus }),
      ...(s.trustError === '' ? {} : { trust_snapshot_error: s.trustError }),
      export_failures: exporters.reduce((n, e) => {
        const st = e.stats();
        return n + st.failed + st.dropped;
      }, 0),
      in_flight: state.inFlight,
    };
  };

  const app = new Hono();
  app.use('*', async (c, next) => {
    try {
      checkHostAndOrigin(c.req.raw, hostPolicy);
    } catch (err) {
      return errorOut(err);
    }
    await next();
    return undefined;
  });
  app.all('/healthz', (c) => {
    if (c.req.method !== 'GET') return json(405, { ok: false, error: 'expected GET', error_code: 'method_not_allowed' }, { allow: 'GET' });
    const report = health();
    return json(report.ok ? 200 : 503, report);
  });
  app.all('/v1/evaluate', evaluate('json'));
  app.all('/v1/evaluate/sse', evaluate('sse'));
  app.all('/v1/evaluate/stream', evaluate('ndjson'));
  app.notFound(() => json(404, { ok: false, error: 'not found', error_code: 'not_found' }));
  app.onError((err) => errorOut(err));

  return {
    app,
    fetch: async (request) => app.fetch(request),
    authEnabled: checkAuth !== undefined,
    keyId: options.signingKey.keyId,
    health,
    inFlight: () => state.inFlight,
    policyStatus: () => reloader.status(),
    checkPolicy: () => reloader.check(),
    drain: (timeoutMs) => {
      state.draining = true;
      if (state.inFlight === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolveDrain) => {
        const timer = setTimeout(() => resolveDrain(false), timeoutMs);
        state.idle.push(() => {
          clearTimeout(timer);
          resolveDrain(true);
        });
      });
    },
    close: async () => {
      reloader.stop();
      await Promise.allSettled([...exporters.map((e) => e.close()), syncer.close()]);
    },
  };
}
