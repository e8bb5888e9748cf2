/**
 * The evidence half of `gait demo` (artifacts.md §5 standard mode, issue 4): record the reference-mode
 * runpack `./gait-out/runpack_run_demo.zip` (signed with the demo's key), verify it from disk, print its
 * ticket footer, write the run's intents and policy, then bootstrap a regress fixture from it and run
 * it — the incident-to-regression loop in one command.
 */
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import { diffForRegress } from '../../../artifacts/regress/from-runpack.js';
import { buildRunpackSync } from '../../../artifacts/runpack/build.js';
import { ticketFooter } from '../../../artifacts/runpack/footer.js';
import { parseRunpackInput } from '../../../artifacts/runpack/input.js';
import { verifyRunpack } from '../../../artifacts/runpack/verify.js';
import type { SigningKey } from '../../../crypto/keys.js';
import { verifyKeyOf } from '../../../crypto/keys.js';
import { GAIT_VERSION } from '../../../runtime/version.js';
import { writeFileAtomic } from '../../../storage/atomic-write.js';
import { initFixture } from '../../../storage/regress/init-fixture.js';
import { runRegress, writeRegressOutputs } from '../../../storage/regress/run-regress.js';
import { displayBundlePath, readArtifactFile, writeArtifactFile } from '../../../storage/runpack-files.js';
import type { CommandContext } from '../command.js';

export const DEMO_RUN_ID = 'run_demo';
const T = '2026-02-05T00:00:00Z';
const T_FINISH = '2026-02-05T00:00:02Z';
const TOOLS = ['tool.search', 'tool.fetch', 'tool.summarize'] as const;
const ARGS: readonly Record<string, string>[] = [{ query: 'gait demo: offline verification' }, { url: 'https://example.local/demo' }, { input_ref: 'ref_1' }];

function sha256hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The §5 run-record input of the demo run (V4 of §2.14 with `producerVersion` `0.0.0-dev`). */
export function demoRunpackInput(producerVersion: string): Record<string, unknown> {
  return {
    run: {
      run_id: DEMO_RUN_ID,
      created_at: T,
      producer_version: producerVersion,
      env: { os: 'demo', arch: 'demo', runtime: 'go' },
      timeline: [
        { event: 'start', ts: T },
        { event: 'finish', ts: T_FINISH },
      ],
    },
    intents: TOOLS.map((tool, i) => ({ intent_id: `intent_${i + 1}`, tool_name: tool, args: ARGS[i] })),
    results: TOOLS.map((_tool, i) => ({ intent_id: `intent_${i + 1}`, status: 'ok', result: { ok: true, message: `demo result ${i + 1}` } })),
    refs: {
      receipts: TOOLS.map((tool, i) => ({
        ref_id: `ref_${i + 1}`,
        source_type: 'demo',
        source_locator: tool,
        query_digest: sha256hex(`query-${i + 1}`),
        content_digest: sha256hex(`content-${i + 1}`),
        retrieved_at: T,
        redaction_mode: 'reference',
      })),
    },
    capture_mode: 'reference',
  };
}

/** The three intents as IntentRequests (§5): same args, `created_at` T, identity `demo.user`, workspace `/tmp/demo`, risk `low`. */
export function demoIntentsJsonl(): string {
  return TOOLS.map(
    (tool, i) =>
      `${JSON.stringify({
        schema_id: 'gait.gate.intent_request',
        schema_version: '1.0.0',
        created_at: T,
        producer_version: GAIT_VERSION,
        tool_name: tool,
        args: ARGS[i],
        context: { identity: 'demo.user', workspace: '/tmp/demo', risk_class: 'low' },
      })}\n`,
  ).join('');
}

export const DEMO_POLICY_YAML = `schema_id: gait.gate.policy
schema_version: 1.0.0
default_verdict: block
rules:
  - name: allow-demo-tools
    priority: 10
    effect: allow
    match:
      tool_names: [tool.fetch, tool.search, tool.summarize]
    reason_codes: [demo_tool_allowed]
`;

export interface DemoEvidence {
  readonly ok: boolean;
  readonly runId: string;
  /** `./gait-out/runpack_run_demo.zip` */
  readonly bundle: string;
  readonly manifestDigest: string;
  readonly signatureStatus: string;
  readonly ticketFooter: string;
  /** `ok` when the runpack verified from disk with the demo key */
  readonly verify: 'ok' | 'failed';
  readonly intentsPath: string;
  readonly policyPath: string;
  readonly regress: {
    readonly status: 'pass' | 'fail';
    readonly fixture: string;
    readonly graders: number;
    readonly failed: number;
    readonly config: string;
    readonly output: string;
    readonly junit: string;
  };
}

/** Records, verifies and regresses the demo run; `outDir` (absolute) holds the regress config and results. */
export function runDemoEvidence(ctx: CommandContext, key: SigningKey, outDir: string): DemoEvidence {
  const cwd = ctx.io.cwd;
  const rel = (p: string): string => relative(cwd, p) || '.';
  const built = buildRunpackSync(parseRunpackInput(demoRunpackInput(GAIT_VERSION)), { clock: ctx.io.clock, signingKey: key });
  const bundle = join('gait-out', `runpack_${built.runId}.zip`);
  const full = writeArtifactFile(bundle, built.bytes, cwd);
  const report = verifyRunpack(readArtifactFile(full, { label: 'runpack', display: bundle }), { key: verifyKeyOf(key), requireSignature: true });
  const intentsPath = join('gait-out', `intents_${DEMO_RUN_ID}.jsonl`);
  const policyPath = join('gait-out', `policy_${DEMO_RUN_ID}.yaml`);
  writeFileAtomic(join(cwd, intentsPath), demoIntentsJsonl(), { mode: 0o600 });
  writeFileAtomic(join(cwd, policyPath), DEMO_POLICY_YAML, { mode: 0o644 });
  const configPath = rel(join(outDir, 'regress', 'gait.yaml'));
  const fixture = initFixture({ from: bundle, intents: intentsPath, cwd, env: ctx.io.env, configPath, policyPath, verifyKey: verifyKeyOf(key) });
  const run = runRegress({ configPath, cwd, producerVersion: GAIT_VERSION, differ: diffForRegress });
  const output = join(outDir, 'regress', 'regress_result.json');
  const junit = join(outDir, 'regress', 'junit.xml');
  writeRegressOutputs(run, { outputPath: output, junitPath: junit, signingKey: key });
  return {
    ok: report.ok && run.status === 'pass',
    runId: built.runId,
    bundle: displayBundlePath(bundle),
    manifestDigest: built.manifestDigest,
    signatureStatus: report.signatureStatus,
    ticketFooter: ticketFooter(built.runId, built.manifestDigest),
    verify: report.ok ? 'ok' : 'failed',
    intentsPath: displayBundlePath(intentsPath),
    policyPath: displayBundlePath(policyPath),
    regress: { status: run.status, fixture: fixture.fixtureName, graders: run.graders.length, failed: run.failed, config: configPath, output: rel(output), junit: rel(junit) },
  };
}

/** §5 `next_commands` (without `gait demo --durable`: durable jobs are not built yet). */
export function demoNextCommands(e: DemoEvidence): string[] {
  return [
    `gait verify ${e.runId} --json`,
    `gait regress bootstrap --from ${e.runId} --intents ${e.intentsPath} --policy ${e.policyPath} --json --junit ./gait-out/junit.xml`,
    'gait demo --policy',
  ];
}

export const METRICS_OPT_IN = 'export GAIT_ADOPTION_LOG=./gait-out/adoption.jsonl';
