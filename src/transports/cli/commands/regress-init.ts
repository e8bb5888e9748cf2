/**
 * `gait regress init|add` (artifacts.md §4.2): turn a recorded run into a regress fixture. `add`
 * also accepts a capture receipt (`gait.capture.receipt`) whose `artifact_type` is `runpack`.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { normalizeVerdictText } from '../../../artifacts/regress/names.js';
import type { ExpectedVerdict } from '../../../artifacts/regress/types.js';
import type { VerifyKey } from '../../../crypto/keys.js';
import { GaitError } from '../../../errors/error.js';
import { parseTimestamp } from '../../../runtime/timestamp.js';
import { isJsonObject } from '../../../schema/v1/decode.js';
import { resolveVerifyKey } from '../../../storage/key-store.js';
import { parseJsonText, readInputFile } from '../../../storage/read-input.js';
import { DEFAULT_REGRESS_CONFIG } from '../../../storage/regress/config-file.js';
import { initFixture } from '../../../storage/regress/init-fixture.js';
import type { InitFixtureResult } from '../../../storage/regress/init-fixture.js';
import type { CommandContext, CommandOutcome, CommandSpec, OptionSpec } from '../command.js';
import { optString } from '../command.js';
import { EXIT } from '../exit.js';
import type { JsonOut } from '../output.js';
import { omitEmpty } from '../output.js';

export const REGRESS_INIT_OPTIONS: readonly OptionSpec[] = [
  { flags: '--from <run_id|path>', description: 'the recorded run: a run id, a runpack zip or a run pack zip' },
  { flags: '--intents <file|dir>', description: 'the gate intent requests of that run (JSONL, JSON array, or a directory of *.json)' },
  { flags: '--policy <path>', description: 'policy the fixture replays under (default: config policy, then .gait.yaml)' },
  { flags: '--expect <verdict>', description: 'expected verdict for every intent: allow, block, require_approval or dry_run' },
  { flags: '--evaluation-time <rfc3339>', description: 'replay at this instant (default: each intent created_at)' },
  { flags: '--name <name>', description: 'fixture name (default: the run id, lowercased)' },
  { flags: '--checkpoint <latest|N>', description: 'session chain checkpoint (session chains are not supported yet)' },
];

const EXPECT_VERDICTS: readonly ExpectedVerdict[] = ['allow', 'block', 'require_approval', 'dry_run'];

function expectFlag(ctx: CommandContext): ExpectedVerdict | undefined {
  const raw = optString(ctx, 'expect').trim();
  if (raw === '') return undefined;
  const verdict = normalizeVerdictText(raw);
  if (verdict === undefined || !EXPECT_VERDICTS.includes(verdict)) {
    throw new GaitError('input_usage', `invalid --expect \`${raw}\`: expected allow, block, require_approval or dry_run`);
  }
  return verdict;
}

function evaluationTimeFlag(ctx: CommandContext): string | undefined {
  const raw = optString(ctx, 'evaluationTime').trim();
  if (raw === '') return undefined;
  try {
    parseTimestamp(raw);
  } catch (cause) {
    throw new GaitError('input_time', `invalid --evaluation-time: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  return raw;
}

/** The local development public key, which `gait verify` also uses by default (§2.8). */
function devVerifyKey(ctx: CommandContext): VerifyKey | undefined {
  const path = join(ctx.io.cwd, '.gait', 'keys', 'dev_public.key');
  return existsSync(path) ? resolveVerifyKey({ publicKeyPath: path, cwd: ctx.io.cwd, env: ctx.io.env }).key : undefined;
}

/** `regress add --from receipt.json`: the runpack a `gait.capture.receipt` points at. */
function fromCaptureReceipt(ctx: CommandContext, from: string): string {
  if (!from.toLowerCase().endsWith('.json')) return from;
  const text = readInputFile(resolve(ctx.io.cwd, from), { label: 'capture receipt', displayPath: from });
  const raw = parseJsonText(text, { label: 'capture receipt', file: from });
  if (!isJsonObject(raw) || raw['schema_id'] !== 'gait.capture.receipt') return from;
  if (raw['artifact_type'] !== 'runpack') {
    throw new GaitError('input_usage', `capture receipt \`${from}\` is not for a runpack (artifact_type \`${String(raw['artifact_type'])}\`)`);
  }
  const path = raw['artifact_path'];
  if (typeof path !== 'string' || path.trim() === '') throw new GaitError('input_usage', `capture receipt \`${from}\` has no artifact_path`);
  return path.trim();
}

/** Runs the init half; shared by `regress init`, `regress add` and `regress bootstrap`. */
export function initFromFlags(ctx: CommandContext, acceptReceipt: boolean): InitFixtureResult {
  if (optString(ctx, 'checkpoint').trim() !== '') {
    throw new GaitError('input_unsupported_feature', '--checkpoint needs session chains, which are not supported yet');
  }
  const rawFrom = optString(ctx, 'from').trim();
  if (rawFrom === '') throw new GaitError('input_usage', 'regress init requires --from <run_id|path>');
  const expect = expectFlag(ctx);
  const evaluationTime = evaluationTimeFlag(ctx);
  const verifyKey = devVerifyKey(ctx);
  return initFixture({
    from: acceptReceipt ? fromCaptureReceipt(ctx, rawFrom) : rawFrom,
    intents: optString(ctx, 'intents'),
    cwd: ctx.io.cwd,
    env: ctx.io.env,
    configPath: optString(ctx, 'config').trim() || DEFAULT_REGRESS_CONFIG,
    ...(optString(ctx, 'policy').trim() === '' ? {} : { policyPath: optString(ctx, 'policy').trim() }),
    ...(expect === undefined ? {} : { expect }),
    ...(evaluationTime === undefined ? {} : { evaluationTime }),
    ...(optString(ctx, 'name').trim() === '' ? {} : { name: optString(ctx, 'name').trim() }),
    ...(verifyKey === undefined ? {} : { verifyKey }),
  });
}

/** The init members of the JSON output (§4.2). */
export function initJson(r: InitFixtureResult): JsonOut {
  return {
    run_id: r.runId,
    fixture_name: r.fixtureName,
    fixture_dir: r.fixtureDir,
    runpack_path: r.runpackPath,
    config_path: r.configPath,
    warnings: [...r.warnings],
  };
}

export function initNextCommand(r: InitFixtureResult): string {
  return r.configPath === DEFAULT_REGRESS_CONFIG ? 'gait regress run --json' : `gait regress run --config ${r.configPath} --json`;
}

/** The init lines of the text output (§4.2). */
export function initHuman(r: InitFixtureResult): string[] {
  return [
    `regress init ok: fixture=${r.fixtureName} run_id=${r.runId}`,
    `config: ${r.configPath}`,
    `runpack: ${r.runpackPath}`,
    ...r.warnings.map((w) => `warning: ${w}`),
  ];
}

function command(name: 'init' | 'add'): CommandSpec {
  return {
    path: ['regress', name],
    summary:
      name === 'init'
        ? 'turn a recorded run and its intents into a regress fixture (fixtures/<name>/, gait.yaml)'
        : 'as regress init; --from may also be a capture receipt of a runpack',
    options: [...REGRESS_INIT_OPTIONS, { flags: '--config <path>', description: `regress config to update (default ${DEFAULT_REGRESS_CONFIG})` }],
    run: async (ctx: CommandContext): Promise<CommandOutcome> => {
      const r = initFromFlags(ctx, name === 'add');
      const next = initNextCommand(r);
      return {
        exitCode: EXIT.ok,
        json: omitEmpty({ ok: true, ...initJson(r), next_commands: [next] }),
        human: [...initHuman(r), `next: ${next}`],
      };
    },
  };
}

export const regressInitCommand = command('init');
export const regressAddCommand = command('add');
