/**
 * `gait demo`: the first-win path on a fresh machine. Creates (or reuses) the local dev key pair,
 * evaluates the example intents in `examples/` against `examples/policy.yaml`, writes a signed trace for
 * each and verifies every trace offline. Exit 0 only when every verdict is the documented one and every
 * trace verifies. Then the approval loop (`demo-approval.ts`): token, one allowed run, a refused
 * replay, the audit record verified. Then the evidence loop (`demo-runpack.ts`, artifacts.md §5): the
 * signed runpack `./gait-out/runpack_run_demo.zip` verified from disk, its ticket footer, and a regress
 * fixture bootstrapped from it and run. `--policy` runs the §5 policy demo instead (`demo-policy.ts`).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGateEval } from '../../../artifacts/gate/gate-eval.js';
import { verifyTrace } from '../../../artifacts/trace/verify.js';
import { verifyKeyOf } from '../../../crypto/keys.js';
import type { Verdict } from '../../../policy/model.js';
import { GAIT_VERSION } from '../../../runtime/version.js';
import { writeFileAtomic } from '../../../storage/atomic-write.js';
import { resolveSigningKey } from '../../../storage/key-store.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optString } from '../command.js';
import { EXIT, exitCodeForVerdict } from '../exit.js';
import { loadCompiledPolicy, loadIntentFile } from '../input.js';
import { runApprovalLoop } from './demo-approval.js';
import type { ApprovalLoopStep } from './demo-approval.js';
import { demoNextCommands, METRICS_OPT_IN, runDemoEvidence } from './demo-runpack.js';
import type { DemoEvidence } from './demo-runpack.js';
import { runPolicyDemo } from './demo-policy.js';
import { GaitError } from '../../../errors/error.js';
import { optBool } from '../command.js';

/**
 * The examples directory shipped with the package: the nearest `examples/policy.yaml` above this module
 * (src/ and dist/ modules are four levels below the root, the bundled dist/gait.mjs one).
 */
function findExamplesDir(): string {
  for (const up of ['../', '../../', '../../../', '../../../../']) {
    const dir = fileURLToPath(new URL(`${up}examples/`, import.meta.url));
    if (existsSync(join(dir, 'policy.yaml'))) return dir;
  }
  return fileURLToPath(new URL('../../../../examples/', import.meta.url));
}

const EXAMPLES_DIR = findExamplesDir();

/** What each example is there to show. A different verdict means the gate regressed: the demo fails. */
const EXPECTED: Readonly<Record<string, Verdict>> = {
  'read-config.json': 'allow',
  'write-release-notes.json': 'require_approval',
  'delete-build-dir.json': 'block',
  'post-scraped-data.json': 'block',
  'unannounced-shell.json': 'block',
};

/** The example whose require_approval verdict the approval loop turns into one allowed run. */
const APPROVAL_EXAMPLE = 'write-release-notes.json';

interface DemoStep {
  readonly intent: string;
  readonly verdict: Verdict;
  readonly expected_verdict: Verdict;
  readonly exit_code: number;
  readonly reason_codes: readonly string[];
  readonly trace_id: string;
  readonly trace_path: string;
  readonly trace_verified: boolean;
}

function evidenceLines(e: DemoEvidence, next: readonly string[]): string[] {
  return [
    'evidence:',
    'mode=standard',
    `run_id=${e.runId}`,
    `bundle=${e.bundle}`,
    `ticket_footer=${e.ticketFooter}`,
    `verify=${e.verify}`,
    `regress: fixture=${e.regress.fixture} status=${e.regress.status} graders=${e.regress.graders} config=${e.regress.config} junit=${e.regress.junit}`,
    `next=${next.join(',')}`,
    `metrics_opt_in=${METRICS_OPT_IN}`,
  ];
}

function elapsedMs(ctx: CommandContext, started: ReturnType<CommandContext['io']['clock']['now']>): number {
  const now = ctx.io.clock.now();
  return Math.max(0, Math.round((now.seconds - started.seconds) * 1000 + (now.nanos - started.nanos) / 1e6));
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  if (optBool(ctx, 'durable') && optBool(ctx, 'policy')) throw new GaitError('input_usage', '--durable and --policy are mutually exclusive');
  if (optBool(ctx, 'durable')) throw new GaitError('input_unsupported_feature', 'gait demo --durable needs durable jobs, which are not supported yet');
  if (optBool(ctx, 'policy')) return runPolicyDemo(ctx);
  const started = ctx.io.clock.now();
  const outDir = resolve(ctx.io.cwd, optString(ctx, 'outDir') || 'gait-out/demo');
  const policyPath = join(EXAMPLES_DIR, 'policy.yaml');
  const compiled = loadCompiledPolicy(ctx, policyPath);
  const signer = resolveSigningKey({ mode: 'dev', cwd: ctx.io.cwd, env: ctx.io.env, random: ctx.io.random });
  const verifyKey = verifyKeyOf(signer.key);
  const steps: DemoStep[] = [];
  let approvalSteps: ApprovalLoopStep[] = [];
  for (const name of readdirSync(join(EXAMPLES_DIR, 'intents')).filter((n) => n.endsWith('.json')).sort()) {
    const intent = loadIntentFile(ctx, join(EXAMPLES_DIR, 'intents', name));
    const result = runGateEval(compiled, intent, {
      evaluationTime: ctx.io.clock.now(),
      clock: ctx.io.clock,
      signingKey: signer.key,
      producerVersion: GAIT_VERSION,
      correlationId: ctx.correlationId,
      simulate: false,
    });
    const tracePath = join(outDir, `trace_${name.replace(/\.json$/, '')}.json`);
    writeFileAtomic(tracePath, `${JSON.stringify(result.trace, null, 2)}\n`, { mode: 0o600 });
    // Verify from the bytes on disk, exactly as a third party would.
    const report = verifyTrace(JSON.parse(JSON.stringify(result.trace)) as unknown, verifyKey);
    steps.push({
      intent: name,
      verdict: result.verdict,
      expected_verdict: EXPECTED[name] ?? 'block',
      exit_code: exitCodeForVerdict(result.verdict),
      reason_codes: result.reasonCodes,
      trace_id: result.traceId,
      trace_path: relative(ctx.io.cwd, tracePath),
      trace_verified: report.ok,
    });
    if (name === APPROVAL_EXAMPLE && result.verdict === 'require_approval') {
      approvalSteps = runApprovalLoop(ctx, compiled, intent, result, signer.key, outDir);
    }
  }
  const evidence = runDemoEvidence(ctx, signer.key, outDir);
  const next = demoNextCommands(evidence);
  const ok =
    steps.every((s) => s.verdict === s.expected_verdict && s.trace_verified) &&
    approvalSteps.length > 0 &&
    approvalSteps.every((s) => s.ok) &&
    evidence.ok;
  const json = {
    ok,
    key_id: signer.key.keyId,
    policy_digest: compiled.digest,
    steps,
    approval_steps: approvalSteps,
    warnings: signer.warnings,
    mode: 'standard',
    run_id: evidence.runId,
    bundle: evidence.bundle,
    manifest_digest: evidence.manifestDigest,
    signature_status: evidence.signatureStatus,
    ticket_footer: evidence.ticketFooter,
    verify: evidence.verify,
    intents_path: evidence.intentsPath,
    policy_path: evidence.policyPath,
    regress: {
      status: evidence.regress.status,
      fixture: evidence.regress.fixture,
      graders: evidence.regress.graders,
      failed: evidence.regress.failed,
      config: evidence.regress.config,
      output: evidence.regress.output,
      junit: evidence.regress.junit,
    },
    next_commands: next,
    metrics_opt_in: METRICS_OPT_IN,
    duration_ms: elapsedMs(ctx, started),
  };
  const human = [
    `gait demo: policy ${relative(ctx.io.cwd, policyPath)} (digest ${compiled.digest.slice(0, 12)}…), signing key ${signer.key.keyId.slice(0, 12)}…`,
    ...steps.map(
      (s) =>
        `  ${s.verdict === s.expected_verdict ? 'ok ' : 'BAD'} ${s.intent.padEnd(28)} verdict=${s.verdict.padEnd(16)} exit=${s.exit_code} ` +
        `trace=${s.trace_path} ${s.trace_verified ? 'verified' : 'VERIFY FAILED'}  [${s.reason_codes.join(',')}]`,
    ),
    'approval loop:',
    ...approvalSteps.map(
      (s) => `  ${s.ok ? 'ok ' : 'BAD'} ${s.step.padEnd(36)} ${s.verdict === '' ? '' : `verdict=${s.verdict.padEnd(16)} `}${s.path}${s.reason_codes.length > 0 ? `  [${s.reason_codes.join(',')}]` : ''}`,
    ),
    ...evidenceLines(evidence, next),
    ok
      ? 'demo ok: every decision signed and verified offline; the approval was used once and its replay refused; the run is a verified runpack and a passing regress fixture'
      : 'demo FAILED: see the lines marked BAD or VERIFY FAILED, verify= and regress:',
    ...signer.warnings.map((w) => `warning: ${w}`),
  ];
  return { exitCode: ok ? EXIT.ok : EXIT.internal, json, human };
}

export const demoCommand: CommandSpec = {
  path: ['demo'],
  summary: 'the first-win path: decisions with signed traces, the approval loop, a signed runpack with its ticket footer, and a regress fixture bootstrapped and run',
  options: [
    { flags: '--out-dir <dir>', description: 'where to write the demo traces and regress fixture (default gait-out/demo)' },
    { flags: '--policy', description: 'the policy demo instead: a destructive high-risk call must be blocked' },
    { flags: '--durable', description: 'the durable-job demo (not supported yet)' },
  ],
  run,
};
