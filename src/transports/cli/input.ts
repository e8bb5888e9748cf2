/** Shared input loading for commands: the `--max-input-bytes` cap around storage/input-files.ts. */
import { GaitError } from '../../errors/error.js';
import type { CompiledPolicy } from '../../policy/compile.js';
import type { Policy } from '../../policy/model.js';
import type { Intent } from '../../schema/v1/intent-types.js';
import { readCompiledPolicyFile, readIntentFile, readIntentJsonFile, readPolicyFile } from '../../storage/input-files.js';
import type { InputFileOptions } from '../../storage/input-files.js';
import { DEFAULT_MAX_INPUT_BYTES } from '../../storage/read-input.js';
import type { CommandContext } from './command.js';
import { optString } from './command.js';

export { withFile } from '../../storage/input-files.js';
export { DEFAULT_MAX_INPUT_BYTES };

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

function fileOptions(ctx: CommandContext): InputFileOptions {
  return { cwd: ctx.io.cwd, maxBytes: maxInputBytes(ctx) };
}

/** Reads, parses and normalizes a policy file. @throws GaitError (input_*, policy_*) */
export function loadPolicyFile(ctx: CommandContext, path: string): Policy {
  return readPolicyFile(path, fileOptions(ctx));
}

/** Reads, parses, normalizes and compiles a policy file (Part B features refused here). */
export function loadCompiledPolicy(ctx: CommandContext, path: string): CompiledPolicy {
  return readCompiledPolicyFile(path, fileOptions(ctx));
}

/** Reads and parses an intent file to its raw JSON value. */
export function readIntentJson(ctx: CommandContext, path: string): unknown {
  return readIntentJsonFile(path, fileOptions(ctx));
}

/** Reads and normalizes an intent file. @throws GaitError (input_*) with the file named */
export function loadIntentFile(ctx: CommandContext, path: string): Intent {
  return readIntentFile(path, fileOptions(ctx));
}
