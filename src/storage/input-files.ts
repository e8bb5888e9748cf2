/**
 * Policy and intent files: size-capped, UTF-8-checked reads, parsed with positions, errors naming
 * the file. Shared by the CLI and the `gait/node` library entry.
 */
import { GaitError, isGaitError } from '../errors/error.js';
import { compilePolicy } from '../policy/compile.js';
import type { CompiledPolicy } from '../policy/compile.js';
import type { Policy } from '../policy/model.js';
import { parsePolicyYaml } from '../policy/parse.js';
import { normalizeIntent } from '../schema/v1/intent.js';
import type { Intent } from '../schema/v1/intent-types.js';
import { resolve } from 'node:path';
import { DEFAULT_MAX_INPUT_BYTES, parseJsonText, readInputFile } from './read-input.js';

export interface InputFileOptions {
  /** Directory relative paths resolve against; default the process working directory. */
  readonly cwd?: string;
  /** Size cap in bytes; default 1 MiB. */
  readonly maxBytes?: number;
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

function readText(path: string, label: string, options: InputFileOptions): string {
  return readInputFile(resolve(options.cwd ?? process.cwd(), path), {
    label,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES,
    displayPath: path,
  });
}

/**
 * Reads, parses and normalizes a policy file.
 * @throws GaitError `input_*` (unreadable, too large, empty, invalid UTF-8), `policy_*` with file:line:col
 */
export function readPolicyFile(path: string, options: InputFileOptions = {}): Policy {
  return parsePolicyYaml(readText(path, 'policy', options), { file: path });
}

/**
 * Reads, parses, normalizes and compiles a policy file.
 * @throws GaitError as `readPolicyFile`, plus `input_unsupported_feature` (phase rule)
 */
export function readCompiledPolicyFile(path: string, options: InputFileOptions = {}): CompiledPolicy {
  const policy = readPolicyFile(path, options);
  try {
    return compilePolicy(policy);
  } catch (err) {
    throw withFile(err, path);
  }
}

/**
 * Reads and parses an intent file to its raw JSON value.
 * @throws GaitError `input_*`, `input_json` with line and column
 */
export function readIntentJsonFile(path: string, options: InputFileOptions = {}): unknown {
  return parseJsonText(readText(path, 'intent', options), { label: 'intent', file: path });
}

/**
 * Reads and normalizes an intent file.
 * @throws GaitError `input_*` with the file named, `input_unsupported_feature`
 */
export function readIntentFile(path: string, options: InputFileOptions = {}): Intent {
  const raw = readIntentJsonFile(path, options);
  try {
    return normalizeIntent(raw);
  } catch (err) {
    throw withFile(err, path);
  }
}
