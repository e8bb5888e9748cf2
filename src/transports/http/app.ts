/**
 * The decision service (mcp-and-export.md §5) as a fetch-style handler `(Request) => Promise<Response>`
 * built with hono: no socket here (`serve.ts` binds it), so every endpoint, status and limit is
 * testable in-process with `app.request()` / `service.fetch()`.
 *
 * Per request, in order: Host/Origin check (403) → method (405) → bearer auth (401) → drain state and
 * concurrency cap (503 `server shutting down` / `server busy`, `retry-after: 1`) → a live policy (500
 * under strict reload) → content type (415) → body cap (413) → strict decoding (400) → evaluation.
 * Decisions are 200 (compat) or 403/409 (strict); errors map by category (`http-errors.ts`), an
 * unclassified failure is 500.
 */
import { resolve } from 'node:path';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { CompiledPolicy } from '../../policy/compile.js';
import { assertPolicyFitsProfile } from '../../policy/profile.js';
import { GAIT_VERSION } from '../../runtime/version.js';
import { resolveAdapterName } from '../../schema/v1/tool-call/index.js';
import { ensureDir } from '../../storage/atomic-write.js';
import { HeldJsonlFile } from '../../exporters/jsonl-append.js';
import { DurableWriter } from '../../storage/durable-writer.js';
import { PolicyReloader } from '../../storage/policy-reloader.js';
import type { ReloadEvent } from '../../storage/policy-reloader.js';
import { RetentionClass } from '../../storage/retention.js';
import type { RetentionLimits } from '../../storage/retention.js';
import { hostRunEnv } from '../../storage/runpack-files.js';
import { Admission } from './admission.js';
import { highResolutionClock, uniqueTimestamps } from './clock.js';
import { evaluateRequest } from './evaluate.js';
import { bearerChecker, checkHostAndOrigin } from './guards.js';
import type { HostPolicy } from './guards.js';
import { HttpError } from './http-errors.js';
import { verdictStatus } from './output.js';
import { reloadEventSink } from './reload-export.js';
import { contextFactory } from './request-context.js';
import { artifactRetention, prepareServeArtifacts } from './serve-artifacts.js';
import { closeServeSessions, prepareServeSessions, sessionRetention } from './serve-session.js';
import { checkContentType, parseEvaluateRequest, readBody } from './request.js';
import { decisionResponse, errorOut, json } from './responses.js';
import type { Variant } from './responses.js';
import { DEFAULT_MAX_CONCURRENT, DEFAULT_MAX_REQUEST_BYTES } from './service-types.js';
import type { DecisionService, DecisionServiceOptions, HealthReport } from './service-types.js';

export { DEFAULT_MAX_CONCURRENT, DEFAULT_MAX_REQUEST_BYTES } from './service-types.js';
export type { DecisionService, DecisionServiceOptions, HealthReport, ServiceLogEvent } from './service-types.js';

function limits(partial: Partial<RetentionLimits> | undefined): RetentionLimits {
  return { maxAgeMs: partial?.maxAgeMs ?? 0, maxCount: partial?.maxCount ?? 0, maxBytes: partial?.maxBytes ?? 0 };
}

function positive(value: number | undefined, fallback: number, what: string): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v <= 0) throw new HttpError(500, 'internal_failure', `${what} must be a positive integer`);
  return v;
}

function hostPolicyOf(options: DecisionServiceOptions): HostPolicy {
  return {
    allowedHosts: (options.allowedHosts ?? []).map((h) => h.toLowerCase().replace(/^\[(.*)\]$/, '$1')),
    allowedOrigins: (options.allowedOrigins ?? []).map((o) => o.trim().toLowerCase().replace(/\/+$/, '')),
  };
}

function reloaderOf(options: DecisionServiceOptions, cwd: string, onEvent: (event: ReloadEvent) => void): PolicyReloader {
  const profile = options.profile ?? 'standard';
  return new PolicyReloader({
    path: options.policyPath,
    cwd,
    strict: options.policyReloadStrict === true,
    validate: (compiled: CompiledPolicy) => assertPolicyFitsProfile(compiled.policy, profile),
    onEvent,
    ...(options.maxPolicyBytes === undefined ? {} : { maxBytes: options.maxPolicyBytes }),
    ...(options.policyPollMs === undefined ? {} : { pollMs: options.policyPollMs }),
  });
}

const METHOD_NOT_ALLOWED = (expected: string): Response =>
  json(405, { ok: false, error: `expected ${expected}`, error_code: 'method_not_allowed' }, { allow: expected });

/**
 * Creates the decision service: loads the policy (and its trust snapshot) once, creates the trace
 * directory (and the runpack and pack directories when set), and returns the handler.
 * @throws GaitError `input_*`, `policy_*` (the policy does not load or fails the profile),
 *   `input_tool_call` (unknown default adapter), `storage_io` (trace, runpack or pack directory)
 * @example const service = createDecisionService({ policyPath: 'policy.yaml', signingKey: key });
 *   const res = await service.fetch(new Request('http://127.0.0.1/v1/evaluate', { method: 'POST', body }));
 */
export function createDecisionService(options: DecisionServiceOptions): DecisionService {
  const cwd = options.cwd ?? process.cwd();
  const defaultAdapter = resolveAdapterName(options.adapter ?? 'mcp');
  const maxRequestBytes = positive(options.maxRequestBytes, DEFAULT_MAX_REQUEST_BYTES, 'maxRequestBytes');
  const admission = new Admission(positive(options.maxConcurrent, DEFAULT_MAX_CONCURRENT, 'maxConcurrent'));
  const verdictMode = options.httpVerdictStatus ?? 'compat';
  const clock = options.clock ?? highResolutionClock();
  // §5.3: a rejected reload is logged and exported (reload-export.ts); the sink never throws.
  const reloader = reloaderOf(
    options,
    cwd,
    reloadEventSink({ exporters: options.exporters ?? [], clock, policyPath: options.policyPath, producerVersion: GAIT_VERSION, log: options.log }),
  );
  const traceDir = options.traceDir ?? './gait-out/mcp-serve/traces';
  ensureDir(resolve(cwd, traceDir));
  const log = options.log ?? (() => undefined);
  const writer = new DurableWriter({
    mode: options.traceSync ?? 'batched',
    ...(options.traceSyncIntervalMs === undefined ? {} : { intervalMs: options.traceSyncIntervalMs }),
    onSyncError: (path, message) => log({ kind: 'trace_sync_failed', path, message }),
  });
  const traceRetention = new RetentionClass('trace', resolve(cwd, traceDir), limits(options.traceRetention));
  if (traceRetention.enabled) traceRetention.prime();
  const artifacts = prepareServeArtifacts({
    cwd,
    runpackDir: options.runpackDir ?? '',
    packDir: options.packDir ?? '',
    runpackRetention: limits(options.runpackRetention),
    packRetention: limits(options.packRetention),
    hostEnv: hostRunEnv(),
  });
  const sessions = prepareServeSessions({
    cwd,
    ...(options.sessionDir === undefined ? {} : { dir: options.sessionDir }),
    retention: limits(options.sessionRetention),
    writer,
  });
  // §4 step 13 `--intents-out`: the file's lock is held while lines keep coming (ADR 0012).
  const intents = (options.intentsOut ?? '') === '' ? undefined : new HeldJsonlFile(resolve(cwd, options.intentsOut ?? ''), { writer });
  const contextFor = contextFactory(options, {
    cwd,
    profile: options.profile ?? 'standard',
    defaultAdapter,
    traceDir,
    clock,
    artifactTime: uniqueTimestamps(clock),
    traceRetention,
    artifacts,
    sessions,
    writer,
    intents,
  });
  const checkAuth = options.authToken === undefined ? undefined : bearerChecker(options.authToken);
  const hostPolicy = hostPolicyOf(options);
  const exporters = options.exporters ?? [];
  if (options.watchPolicy !== false) reloader.start();

  const evaluate = (variant: Variant) => async (c: Context): Promise<Response> => {
    const request = c.req.raw;
    if (request.method !== 'POST') return METHOD_NOT_ALLOWED('POST');
    try {
      checkAuth?.(request);
    } catch (err) {
      return errorOut(err);
    }
    const refused = admission.enter();
    if (refused === 'draining') return json(503, { ok: false, error: 'server shutting down', error_code: 'server_busy' }, { 'retry-after': '1', connection: 'close' });
    if (refused === 'busy') return json(503, { ok: false, error: 'server busy', error_code: 'server_busy' }, { 'retry-after': '1' });
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
      admission.leave();
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
      sync_failures: writer.stats().syncFailures,
      in_flight: admission.inFlight,
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
    if (c.req.method !== 'GET') return METHOD_NOT_ALLOWED('GET');
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
    inFlight: () => admission.inFlight,
    policyStatus: () => reloader.status(),
    checkPolicy: () => reloader.check(),
    drain: (timeoutMs) => admission.drain(timeoutMs),
    close: async () => {
      reloader.stop();
      // Held journals flush and release before the writer closes (their fsyncs go through it).
      await Promise.all([closeServeSessions(sessions), intents?.close()]);
      const removals = [traceRetention, ...artifactRetention(artifacts), ...sessionRetention(sessions)].map((cls) => cls.flushRemovals());
      await Promise.allSettled([...exporters.map((e) => e.close()), writer.close(), ...removals]);
    },
  };
}
