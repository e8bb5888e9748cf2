/**
 * `gait regress run` (artifacts.md §4.3–§4.4): replay every fixture's recorded intents through the
 * current policy, grade, write `regress_result.json` (signed when a key is available) and optionally
 * JUnit XML. Exit 0 pass, 5 any failing grader, 6 config/policy/load errors.
 */
import { resolve } from 'node:path';
import { diffForRegress } from '../../../artifacts/regress/from-runpack.js';
import { regressNextCommand } from '../../../artifacts/regress/result.js';
import { GAIT_VERSION } from '../../../runtime/version.js';
import { DEFAULT_REGRESS_CONFIG } from '../../../storage/regress/config-file.js';
import { DEFAULT_REGRESS_OUTPUT, runRegress, writeRegressOutputs } from '../../../storage/regress/run-regress.js';
import type { RegressRun } from '../../../storage/regress/run-regress.js';
import type { CommandContext, CommandOutcome, CommandSpec, OptionSpec } from '../command.js';
import { optBool, optString } from '../command.js';
import { EXIT } from '../exit.js';
import { maxInputBytes } from '../input.js';
import type { JsonOut } from '../output.js';
import { omitEmpty } from '../output.js';
import { createProgress } from '../progress.js';
import { ARTIFACT_KEY_OPTIONS, loadArtifactSigner } from './artifact-options.js';

export const REGRESS_RUN_OPTIONS: readonly OptionSpec[] = [
  { flags: '--config <path>', description: `regress config (default ${DEFAULT_REGRESS_CONFIG})` },
  { flags: '--policy <path>', description: 'replay every fixture under this policy (default: fixture, then config policy, then .gait.yaml)' },
  { flags: '--output <path>', description: `result file (default ${DEFAULT_REGRESS_OUTPUT})` },
  { flags: '--junit <path>', description: 'also write JUnit XML here' },
  { flags: '--context-conformance', description: 'enforce context evidence conformance for every fixture' },
  { flags: '--allow-context-runtime-drift', description: 'accept runtime-only context drift' },
  { flags: '--allow-nondeterministic', description: 'accepted for Gait v1 compatibility; replay here is always deterministic' },
  { flags: '--max-input-bytes <n>', description: 'size cap for policy files (default 1048576)' },
  ...ARTIFACT_KEY_OPTIONS,
];

/** The result of the run half, for `regress run` and `regress bootstrap`. */
export interface RegressRunOutcome {
  readonly exitCode: number;
  readonly json: JsonOut;
  readonly human: string[];
}

function flagOr(ctx: CommandContext, name: string, fallback: string): string {
  const value = optString(ctx, name).trim();
  return value === '' ? fallback : value;
}

function failures(run: RegressRun): JsonOut[] {
  return run.graders.filter((g) => g.status === 'fail').map((g) => ({ name: g.name, fixture: g.fixture, grader: g.grader, reason_codes: [...g.reasonCodes] }));
}

/** `  intent_2 tool.fetch: expected allow, got block (default_block)` for each mismatched replayed decision. */
function decisionLines(g: RegressRun['graders'][number]): string[] {
  const decisions = g.details['decisions'];
  if (!Array.isArray(decisions)) return [];
  return decisions.flatMap((d) => {
    if (d === null || typeof d !== 'object' || Array.isArray(d) || !Array.isArray(d['mismatches'])) return [];
    const reasons = Array.isArray(d['actual_reason_codes']) ? d['actual_reason_codes'].join(',') : '';
    return [`  ${String(d['intent_id'])} ${String(d['tool_name'])}: expected ${String(d['expected_verdict'])}, got ${String(d['actual_verdict'])} (${reasons})`];
  });
}

function humanLines(run: RegressRun, output: string, junit: string, next: string, artifacts: readonly string[]): string[] {
  if (run.status === 'pass') {
    return [`regress run ok: fixture_set=${run.fixtureSet} graders=${run.graders.length}`, `output: ${output}`, ...(junit === '' ? [] : [`junit: ${junit}`])];
  }
  return [
    `regress run failed: fixture_set=${run.fixtureSet} failed=${run.failed}`,
    `top_failure_reason: ${run.topFailureReason}`,
    ...run.graders.filter((g) => g.status === 'fail').flatMap((g) => [`fail: ${g.name}: ${g.reasonCodes.join(',') || 'failed'}`, ...decisionLines(g)]),
    `next: ${next}`,
    `artifacts: ${artifacts.join(', ')}`,
    `output: ${output}`,
  ];
}

/** Runs the fixtures of `--config` and writes the outputs; shared with `regress bootstrap`. */
export function runRegressFromFlags(ctx: CommandContext): RegressRunOutcome {
  const configPath = flagOr(ctx, 'config', DEFAULT_REGRESS_CONFIG);
  const output = flagOr(ctx, 'output', DEFAULT_REGRESS_OUTPUT);
  const junit = optString(ctx, 'junit').trim();
  const signer = loadArtifactSigner(ctx);
  const progress = createProgress(ctx.io, { json: ctx.json, title: 'regress' });
  let run: RegressRun;
  try {
    run = runRegress({
      configPath,
      cwd: ctx.io.cwd,
      ...(optString(ctx, 'policy').trim() === '' ? {} : { policyPath: optString(ctx, 'policy').trim() }),
      contextConformance: optBool(ctx, 'contextConformance'),
      allowContextRuntimeDrift: optBool(ctx, 'allowContextRuntimeDrift'),
      producerVersion: GAIT_VERSION,
      differ: diffForRegress,
      maxInputBytes: maxInputBytes(ctx),
      onProgress: (done, total, name) => progress.update(done, total, name),
    });
  } finally {
    progress.finish();
  }
  writeRegressOutputs(run, {
    outputPath: resolve(ctx.io.cwd, output),
    ...(junit === '' ? {} : { junitPath: resolve(ctx.io.cwd, junit) }),
    ...(signer === undefined ? {} : { signingKey: signer.key }),
  });
  const artifacts = [output, ...(junit === '' ? [] : [junit])];
  const next = run.status === 'fail' ? regressNextCommand(configPath) : '';
  const json = omitEmpty(
    {
      ok: run.status === 'pass',
      status: run.status,
      fixture_set: run.fixtureSet,
      graders: run.graders.length,
      failed: run.failed,
      top_failure_reason: run.topFailureReason,
      next_command: next,
      artifact_paths: artifacts,
      output,
      junit,
      failures: failures(run),
      signature_status: signer === undefined ? 'missing' : 'signed',
      warnings: signer?.warnings ?? [],
    },
    ['ok', 'status', 'fixture_set', 'graders', 'failed'],
  );
  return { exitCode: run.status === 'pass' ? EXIT.ok : EXIT.regressFailed, json, human: humanLines(run, output, junit, next, artifacts) };
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  return runRegressFromFlags(ctx);
}

export const regressRunCommand: CommandSpec = {
  path: ['regress', 'run'],
  summary: 'replay every regress fixture through the current policy and grade it; exit 0 pass, 5 regression',
  options: REGRESS_RUN_OPTIONS,
  run,
};
