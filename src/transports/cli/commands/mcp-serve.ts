/**
 * `gait mcp serve` (mcp-and-export.md §5): the long-running local decision service. Flags are
 * checked and the policy, key and context envelope loaded once (exit 6 on bad input), then the
 * service listens until SIGINT/SIGTERM and stops gracefully (in-flight requests finish, exporters
 * flush), exit 0. With `--json` it prints the startup line `{ok, listen, policy, adapter, profile,
 * policy_digest, key_id}` and, at the end, `{ok, stopped, drained}`; service events (policy reloads,
 * export warnings) go to stderr.
 */
import { resolveSigningKey } from '../../../storage/key-store.js';
import { createDecisionService } from '../../http/app.js';
import type { DecisionService, ServiceLogEvent } from '../../http/app.js';
import { startServer } from '../../http/serve.js';
import type { RunningServer } from '../../http/serve.js';
import type { CommandContext, CommandOutcome, CommandSpec, OptionSpec } from '../command.js';
import { optBool, optString, optStrings } from '../command.js';
import { maxInputBytes } from '../input.js';
import { renderJsonLine } from '../output.js';
import { buildExporters, EXPORT_OPTIONS } from './export-options.js';
import { CONTEXT_OPTIONS, loadContextEnvelope } from './gate-context.js';
import { KEY_OPTIONS } from './key-options.js';
import { allowedHostsOf, readSettings } from './mcp-serve-settings.js';
import type { Settings } from './mcp-serve-settings.js';

/** A service event as wire members: `event` plus snake_case fields. */
function eventFields(event: ServiceLogEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { event: event.kind };
  for (const [key, value] of Object.entries(event)) {
    if (key !== 'kind') out[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = value;
  }
  return out;
}

function logLine(ctx: CommandContext, event: ServiceLogEvent): void {
  const fields = eventFields(event);
  if (ctx.json) {
    ctx.io.stderr(renderJsonLine({ ...fields, service: 'gait.mcp.serve' }));
    return;
  }
  const rest = Object.entries(fields)
    .filter(([k]) => k !== 'event')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  ctx.io.stderr(`mcp serve: ${event.kind} ${rest}\n`);
}

function createService(ctx: CommandContext, s: Settings): DecisionService {
  const keyMode = optString(ctx, 'keyMode').trim();
  const signer = resolveSigningKey({
    mode: keyMode === '' ? 'dev' : keyMode,
    privateKeyPath: optString(ctx, 'privateKey'),
    privateKeyEnv: optString(ctx, 'privateKeyEnv'),
    cwd: ctx.io.cwd,
    env: ctx.io.env,
    random: ctx.io.random,
  });
  for (const w of signer.warnings) ctx.io.stderr(`mcp serve: warning: ${w}\n`);
  const contextEnvelope = loadContextEnvelope(ctx);
  // §5.2: the trace, runpack, pack and session directories are created by the service.
  // ADR 0012: under batched/never durability the JSONL exports hold their lock; `always` keeps the per-line fsync.
  const held = s.traceSync === 'always' ? undefined : { sync: s.traceSync, intervalMs: s.traceSyncIntervalMs };
  const built = buildExporters(s.exports, ctx, (w) => logLine(ctx, { kind: 'export_warning', exporter: w.exporter, message: w.message }), false, held);
  const exporters = [built.log, built.otel, built.otlp].filter((e) => e !== undefined);
  return createDecisionService({
    policyPath: s.policy,
    cwd: ctx.io.cwd,
    signingKey: signer.key,
    adapter: s.adapter,
    profile: s.profile,
    ...(s.authToken === undefined ? {} : { authToken: s.authToken }),
    maxRequestBytes: s.maxRequestBytes,
    maxConcurrent: s.maxConcurrent,
    httpVerdictStatus: s.verdictStatus,
    allowClientArtifactPaths: optBool(ctx, 'allowClientArtifactPaths'),
    allowedHosts: allowedHostsOf(ctx, s.listen),
    allowedOrigins: optStrings(ctx, 'allowedOrigin'),
    jobRoot: optString(ctx, 'jobRoot').trim() || './gait-out/jobs',
    traceDir: s.traceDir,
    traceRetention: { maxAgeMs: s.traceMaxAgeMs, maxCount: s.traceMaxCount, maxBytes: s.traceMaxBytes },
    runpackDir: s.runpackDir,
    packDir: s.packDir,
    runpackRetention: { maxAgeMs: s.runpackMaxAgeMs, maxCount: s.runpackMaxCount },
    packRetention: { maxAgeMs: s.packMaxAgeMs, maxCount: s.packMaxCount },
    ...(s.sessionDir === '' ? {} : { sessionDir: s.sessionDir }),
    sessionRetention: { maxAgeMs: s.sessionMaxAgeMs, maxCount: s.sessionMaxCount },
    traceSync: s.traceSync,
    traceSyncIntervalMs: s.traceSyncIntervalMs,
    exporters,
    exportPaths: { log: s.exports.logOut, otel: s.exports.otelOut },
    includeArgsInExports: s.exports.includeArgs,
    intentsOut: s.intentsOut,
    ...(contextEnvelope === undefined ? {} : { contextEnvelope }),
    policyReloadStrict: optBool(ctx, 'policyReloadStrict'),
    maxPolicyBytes: maxInputBytes(ctx),
    log: (e) => logLine(ctx, e),
  });
}

export interface ServeHooks {
  /** called once listening; resolves (with the signal name) when the service should stop */
  readonly stopSignal: () => Promise<string>;
  /** called once the socket listens (tests read the port here) */
  readonly onListening?: (server: RunningServer, service: DecisionService) => void;
}

/**
 * Runs the service until `hooks.stopSignal` resolves.
 * @throws GaitError `input_*` / `policy_*` (exit 6) before listening; `storage_io` when the address is taken
 */
export async function runMcpServe(ctx: CommandContext, hooks: ServeHooks): Promise<CommandOutcome> {
  const settings = readSettings(ctx);
  const service = createService(ctx, settings);
  let server: RunningServer;
  try {
    server = await startServer(service, { listen: settings.listen });
  } catch (err) {
    await service.close();
    throw err;
  }
  const health = service.health();
  const listening = `${settings.listen.host.includes(':') ? `[${settings.listen.host}]` : settings.listen.host}:${server.address.port}`;
  if (ctx.json) {
    ctx.io.stdout(
      renderJsonLine({
        ok: true,
        listen: listening,
        policy: settings.policy,
        adapter: settings.adapter,
        profile: settings.profile,
        policy_digest: health.policy_digest,
        key_id: service.keyId,
        correlation_id: ctx.correlationId,
      }),
    );
  } else {
    ctx.io.stdout(`mcp serve: listening=${listening} adapter=${settings.adapter}\n`);
  }
  const stop = hooks.stopSignal();
  hooks.onListening?.(server, service);
  const signal = await stop;
  const { drained } = await server.stop();
  return {
    exitCode: 0,
    json: { ok: true, stopped: true, signal, drained },
    human: [`mcp serve: stopped (${signal})${drained ? '' : '; in-flight requests were cut at the deadline'}`],
  };
}

/** SIGINT or SIGTERM, once. */
function processStopSignal(): Promise<string> {
  return new Promise((resolveSignal) => {
    const on = (name: string) => () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolveSignal(name);
    };
    const onInt = on('SIGINT');
    const onTerm = on('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

const RETENTION_OPTIONS: readonly OptionSpec[] = ['trace', 'runpack', 'pack', 'session'].flatMap((cls) => [
  { flags: `--${cls}-max-age <duration>`, description: `delete ${cls} files older than this (e.g. 168h; 0 disables)` },
  { flags: `--${cls}-max-count <n>`, description: `keep only the newest n ${cls} files (0 disables)` },
]);

export const mcpServeCommand: CommandSpec = {
  path: ['mcp', 'serve'],
  summary: 'run the local HTTP decision service: POST /v1/evaluate (JSON, SSE, NDJSON), GET /healthz; loopback unless token auth',
  args: ['[policy]'],
  options: [
    { flags: '--policy <path>', description: 'policy YAML (reloaded when its digest changes)' },
    { flags: '--listen <host:port>', description: 'listen address (default 127.0.0.1:8787; non-loopback needs --auth-mode token)' },
    { flags: '--adapter <name>', description: 'default adapter: mcp, openai, anthropic, langchain, claude_code' },
    { flags: '--profile <name>', description: 'standard (default) or oss-prod' },
    { flags: '--job-root <dir>', description: 'job states for the emergency-stop check (default ./gait-out/jobs)' },
    { flags: '--kill-switch-state <path>', description: 'kill-switch state (not supported yet)' },
    ...CONTEXT_OPTIONS,
    { flags: '--auth-mode <mode>', description: 'off (default) or token' },
    { flags: '--auth-token-env <var>', description: 'environment variable holding the bearer token (token mode)' },
    { flags: '--max-request-bytes <n>', description: 'request body cap (default 1048576)' },
    { flags: '--max-concurrent <n>', description: 'requests evaluated at once before 503 server busy (default 64)' },
    { flags: '--http-verdict-status <mode>', description: 'compat (200 for every verdict, default) or strict (block 403, require_approval/dry_run 409)' },
    { flags: '--allow-client-artifact-paths', description: 'let requests name their trace_path, runpack_out, pack_out and session_journal' },
    { flags: '--allowed-host <host>', description: 'accept this Host header besides loopback names (repeatable)', repeatable: true },
    { flags: '--allowed-origin <origin>', description: 'accept browser requests from this Origin, e.g. http://localhost:3000 (repeatable)', repeatable: true },
    { flags: '--policy-reload-strict', description: 'an invalid new policy makes evaluation fail (500) instead of keeping the last valid one' },
    { flags: '--trace-dir <dir>', description: 'where traces are written (default ./gait-out/mcp-serve/traces)' },
    { flags: '--runpack-dir <dir>', description: 'write a runpack per request that sets emit_runpack (default: none)' },
    { flags: '--pack-dir <dir>', description: 'write a pack per request that sets emit_pack, and for state-changing calls (default: none)' },
    { flags: '--session-dir <dir>', description: 'session journals of requests with a session id, their state and chain files (default ./gait-out/mcp-serve/sessions)' },
    ...RETENTION_OPTIONS,
    { flags: '--trace-sync <mode>', description: 'artifact durability: batched (default; fsync within --trace-sync-interval), always (fsync before answering), never (left to the OS)' },
    { flags: '--trace-sync-interval <duration>', description: 'batched: the longest a written artifact waits for its fsync (default 100ms)' },
    { flags: '--trace-max-bytes <n>', description: 'keep only the newest traces whose total size fits n bytes (0 disables)' },
    { flags: '--intents-out <path>', description: 'append every normalized intent as JSONL (feeds regress init --intents)' },
    ...EXPORT_OPTIONS,
    { flags: '--max-input-bytes <n>', description: 'size cap for the policy file (default 1048576)' },
    ...KEY_OPTIONS,
  ],
  run: (ctx) => runMcpServe(ctx, { stopSignal: processStopSignal }),
};
