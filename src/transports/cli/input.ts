/** Shared input loading for commands: size-capped reads, JSON with positions, policy compile. */
import { GaitError, isGaitError } from '../../errors/error.js';
import { compilePolicy } from '../../policy/compile.js';
import type { CompiledPolicy } from '../../policy/compile.js';
import type { Policy } from '../../policy/model.js';
import { parsePolicyYaml } from '../../policy/parse.js';
import { normalizeIntent } from '../../schema/v1/intent.js';
import type { Intent } from '../../schema/v1/intent-types.js';
import { parseJsonText, readInputFile } from '../../storage/read-input.js';
import { resolve } from 'node:path';
import type { CommandContext } from './command.js';
import { optString } from './command.js';

export const DEFAULT_MAX_INPUT_BYTES = 1_048_576;

/** `--max-input-bytes` (extension): the size cap for intents and policies. */
export function maxInputBytes(ctx: CommandContext): number {
  const raw = optString(ctx, 'maxInputBytes');
  if (raw === '') return DEFAULT_MAX_INPUT_BYTES;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new GaitError('input_usage', `invalid --max-input-bytes \`${raw}\`: expected a positive integer`);
  }
  return n;
}

/** Re-throws a GaitError with the file it came from, unless it already names one. */
export function withFile(err: unknown, file: string): unknown {
  if (!isGaitError(err) || err.location?.file !== undefined) return err;
  return new GaitError(err.code, err.message, {
    hint: err.hint,
    details: err.details,
    location: { ...err.location, file },
    cause: err,
  });
}

/** Reads, parses and normalizes a policy file. @throws GaitError (input_*, policy_*) */
export function loadPolicyFile(ctx: CommandContext, path: string): Policy {
  const text = readInputFile(resolve(ctx.io.cwd, path), { label: 'policy', maxBytes: maxInputBytes(ctx) });
  return parsePolicyYaml(text, { file: path });
}

/** Reads, parses, normalizes and compiles a policy file (Part B features refused here). */
export function loadCompiledPolicy(ctx: CommandContext, path: string): CompiledPolicy {
  const policy = loadPolicyFile(ctx, path);
  try {
    return compilePolicy(policy);
  } catch (err) {
    throw withFile(err, path);
  }
}

/** Reads and parses an intent file to its raw JSON value. */
export function readIntentJson(ctx: CommandContext, path: string): unknown {
  const text = readInputFile(resolve(ctx.io.cwd, path), { label: 'intent', maxBytes: maxInputBytes(ctx) });
  return parseJsonText(text, { label: 'intent', file: path });
}

/** Reads and normalizes an intent file. @throws GaitError (input_*) with the file named */
export function loadIntentFile(ctx: CommandContext, path: string): Intent {
  const raw = readIntentJson(ctx, path);
  try {
    return normalizeIntent(raw);
  } catch (err) {
    throw withFile(err, path);
  }
}
