/**
 * `gait/node`: the Node-only half of the library API — files and key sources. The root entry
 * (`gait`) stays pure; this entry reads and writes files exactly as the CLI does.
 */
import { resolve } from 'node:path';
import { parseIntent } from './api/evaluate.js';
import type { CompiledPolicy } from './policy/compile.js';
import { systemRandom } from './runtime/random.js';
import type { Intent } from './schema/v1/intent-types.js';
import type { JsonObject } from './schema/v1/json-types.js';
import { assertSafeRelativePath, writeFileAtomic } from './storage/atomic-write.js';
import { readCompiledPolicyFile, readIntentJsonFile, withFile } from './storage/input-files.js';
import type { InputFileOptions } from './storage/input-files.js';
import { resolveSigningKey, resolveVerifyKey } from './storage/key-store.js';
import type { EnvSource, LoadedKey, ResolvedSigningKey } from './storage/key-store.js';
import type { VerifyKey } from './crypto/keys.js';
import { canonicalize } from './jcs/canonicalize.js';
import { parseJsonText, readInputFile } from './storage/read-input.js';

export type { InputFileOptions } from './storage/input-files.js';
export { openApprovalLedger } from './storage/ledger/open-ledger.js';
export type { OpenedLedger } from './storage/ledger/open-ledger.js';
export type { LoadedKey, ResolvedSigningKey } from './storage/key-store.js';

/**
 * Reads, parses and compiles a policy file (1 MiB cap by default).
 * @throws GaitError `input_*` (unreadable, too large, empty, invalid UTF-8), `policy_*` with
 *   file:line:col, `input_unsupported_feature`
 * @example const policy = loadPolicyFile('gait.policy.yaml');
 */
export function loadPolicyFile(path: string, options: InputFileOptions = {}): CompiledPolicy {
  return readCompiledPolicyFile(path, options);
}

/**
 * Reads and normalizes an IntentRequest file (as `parseIntent`).
 * @throws GaitError `input_*` naming the file (`input_json` with line and column)
 * @example const intent = readIntentFile('intent.json');
 */
export function readIntentFile(path: string, options: InputFileOptions = {}): Intent {
  const raw = readIntentJsonFile(path, options);
  try {
    return parseIntent(raw);
  } catch (err) {
    throw withFile(err, path);
  }
}

export interface SigningKeyOptions {
  /** `dev` (default: explicit key, else the persistent pair under `.gait/keys/`, D7) or `prod`. */
  readonly mode?: 'dev' | 'prod';
  readonly privateKeyPath?: string;
  readonly privateKeyEnv?: string;
  readonly publicKeyPath?: string;
  readonly publicKeyEnv?: string;
  readonly cwd?: string;
  readonly env?: EnvSource;
}

/**
 * Resolves the signing key as `gait gate eval` does (gate.md §A11).
 * @returns the key, its source (`path:<p>`, `env:<VAR>`, `dev:<path>`) and warnings (dev mode)
 * @throws GaitError `sig_key_missing` (`prod mode requires a private key source`), `sig_key_invalid`, `input_usage`, `storage_io`
 * @example const { key } = loadSigningKey({ mode: 'prod', privateKeyEnv: 'GAIT_PRIVATE_KEY' });
 */
export function loadSigningKey(options: SigningKeyOptions = {}): ResolvedSigningKey {
  return resolveSigningKey({
    mode: options.mode ?? 'dev',
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    random: systemRandom,
    ...keyPaths(options),
  });
}

function keyPaths(options: SigningKeyOptions): Record<string, string> {
  const out: Record<string, string> = {};
  if (options.privateKeyPath !== undefined) out['privateKeyPath'] = options.privateKeyPath;
  if (options.privateKeyEnv !== undefined) out['privateKeyEnv'] = options.privateKeyEnv;
  if (options.publicKeyPath !== undefined) out['publicKeyPath'] = options.publicKeyPath;
  if (options.publicKeyEnv !== undefined) out['publicKeyEnv'] = options.publicKeyEnv;
  return out;
}

/**
 * Resolves a verify key: a public source wins, else the public half of a private source.
 * @throws GaitError `sig_key_missing` (`public key not configured`), `sig_key_invalid`, `input_usage`
 * @example const { key } = loadVerifyKey({ publicKeyPath: 'gait_public.key' });
 */
export function loadVerifyKey(options: Omit<SigningKeyOptions, 'mode'> = {}): LoadedKey<VerifyKey> {
  return resolveVerifyKey({ cwd: options.cwd ?? process.cwd(), env: options.env ?? process.env, ...keyPaths(options) });
}

/**
 * Writes a signed trace as 2-space JSON + `\n`, atomically, mode 0600 (gate.md §A7.2).
 * @throws GaitError `input_path` (a relative path with `..`), `storage_io`
 * @example writeTraceFile(`trace_${traceId}.json`, trace);
 */
export function writeTraceFile(path: string, trace: JsonObject, options: { readonly cwd?: string } = {}): void {
  assertSafeRelativePath(path, 'trace');
  // Validates the record is plain JSON (canonicalize throws on anything else) before writing.
  canonicalize(trace);
  writeFileAtomic(resolve(options.cwd ?? process.cwd(), path), `${JSON.stringify(trace, null, 2)}\n`, { mode: 0o600 });
}

/**
 * Reads a trace file to its parsed JSON value, ready for `verifyTrace`.
 * @throws GaitError `input_*` (unreadable, empty, invalid UTF-8), `input_json` with line and column
 * @example verifyTrace(readTraceFile('trace.json'), key).ok;
 */
export function readTraceFile(path: string, options: InputFileOptions = {}): unknown {
  const text = readInputFile(resolve(options.cwd ?? process.cwd(), path), {
    label: 'trace',
    maxBytes: options.maxBytes ?? 4 * 1_048_576,
    displayPath: path,
  });
  return parseJsonText(text, { label: 'trace', file: path });
}
