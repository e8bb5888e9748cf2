/** `gait gate eval` (gate.md §A12.3): flags, config, I/O and output around `runGateEval`. */
import { resolve } from 'node:path';
import { GaitError } from '../../../errors/error.js';
import { runGateEval } from '../../../artifacts/gate/gate-eval.js';
import type { GateEvalResult } from '../../../artifacts/gate/gate-eval.js';
import { assertPolicyFitsProfile, parseProfile } from '../../../policy/profile.js';
import type { Profile } from '../../../policy/profile.js';
import { parseTimestamp, toUtc } from '../../../runtime/timestamp.js';
import type { Timestamp } from '../../../runtime/timestamp-type.js';
import { GAIT_VERSION } from '../../../runtime/version.js';
import type { Intent } from '../../../schema/v1/intent-types.js';
import { assertSafeRelativePath, writeFileAtomic } from '../../../storage/atomic-write.js';
import { resolveSigningKey } from '../../../storage/key-store.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optBool, optString } from '../command.js';
import { exitCodeForVerdict } from '../exit.js';
import { loadCompiledPolicy, loadIntentFile } from '../input.js';
import { omitEmpty } from '../output.js';
import { APPROVAL_OPTIONS, loadApprovals } from './gate-approvals.js';
import { applyGateConfig } from './gate-config.js';
import { CONTEXT_OPTIONS, loadContextEnvelope } from './gate-context.js';
import { refuseUnsupportedFlags, UNSUPPORTED_GATE_FLAGS } from './gate-unsupported.js';
import { KEY_OPTIONS } from './key-options.js';

function parseEvaluationTime(ctx: CommandContext): Timestamp {
  const raw = optString(ctx, 'evaluationTime');
  if (raw === '') return ctx.io.clock.now();
  try {
    return toUtc(parseTimestamp(raw));
  } catch (err) {
    throw new GaitError('input_usage', `invalid --evaluation-time: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function checkProfileFlags(profile: Profile, flags: { simulate: boolean; keyMode: string; privateKey: string; privateKeyEnv: string }): void {
  if (profile !== 'oss-prod') return;
  if (flags.simulate) throw new GaitError('input_usage', 'oss-prod profile does not allow --simulate');
  if (flags.keyMode !== 'prod') throw new GaitError('input_usage', 'oss-prod profile requires --key-mode prod');
  if (flags.privateKey === '' && flags.privateKeyEnv === '') {
    throw new GaitError('input_usage', 'oss-prod profile requires --private-key or --private-key-env');
  }
}

function identityPassthrough(intent: Intent): Record<string, unknown> {
  return {
    auth_context: intent.context.authContext,
    credential_scopes: intent.context.credentialScopes,
    environment_fingerprint: intent.context.environmentFingerprint,
  };
}

function toJson(r: GateEvalResult, extra: { profile: Profile; tracePath: string; auditPath: string; warnings: string[] }): Record<string, unknown> {
  const intent = r.decision.intent;
  return omitEmpty({
    ok: true,
    profile: extra.profile,
    verdict: r.presented.verdict,
    reason_codes: r.presented.reasonCodes,
    violations: r.presented.violations,
    approval_ref: r.approvalRef,
    required_approvals: r.requiredApprovals,
    valid_approvals: r.validApprovals,
    approval_audit_path: extra.auditPath,
    trace_id: r.traceId,
    trace_path: extra.tracePath,
    policy_digest: r.decision.policyDigest,
    intent_digest: r.decision.intentDigest,
    context_set_digest: intent?.context.contextSetDigest,
    context_evidence_mode: intent?.context.contextEvidenceMode,
    context_ref_count: intent?.context.contextRefs.length,
    context_source: r.decision.contextSource,
    matched_rule: r.decision.matchedRule,
    phase: intent?.context.phase,
    simulate_mode: r.simulated !== undefined,
    would_have_blocked: r.simulated?.wouldHaveBlocked,
    simulated_verdict: r.simulated?.simulatedVerdict,
    simulated_reason_codes: r.simulated?.simulatedReasonCodes,
    warnings: [...new Set(extra.warnings)].sort(),
    ...(intent === undefined ? {} : identityPassthrough(intent)),
  });
}

function toHuman(r: GateEvalResult, tracePath: string, auditPath: string, warnings: string[]): string[] {
  const lines = [`gate eval: verdict=${r.presented.verdict}`, `trace: ${tracePath}`];
  if (r.presented.reasonCodes.length > 0) lines.push(`reasons: ${r.presented.reasonCodes.join(',')}`);
  if (r.presented.violations.length > 0) lines.push(`violations: ${r.presented.violations.join(',')}`);
  if (r.requiredApprovals > 0) lines.push(`approvals: ${r.validApprovals}/${r.requiredApprovals}`);
  if (auditPath !== '') lines.push(`approval audit: ${auditPath}`);
  if (r.simulated !== undefined) {
    lines.push(`simulate: would_have_blocked=${String(r.simulated.wouldHaveBlocked)} simulated_verdict=${r.simulated.simulatedVerdict}`);
  }
  for (const w of [...new Set(warnings)].sort()) lines.push(`warning: ${w}`);
  return lines;
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  refuseUnsupportedFlags(ctx);
  const flags = applyGateConfig(ctx);
  if (flags.policy === '' || flags.intent === '') throw new GaitError('input_usage', 'both --policy and --intent are required');
  const profile = parseProfile(flags.profile);
  const simulate = optBool(ctx, 'simulate');
  checkProfileFlags(profile, { simulate, ...flags });
  const evaluationTime = parseEvaluationTime(ctx);
  const auditOut = optString(ctx, 'approvalAuditOut');
  if (flags.traceOut !== '') assertSafeRelativePath(flags.traceOut, 'trace');
  if (auditOut !== '') assertSafeRelativePath(auditOut, 'approval audit');
  const compiled = loadCompiledPolicy(ctx, flags.policy);
  assertPolicyFitsProfile(compiled.policy, profile);
  const intent = loadIntentFile(ctx, flags.intent);
  const contextEnvelope = loadContextEnvelope(ctx);
  const signer = resolveSigningKey({
    mode: flags.keyMode === '' ? 'dev' : flags.keyMode,
    privateKeyPath: flags.privateKey,
    privateKeyEnv: flags.privateKeyEnv,
    cwd: ctx.io.cwd,
    env: ctx.io.env,
    random: ctx.io.random,
  });
  const approvals = loadApprovals(ctx, flags, signer.key, profile);
  let result: GateEvalResult;
  try {
    result = runGateEval(compiled, intent, {
      evaluationTime,
      clock: ctx.io.clock,
      signingKey: signer.key,
      producerVersion: GAIT_VERSION,
      correlationId: ctx.correlationId,
      simulate,
      approvalTokenRef: optString(ctx, 'approvalTokenRef'),
      approvals: approvals.input,
      ...(contextEnvelope === undefined ? {} : { contextEnvelope }),
    });
  } finally {
    approvals.close();
  }
  const tracePath = flags.traceOut === '' ? `trace_${result.traceId}.json` : flags.traceOut;
  writeFileAtomic(resolve(ctx.io.cwd, tracePath), `${JSON.stringify(result.trace, null, 2)}\n`, { mode: 0o600 });
  let auditPath = '';
  if (result.approvalAudit !== undefined) {
    auditPath = auditOut === '' ? `approval_audit_${result.traceId}.json` : auditOut;
    writeFileAtomic(resolve(ctx.io.cwd, auditPath), `${JSON.stringify(result.approvalAudit, null, 2)}\n`, { mode: 0o600 });
  }
  const warnings = [...signer.warnings];
  const exitCode = simulate ? 0 : exitCodeForVerdict(result.verdict);
  return {
    exitCode,
    json: toJson(result, { profile, tracePath, auditPath, warnings }),
    human: toHuman(result, tracePath, auditPath, warnings),
  };
}

export const gateEvalCommand: CommandSpec = {
  path: ['gate', 'eval'],
  summary: 'evaluate one tool-call intent against a policy, write a signed trace, and exit 0 allow/dry_run, 3 block, 4 require_approval',
  options: [
    { flags: '--policy <path>', description: 'policy YAML file' },
    { flags: '--intent <path>', description: 'IntentRequest JSON file' },
    { flags: '--trace-out <path>', description: 'where to write the signed trace (default trace_<trace_id>.json)' },
    { flags: '--profile <name>', description: 'standard (default) or oss-prod' },
    { flags: '--evaluation-time <rfc3339>', description: 'evaluate as of this instant (agent expiry); default now' },
    { flags: '--simulate', description: 'observe mode: report what would have happened, exit 0; the trace keeps the real verdict' },
    { flags: '--approval-token-ref <ref>', description: 'reference recorded as the trace approval_token_ref' },
    ...APPROVAL_OPTIONS,
    ...CONTEXT_OPTIONS,
    { flags: '--config <path>', description: 'config file (default .gait/config.yaml)' },
    { flags: '--no-config', description: 'ignore the config file' },
    { flags: '--max-input-bytes <n>', description: 'size cap for the policy and intent files (default 1048576)' },
    ...KEY_OPTIONS,
    ...UNSUPPORTED_GATE_FLAGS,
  ],
  run,
};
