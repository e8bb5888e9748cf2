/**
 * `gait run replay <run_id|path>` (artifacts.md §2.11). Stub mode replays recorded results and stubs
 * the rest; nothing runs. Real mode's guards are enforced (exit 8), and real execution itself is not
 * built yet: with every guard met it is refused (exit 6, ADR 0004).
 */
import { readRunpackSync } from '../../../artifacts/runpack/read.js';
import { replayRunpackStub } from '../../../artifacts/runpack/replay.js';
import type { Runpack } from '../../../artifacts/runpack/types.js';
import { GaitError } from '../../../errors/error.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optBool, optString } from '../command.js';
import { EXIT } from '../exit.js';
import { omitEmpty } from '../output.js';
import { CAP_OPTIONS, loadRunpackRef, positionalOrFlag, zipLimitsOf } from './artifact-options.js';

function unsafe(message: string): GaitError {
  return new GaitError('internal_unsafe_operation', message);
}

/** Real-mode guards (§2.11), each unmet one exit 8. */
function checkRealModeGuards(ctx: CommandContext, pack: Runpack): never {
  if (!optBool(ctx, 'unsafeRealTools')) throw unsafe('real tool execution requires --unsafe-real-tools');
  const allow = optString(ctx, 'allowTools').split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (allow.length === 0) throw unsafe('real tool execution requires --allow-tools');
  const envName = optString(ctx, 'unsafeRealToolsEnv') || 'GAIT_ALLOW_REAL_REPLAY';
  if (ctx.io.env[envName] !== '1') throw unsafe(`real tool execution requires ${envName}=1`);
  if (pack.manifest.captureMode === 'reference') throw unsafe('real tool execution requires a runpack recorded with capture mode raw');
  throw new GaitError('input_unsupported_feature', 'real tool replay is not built yet; use stub mode (without --real-tools)');
}

async function run(ctx: CommandContext): Promise<CommandOutcome> {
  const ref = positionalOrFlag(ctx, 'from', '--from', 'runpack path or run_id');
  const file = loadRunpackRef(ctx, ref);
  const pack = readRunpackSync(file.bytes, { limits: zipLimitsOf(ctx) });
  if (optBool(ctx, 'realTools')) checkRealModeGuards(ctx, pack);
  const out = replayRunpackStub(pack);
  const json = omitEmpty({
    ok: out.ok,
    run_id: out.runId,
    mode: out.mode,
    steps: out.steps.map((s) => omitEmpty({
      intent_id: s.intentId,
      tool_name: s.toolName,
      status: s.status,
      execution: s.execution,
      stub_type: s.stubType,
      result_digest: s.resultDigest,
    }, ['intent_id', 'tool_name', 'status', 'execution'])),
    missing_results: out.missingResults,
  }, ['ok', 'steps']);
  const human = out.ok
    ? [`replay ok: ${out.runId} (${out.mode})`]
    : [`replay failed: ${out.runId} (${out.mode})`, `missing results: ${out.missingResults.join(',')}`];
  return { exitCode: out.ok ? EXIT.ok : EXIT.verificationFailed, json, human };
}

export const runReplayCommand: CommandSpec = {
  path: ['run', 'replay'],
  summary: 'replay a runpack without side effects: recorded results, deterministic stubs for the rest (exit 2 on missing results)',
  args: ['[run]'],
  options: [
    { flags: '--from <run>', description: 'runpack path or run_id (alternative to the argument)' },
    { flags: '--real-tools', description: 'real mode (guarded; not built yet)' },
    { flags: '--unsafe-real-tools', description: 'acknowledge that real mode runs tools' },
    { flags: '--allow-tools <csv>', description: 'tools real mode may run' },
    { flags: '--unsafe-real-tools-env <var>', description: 'environment variable that must be 1 (default GAIT_ALLOW_REAL_REPLAY)' },
    ...CAP_OPTIONS,
  ],
  run,
};
