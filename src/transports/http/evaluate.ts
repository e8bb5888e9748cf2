/**
 * One evaluate request of the decision service (mcp-and-export.md §5.5, §5.6): request checks, then
 * §4 steps 1-10 through the proxy's `decideToolCall` (decode with the request's adapter, boundary and
 * OAuth rules, gate pipeline + trust, emergency stop, run id), then the signed trace written under
 * the trace directory, exports and retention. Errors are thrown (classified by `http-errors.ts`);
 * decisions are returned.
 */
import { dirname, resolve } from 'node:path';
import { EMERGENCY_STOP_PREEMPTED } from '../../artifacts/mcp/emergency-stop.js';
import type { JobStopState } from '../../artifacts/mcp/emergency-stop.js';
import type { McpEvalSettings } from '../../artifacts/mcp/evaluate-call.js';
import type { SigningKey } from '../../crypto/keys.js';
import type { DecisionExporter } from '../../exporters/types.js';
import type { Profile } from '../../policy/profile.js';
import type { Clock } from '../../runtime/clock.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import type { ContextEnvelope } from '../../schema/v1/context-envelope.js';
import { foldMemberName, isJsonObject } from '../../schema/v1/decode.js';
import { normalizeIntent } from '../../schema/v1/intent.js';
import type { JsonObject, JsonValue } from '../../schema/v1/json-types.js';
import { trimSpec } from '../../schema/v1/text.js';
import { assertSafeRelativePath, ensureDir } from '../../storage/atomic-write.js';
import type { DurableWriter } from '../../storage/durable-writer.js';
import type { JobStateRead } from '../../storage/job-state-file.js';
import type { LivePolicy } from '../../storage/policy-reloader.js';
import type { RetentionClass } from '../../storage/retention.js';
import { retentionWarning } from '../../storage/retention.js';
import { exitCodeForVerdict } from '../cli/exit.js';
import { omitEmpty } from '../cli/output.js';
import { appendJsonlLine } from '../../exporters/jsonl-append.js';
import type { HeldJsonlFile } from '../../exporters/jsonl-append.js';
import { decideIntentRequest, decideToolCall, defaultTraceFileName, intentsOutLine, proxyDecisionEvent, toProxyOutput } from '../mcp/proxy.js';
import type { ProxyDecision } from '../mcp/proxy.js';
import { badRequest } from './http-errors.js';
import type { EvaluateRequest } from './request.js';
import { checkArtifactRequest, writeServeArtifacts } from './serve-artifacts.js';
import type { ServeArtifactSettings } from './serve-artifacts.js';
import { checkSessionRequest, recordServeSession } from './serve-session.js';
import type { ServeSessionSettings } from './serve-session.js';

/** What the service hands every request; `live` is captured once per request (§5.3). */
export interface EvaluateContext {
  readonly live: LivePolicy;
  readonly signingKey: SigningKey;
  readonly clock: Clock;
  /** unique, strictly increasing artifact timestamps */
  readonly artifactTime: () => Timestamp;
  readonly defaultAdapter: string;
  readonly profile: Profile;
  readonly allowClientArtifactPaths: boolean;
  readonly traceDir: string;
  readonly cwd: string;
  readonly contextEnvelope: ContextEnvelope | undefined;
  readonly producerVersion: string;
  readonly correlationId: string;
  /** the job status port of §4 step 7 */
  readonly jobState: (jobId: string) => JobStopState;
  /** the job's state file, read at most once per request (`jobState` and the session event use it) */
  readonly jobRecord: (jobId: string) => JobStateRead;
  /** writes the blocked-dispatch record of an emergency-stopped job; returns a warning or '' */
  readonly recordBlockedDispatch: (decision: ProxyDecision) => string;
  readonly exporters: readonly DecisionExporter[];
  /** `--intents-out` (§4 step 13); '' when off */
  readonly intentsOut: string;
  /** the held `--intents-out` file (ADR 0012); undefined: a one-shot append per line */
  readonly intents?: HeldJsonlFile | undefined;
  readonly exportPaths: { readonly log: string; readonly otel: string };
  readonly includeArgsInExports: boolean;
  readonly retention: readonly RetentionClass[];
  readonly traceRetention: RetentionClass | undefined;
  /** `--runpack-dir` / `--pack-dir` and their retention (§5.6, `serve-artifacts.ts`) */
  readonly artifacts: ServeArtifactSettings;
  /** `--session-dir`, its retention and the job root (§5.6 "Sessions", `serve-session.ts`) */
  readonly sessions: ServeSessionSettings;
  /** writes artifacts with the service's durability (ADR 0012) */
  readonly writer: DurableWriter;
}

export interface EvaluateOutcome {
  readonly decision: ProxyDecision;
  readonly body: Record<string, unknown>;
}

function refusePaths(req: EvaluateRequest, ctx: EvaluateContext): void {
  const fields: [string, string][] = [
    ['trace_path', req.tracePath],
    ['runpack_out', req.runpackOut],
    ['pack_out', req.packOut],
    ['session_journal', req.sessionJournal],
  ];
  const targets = new Map<string, string>();
  for (const [field, value] of fields) {
    if (value === '') continue;
    if (!ctx.allowClientArtifactPaths) throw badRequest(`request.${field} is not allowed by server configuration`, 'input_path');
    // Two artifacts at one path would overwrite each other (and leave a "trace" that is a zip).
    const target = resolve(ctx.cwd, value);
    const other = targets.get(target);
    if (other !== undefined) throw badRequest(`request.${other} and request.${field} name the same file`, 'input_path');
    targets.set(target, field);
  }
  checkSessionRequest(req);
  checkArtifactRequest(req, ctx.artifacts);
  if (req.tracePath !== '') assertSafeRelativePath(req.tracePath, 'trace');
}

/**
 * Extension: a ready IntentRequest, evaluated as a call would be after §2 (gate pipeline, trust with
 * no server identity, emergency stop), so one output builder serves both request kinds.
 */
function decideIntent(req: EvaluateRequest, ctx: EvaluateContext, startedAt: Timestamp): ProxyDecision {
  // The oss-prod boundary checks (OAuth evidence, §4) are defined on tool calls; an intent request
  // carries no call to check, so under oss-prod it is refused rather than evaluated unchecked.
  if (ctx.profile === 'oss-prod') {
    throw badRequest('request.intent is not accepted under the oss-prod profile; send the tool call as request.call', 'input_usage');
  }
  // §5.6: the request's session id wins over the intent's, as for calls (the intent is evaluated with it).
  const sessionId = trimSpec(req.sessionId);
  const raw = req.intent ?? {};
  const given = sessionId === '' ? raw : withMember(raw, 'context', withMember(memberOf(raw, 'context'), 'session_id', sessionId));
  return decideIntentRequest({ ...mcpSettings(ctx), intent: normalizeIntent(given), runId: req.runId, startedAt });
}

/** The object member named `name` (names match case-insensitively, gate.md §A1.4), or `{}`. */
function memberOf(obj: JsonObject, name: string): JsonObject {
  for (const [k, v] of Object.entries(obj)) if (foldMemberName(k) === name && isJsonObject(v)) return v;
  return {};
}

/** A copy of `obj` with member `name` set to `value`, replacing any spelling of it. */
function withMember(obj: JsonObject, name: string, value: JsonValue): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) if (foldMemberName(k) !== name) out[k] = v;
  out[name] = value;
  return out;
}

/** The decision settings of this request, with the policy generation and trust snapshot captured for it. */
function mcpSettings(ctx: EvaluateContext): McpEvalSettings {
  const { contextEnvelope, signingKey, clock, correlationId, producerVersion, jobState } = ctx;
  return { compiled: ctx.live.compiled, trustSnapshot: ctx.live.trust, contextEnvelope, signingKey, clock, correlationId, producerVersion, jobState };
}

function decide(req: EvaluateRequest, ctx: EvaluateContext): ProxyDecision {
  const startedAt = ctx.clock.now();
  if (req.call === undefined || Object.keys(req.call).length === 0) return decideIntent(req, ctx, startedAt);
  return decideToolCall({
    adapter: req.adapter === '' ? ctx.defaultAdapter : req.adapter,
    payload: req.call,
    profile: ctx.profile,
    ...mcpSettings(ctx),
    runId: req.runId,
    // §5.6: the request's session id wins over the call's.
    ...(trimSpec(req.sessionId) === '' ? {} : { contextOverrides: { sessionId: req.sessionId } }),
    startedAt,
  });
}

async function writeTrace(decision: ProxyDecision, req: EvaluateRequest, ctx: EvaluateContext): Promise<string> {
  const shown = req.tracePath !== '' ? req.tracePath : `${ctx.traceDir}/${defaultTraceFileName(decision.runId, ctx.artifactTime())}`;
  const text = `${JSON.stringify(decision.result.trace, null, 2)}\n`;
  const target = resolve(ctx.cwd, shown);
  // The trace directory exists since startup; a client path (--allow-client-artifact-paths) may not.
  if (req.tracePath !== '') ensureDir(dirname(target));
  await ctx.writer.write(target, text, 0o600);
  if (req.tracePath === '') ctx.traceRetention?.noteWritten(target, Buffer.byteLength(text));
  return shown;
}

function exportDecision(decision: ProxyDecision, tracePath: string, ctx: EvaluateContext): string[] {
  if (ctx.exporters.length === 0) return [];
  const event = proxyDecisionEvent(decision, { tracePath, producerVersion: ctx.producerVersion, includeArgs: ctx.includeArgsInExports });
  const warnings: string[] = [];
  for (const exporter of ctx.exporters) {
    const outcome = exporter.export(event);
    warnings.push(...outcome.warnings);
    if (outcome.status === 'failed' || outcome.status === 'dropped') warnings.push(`export_failed=${exporter.name}: ${outcome.error}`);
  }
  return warnings;
}

/**
 * §4 step 13: one `{intent_id, intent}` line per decision (append discipline §6.3, 0600). A failure is
 * a warning here: the decision stands and the trace is written (the proxy exits 1 instead).
 */
async function appendIntent(decision: ProxyDecision, ctx: EvaluateContext): Promise<string[]> {
  try {
    const line = JSON.stringify(intentsOutLine(decision));
    return [...(ctx.intents !== undefined ? await ctx.intents.append(line) : appendJsonlLine(resolve(ctx.cwd, ctx.intentsOut), line)).warnings];
  } catch (err) {
    return [`intents_out_failed=${err instanceof Error ? err.message : String(err)}`];
  }
}

/** §5.6 retention after the request: removals are chosen now and run in the background (`applyInBackground`). */
function applyRetention(ctx: EvaluateContext): string[] {
  const warnings: string[] = [];
  for (const cls of ctx.retention) {
    const w = retentionWarning(cls, cls.applyInBackground());
    if (w !== undefined) warnings.push(w);
  }
  return warnings;
}

/**
 * Evaluates one decoded request.
 * @throws HttpError (400 request checks), GaitError (`input_*` → 400, `storage_io` → 500, …)
 */
export async function evaluateRequest(req: EvaluateRequest, ctx: EvaluateContext): Promise<EvaluateOutcome> {
  refusePaths(req, ctx);
  const decision = decide(req, ctx);
  const tracePath = await writeTrace(decision, req, ctx);
  const artifacts = await writeServeArtifacts(decision, req, { ...ctx, write: (path, data, mode) => ctx.writer.write(path, data, mode) });
  const warnings: string[] = [...artifacts.warnings];
  const a = ctx.artifacts;
  warnings.push(...(await recordServeSession(decision, req, tracePath, { ...ctx, runpackDir: a.runpackDir, runpackRetention: a.runpackRetention, hostEnv: a.hostEnv })));
  if (decision.emergencyStopped && decision.result.reasonCodes.includes(EMERGENCY_STOP_PREEMPTED)) {
    const w = ctx.recordBlockedDispatch(decision);
    if (w !== '') warnings.push(w);
  }
  if (ctx.intentsOut !== '') warnings.push(...(await appendIntent(decision, ctx)));
  warnings.push(...exportDecision(decision, tracePath, ctx));
  warnings.push(...applyRetention(ctx));
  const { runpackPath, packPath, packId } = artifacts;
  const output = toProxyOutput(decision, { tracePath, runpackPath, packPath, packId, logExport: ctx.exportPaths.log, otelExport: ctx.exportPaths.otel, warnings });
  const body = omitEmpty(output, ['ok', 'executed']);
  if (req.call === undefined || Object.keys(req.call).length === 0) body['adapter'] = 'intent';
  // §5.6: the request's session id wins over the intent's.
  const sessionId = trimSpec(req.sessionId);
  if (sessionId !== '') body['session_id'] = sessionId;
  body['exit_code'] = exitCodeForVerdict(decision.result.verdict);
  return { decision, body };
}
