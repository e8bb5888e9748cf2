/**
 * `gait mcp proxy` / `gait mcp bridge` (mcp-and-export.md §4): one tool call in, one decision out,
 * a signed trace written, exports appended. The proxy never executes the tool: `executed: false`.
 */
import { resolve } from 'node:path';
import { GaitError } from '../../../errors/error.js';
import { appendJsonlLine } from '../../../exporters/jsonl-append.js';
import type { DecisionEvent, DecisionExporter, ExportWarning } from '../../../exporters/types.js';
import type { CompiledPolicy } from '../../../policy/compile.js';
import type { TrustSnapshotState } from '../../../policy/mcp-trust.js';
import { parseProfile } from '../../../policy/profile.js';
import type { Profile } from '../../../policy/profile.js';
import { GAIT_VERSION } from '../../../runtime/version.js';
import { assertSafeRelativePath, writeFileAtomic } from '../../../storage/atomic-write.js';
import { resolveSigningKey } from '../../../storage/key-store.js';
import { parseJsonText, readInputFile } from '../../../storage/read-input.js';
import { loadTrustSnapshotFile } from '../../../storage/trust-snapshot.js';
import { readJobStopState, recordBlockedDispatch } from '../../mcp/job-status.js';
import { buildProxyArtifacts } from '../../mcp/proxy-runpack.js';
import { hostRunEnv } from '../../../storage/runpack-files.js';
import type { SigningKey } from '../../../crypto/keys.js';
import { assertRunIdUsable, decideToolCall, defaultTraceFileName, intentsOutLine, proxyDecisionEvent, toProxyOutput } from '../../mcp/proxy.js';
import type { ProxyDecision } from '../../mcp/proxy.js';
import type { CommandContext, CommandOutcome, CommandSpec, OptionSpec } from '../command.js';
import { optString } from '../command.js';
import { EXIT, exitCodeForVerdict } from '../exit.js';
import { loadCompiledPolicy, maxInputBytes } from '../input.js';
import { omitEmpty } from '../output.js';
import { CONTEXT_OPTIONS, loadContextEnvelope } from './gate-context.js';
import { buildExporters, EXPORT_OPTIONS, readExportSettings } from './export-options.js';
import type { ExportSettings } from './export-options.js';
import { KEY_OPTIONS } from './key-options.js';

const USAGE = 'expected --policy <policy.yaml> and --call <tool_call.json|->';

/** Flags of §4 whose features are not built yet: refused (exit 6), never ignored. */
const NOT_YET: readonly [string, string, string][] = [
  ['killSwitchState', '--kill-switch-state', 'the kill switch (gate.md §B7)'],
];

function refuseNotYet(ctx: CommandContext): void {
  for (const [attr, flag, feature] of NOT_YET) {
    if (ctx.setFlags.has(attr)) throw new GaitError('input_unsupported_feature', `flag \`${flag}\` is not supported yet: ${feature}`);
  }
}

function readCall(ctx: CommandContext, path: string): unknown {
  if (path === '-') {
    if (ctx.io.stdin === undefined) throw new GaitError('input_usage', 'cannot read the tool call from stdin here');
    const bytes = ctx.io.stdin();
    if (bytes.length > maxInputBytes(ctx)) throw new GaitError('input_too_large', `tool call on stdin exceeds ${maxInputBytes(ctx)} bytes`);
    return parseJsonText(Buffer.from(bytes).toString('utf8'), { label: 'tool call', file: '-' });
  }
  const text = readInputFile(resolve(ctx.io.cwd, path), { label: 'tool call', maxBytes: maxInputBytes(ctx), displayPath: path });
  return parseJsonText(text, { label: 'tool call', file: path });
}

function trustSnapshotOf(ctx: CommandContext, compiled: CompiledPolicy): TrustSnapshotState | undefined {
  const config = compiled.policy.mcpTrust;
  if (config === undefined) return undefined;
  return loadTrustSnapshotFile(config.snapshot, { cwd: ctx.io.cwd }).state;
}

interface Inputs {
  readonly policy: string;
  readonly call: string;
  readonly profile: Profile;
  readonly traceOut: string;
  readonly intentsOut: string;
  readonly runpackOut: string;
  readonly packOut: string;
  readonly exports: ExportSettings;
}

function readInputs(ctx: CommandContext): Inputs {
  refuseNotYet(ctx);
  const positional = [...ctx.args];
  const policy = optString(ctx, 'policy').trim() || (positional.shift() ?? '');
  const call = optString(ctx, 'call').trim() || (positional.shift() ?? '');
  if (policy === '' || call === '') throw new GaitError('input_usage', USAGE);
  const profile = parseProfile(optString(ctx, 'profile').trim());
  const keyMode = optString(ctx, 'keyMode').trim();
  if (profile === 'oss-prod' && keyMode !== 'prod') throw new GaitError('input_usage', 'oss-prod profile requires --key-mode prod');
  assertRunIdUsable(optString(ctx, 'runId'), '--run-id');
  const traceOut = optString(ctx, 'traceOut').trim();
  const intentsOut = optString(ctx, 'intentsOut').trim();
  const runpackOut = optString(ctx, 'runpackOut').trim();
  const packOut = optString(ctx, 'packOut').trim();
  if (traceOut !== '') assertSafeRelativePath(traceOut, 'trace');
  if (intentsOut !== '') assertSafeRelativePath(intentsOut, 'intents');
  if (runpackOut !== '') assertSafeRelativePath(runpackOut, 'runpack');
  if (packOut !== '') assertSafeRelativePath(packOut, 'pack');
  return { policy, call, profile, traceOut, intentsOut, runpackOut, packOut, exports: readExportSettings(ctx) };
}

function decide(ctx: CommandContext, inputs: Inputs): { decision: ProxyDecision; key: SigningKey } {
  const startedAt = ctx.io.clock.now();
  const payload = readCall(ctx, inputs.call);
  const compiled = loadCompiledPolicy(ctx, inputs.policy);
  const contextEnvelope = loadContextEnvelope(ctx);
  const keyMode = optString(ctx, 'keyMode').trim();
  const signer = resolveSigningKey({
    mode: keyMode === '' ? 'dev' : (keyMode as 'dev' | 'prod'),
    privateKeyPath: optString(ctx, 'privateKey'),
    privateKeyEnv: optString(ctx, 'privateKeyEnv'),
    cwd: ctx.io.cwd,
    env: ctx.io.env,
    random: ctx.io.random,
  });
  const jobRoot = optString(ctx, 'jobRoot').trim();
  const decision = decideToolCall({
    adapter: optString(ctx, 'adapter'),
    payload,
    profile: inputs.profile,
    compiled,
    trustSnapshot: trustSnapshotOf(ctx, compiled),
    contextEnvelope,
    signingKey: signer.key,
    clock: ctx.io.clock,
    correlationId: ctx.correlationId,
    producerVersion: GAIT_VERSION,
    runId: optString(ctx, 'runId'),
    contextOverrides: {
      identity: optString(ctx, 'identity'),
      workspace: optString(ctx, 'workspace'),
      riskClass: optString(ctx, 'riskClass'),
      sessionId: optString(ctx, 'sessionId'),
    },
    jobState: (jobId) => readJobStopState(jobId, jobRoot, ctx.io.cwd),
    startedAt,
  });
  return { decision: { ...decision, warnings: [...decision.warnings, ...signer.warnings] }, key: signer.key };
}

interface Emitted {
  readonly tracePath: string;
  readonly runpackPath: string;
  readonly packPath: string;
  readonly packId: string;
  readonly warnings: string[];
  readonly error: string;
}

/** Exports (§4 step 14): file failures are errors (exit 1), OTLP failures warnings. */
async function runExports(event: DecisionEvent, settings: ExportSettings, ctx: CommandContext, warnings: string[]): Promise<string> {
  const seen: ExportWarning[] = [];
  const exporters = buildExporters(settings, ctx, (w) => seen.push(w), true);
  const errors: string[] = [];
  for (const exporter of [exporters.log, exporters.otel]) {
    if (exporter === undefined) continue;
    const outcome = exporter.export(event);
    if (outcome.status === 'failed' || outcome.status === 'dropped') errors.push(`export_failed=${exporter.name}: ${outcome.error}`);
  }
  if (exporters.otlp !== undefined) await sendOnce(exporters.otlp, event);
  for (const w of seen) if (w.kind !== 'export_failed' || w.exporter === 'otlp') warnings.push(w.message);
  return errors.join('; ');
}

async function sendOnce(otlp: DecisionExporter, event: DecisionEvent): Promise<void> {
  otlp.export(event);
  await otlp.close();
}

/** §4 steps 11–12: the runpack and the pack, signed with the trace key; failures are hard errors (exit 1). */
function emitArtifacts(ctx: CommandContext, inputs: Inputs, decision: ProxyDecision, key: SigningKey, warnings: string[]): { packId: string } {
  if (inputs.runpackOut === '' && inputs.packOut === '') return { packId: '' };
  const built = buildProxyArtifacts(decision, { signingKey: key, producerVersion: GAIT_VERSION, hostEnv: hostRunEnv(), pack: inputs.packOut !== '' });
  warnings.push(...built.warnings);
  if (inputs.runpackOut !== '') writeFileAtomic(resolve(ctx.io.cwd, inputs.runpackOut), built.runpack, { mode: 0o600 });
  if (built.pack === undefined) return { packId: '' };
  writeFileAtomic(resolve(ctx.io.cwd, inputs.packOut), built.pack.bytes, { mode: 0o600 });
  return { packId: built.pack.packId };
}

async function emit(ctx: CommandContext, inputs: Inputs, decision: ProxyDecision, key: SigningKey): Promise<Emitted> {
  const r = decision.result;
  const tracePath = inputs.traceOut === '' ? defaultTraceFileName(decision.runId, decision.decidedAt) : inputs.traceOut;
  // A trace that cannot be written is a hard error (exit 1, §4 step 8): storage_io propagates.
  writeFileAtomic(resolve(ctx.io.cwd, tracePath), `${JSON.stringify(r.trace, null, 2)}\n`, { mode: 0o600 });
  const warnings: string[] = [];
  const { packId } = emitArtifacts(ctx, inputs, decision, key, warnings);
  if (decision.emergencyStopped && r.reasonCodes.includes('emergency_stop_preempted')) {
    const w = recordBlockedDispatch(decision.intent.context.jobId, optString(ctx, 'jobRoot').trim(), ctx.io.cwd, {
      traceId: r.traceId,
      toolName: decision.intent.toolName,
      createdAt: ctx.io.clock.now(),
    });
    if (w !== '') warnings.push(w);
  }
  const errors: string[] = [];
  if (inputs.intentsOut !== '') {
    try {
      const result = appendJsonlLine(resolve(ctx.io.cwd, inputs.intentsOut), JSON.stringify(intentsOutLine(decision)));
      warnings.push(...result.warnings);
    } catch (err) {
      errors.push(`intents_out_failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const event = proxyDecisionEvent(decision, { tracePath, producerVersion: GAIT_VERSION, includeArgs: inputs.exports.includeArgs });
  const exportError = await runExports(event, inputs.exports, ctx, warnings);
  if (exportError !== '') errors.push(exportError);
  return { tracePath, runpackPath: inputs.runpackOut, packPath: inputs.packOut, packId, warnings, error: errors.join('; ') };
}

function human(decision: ProxyDecision, emitted: Emitted, warnings: readonly string[]): string[] {
  const lines = [`mcp proxy: verdict=${decision.result.verdict}`, `trace: ${emitted.tracePath}`];
  if (emitted.runpackPath !== '') lines.push(`runpack: ${emitted.runpackPath}`);
  if (emitted.packPath !== '') lines.push(`pack: ${emitted.packPath}`);
  if (decision.result.reasonCodes.length > 0) lines.push(`reasons: ${decision.result.reasonCodes.join(',')}`);
  for (const w of warnings) lines.push(`warning: ${w}`);
  if (emitted.error !== '') lines.push(`mcp proxy error: ${emitted.error}`);
  return lines;
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const inputs = readInputs(ctx);
  const { decision, key } = decide(ctx, inputs);
  const emitted = await emit(ctx, inputs, decision, key);
  const output = toProxyOutput(decision, {
    tracePath: emitted.tracePath,
    runpackPath: emitted.runpackPath,
    packPath: emitted.packPath,
    packId: emitted.packId,
    logExport: inputs.exports.logOut,
    otelExport: inputs.exports.otelOut,
    warnings: emitted.warnings,
    ...(emitted.error === '' ? {} : { error: emitted.error }),
  });
  const json = omitEmpty(output, ['ok', 'executed']);
  const exitCode = emitted.error === '' ? exitCodeForVerdict(decision.result.verdict) : EXIT.internal;
  return { exitCode, json, human: human(decision, emitted, (json['warnings'] as string[] | undefined) ?? []) };
}

const PROXY_OPTIONS: readonly OptionSpec[] = [
  { flags: '--policy <path>', description: 'policy YAML file (or the first positional argument)' },
  { flags: '--call <path|->', description: 'tool-call JSON file, `-` for stdin (or the second positional argument)' },
  { flags: '--adapter <name>', description: 'mcp (default), openai, anthropic, langchain, claude_code' },
  { flags: '--profile <name>', description: 'standard (default) or oss-prod' },
  { flags: '--job-root <dir>', description: 'job state directory for the emergency-stop check (default ./gait-out/jobs)' },
  { flags: '--trace-out <path>', description: 'signed trace path (default trace_<run id>_<UTC timestamp>.json)' },
  { flags: '--run-id <id>', description: 'run id (default context.run_id, else run_mcp_<intent digest prefix>)' },
  { flags: '--intents-out <path>', description: 'append the normalized intent as one JSONL line (may hold sensitive arguments)' },
  { flags: '--identity <id>', description: 'context.identity for the intent (replaces the call’s)' },
  { flags: '--workspace <path>', description: 'context.workspace for the intent (replaces the call’s)' },
  { flags: '--risk-class <class>', description: 'context.risk_class for the intent (replaces the call’s)' },
  { flags: '--session-id <id>', description: 'context.session_id for the intent (replaces the call’s)' },
  { flags: '--kill-switch-state <path>', description: 'not supported yet: the kill switch (gate.md §B7)' },
  { flags: '--runpack-out <path>', description: 'write a reference-mode runpack of the decision, signed with the trace key' },
  { flags: '--pack-out <path>', description: 'write a run pack of the decision (from its runpack), signed with the trace key' },
  { flags: '--max-input-bytes <n>', description: 'size cap for the policy and tool-call files (default 1048576)' },
  ...CONTEXT_OPTIONS,
  ...EXPORT_OPTIONS,
  ...KEY_OPTIONS,
];

const SUMMARY =
  'decide one tool call (openai, anthropic, langchain, mcp, claude_code) against a policy without executing it; write a signed trace and exports; exit 0 allow/dry_run, 3 block, 4 require_approval';

export const mcpProxyCommand: CommandSpec = { path: ['mcp', 'proxy'], summary: SUMMARY, args: ['[policy]', '[call]'], options: PROXY_OPTIONS, run };
export const mcpBridgeCommand: CommandSpec = { path: ['mcp', 'bridge'], summary: `alias of \`mcp proxy\`: ${SUMMARY}`, args: ['[policy]', '[call]'], options: PROXY_OPTIONS, run };
