/**
 * Flags and helpers shared by the runpack and pack commands (artifacts.md §1.2, §1.4, §2.7, §2.8):
 * artifact signing keys (`--key-mode none|dev|prod`), optional verify keys, verify profiles and the
 * safe-reader caps.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ZipLimits } from '../../../artifacts/zip/read.js';
import type { VerifyKey } from '../../../crypto/keys.js';
import { GaitError } from '../../../errors/error.js';
import { resolveArtifactSigningKey } from '../../../storage/artifact-key.js';
import type { ResolvedSigningKey } from '../../../storage/key-store.js';
import { resolveVerifyKey } from '../../../storage/key-store.js';
import { homeDirOf, readArtifactFile, resolveRunpackRef } from '../../../storage/runpack-files.js';
import type { CommandContext, OptionSpec } from '../command.js';
import { optBool, optString } from '../command.js';
import { VERIFY_KEY_OPTIONS } from './verify-key.js';

export const ARTIFACT_KEY_OPTIONS: readonly OptionSpec[] = [
  {
    flags: '--key-mode <mode>',
    description: 'none (unsigned), dev (local pair under .gait/keys, created if missing) or prod; default: sign when a key is available',
  },
  { flags: '--private-key <path>', description: 'Ed25519 private key file (base64 of 64 bytes)' },
  { flags: '--private-key-env <var>', description: 'environment variable holding the base64 private key' },
];

export const CAP_OPTIONS: readonly OptionSpec[] = [
  { flags: '--max-entry-bytes <n>', description: 'largest decompressed zip entry (default 104857600)' },
  { flags: '--max-archive-bytes <n>', description: 'largest decompressed zip total (default 1073741824)' },
];

export const VERIFY_OPTIONS: readonly OptionSpec[] = [
  { flags: '--profile <profile>', description: 'standard (default) or strict (requires a signature and a key source)' },
  { flags: '--require-signature', description: 'fail unless a signature verifies' },
  ...CAP_OPTIONS,
  ...VERIFY_KEY_OPTIONS,
];

/** The signing key per §1.2, or undefined (unsigned). */
export function loadArtifactSigner(ctx: CommandContext): ResolvedSigningKey | undefined {
  return resolveArtifactSigningKey({
    keyMode: optString(ctx, 'keyMode'),
    privateKeyPath: optString(ctx, 'privateKey'),
    privateKeyEnv: optString(ctx, 'privateKeyEnv'),
    cwd: ctx.io.cwd,
    env: ctx.io.env,
    random: ctx.io.random,
  });
}

function positiveInt(ctx: CommandContext, name: string, flag: string): number | undefined {
  const raw = optString(ctx, name);
  if (raw === '') return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n <= 0) throw new GaitError('input_usage', `invalid ${flag} \`${raw}\`: expected a positive integer`);
  return n;
}

/** `--max-entry-bytes` / `--max-archive-bytes` (§1.4, §10). */
export function zipLimitsOf(ctx: CommandContext): Partial<ZipLimits> {
  const entry = positiveInt(ctx, 'maxEntryBytes', '--max-entry-bytes');
  const archive = positiveInt(ctx, 'maxArchiveBytes', '--max-archive-bytes');
  return { ...(entry === undefined ? {} : { maxEntryBytes: entry }), ...(archive === undefined ? {} : { maxArchiveBytes: archive }) };
}

export interface VerifySettings {
  readonly key: VerifyKey | undefined;
  readonly requireSignature: boolean;
  readonly limits: Partial<ZipLimits>;
}

/**
 * `--profile`, `--require-signature`, caps and the optional verify key (§2.8): key flags win; with none,
 * the local development public key is used when it exists; otherwise there is no key.
 * @throws GaitError `input_usage` (`strict verify profile requires --public-key/--public-key-env or private key source`)
 */
export function verifySettings(ctx: CommandContext): VerifySettings {
  const profile = optString(ctx, 'profile') === '' ? 'standard' : optString(ctx, 'profile');
  if (profile !== 'standard' && profile !== 'strict') {
    throw new GaitError('input_usage', `unsupported --profile value "${profile}" (expected standard or strict)`);
  }
  const flags = ['publicKey', 'publicKeyEnv', 'privateKey', 'privateKeyEnv'].map((n) => optString(ctx, n));
  const [publicKeyPath, publicKeyEnv, privateKeyPath, privateKeyEnv] = flags as [string, string, string, string];
  const anyFlag = flags.some((f) => f !== '');
  if (profile === 'strict' && !anyFlag) {
    throw new GaitError('input_usage', 'strict verify profile requires --public-key/--public-key-env or private key source');
  }
  let key: VerifyKey | undefined;
  if (anyFlag) {
    key = resolveVerifyKey({ publicKeyPath, publicKeyEnv, privateKeyPath, privateKeyEnv, cwd: ctx.io.cwd, env: ctx.io.env }).key;
  } else {
    const dev = join(ctx.io.cwd, '.gait', 'keys', 'dev_public.key');
    if (existsSync(dev)) key = resolveVerifyKey({ publicKeyPath: dev, cwd: ctx.io.cwd, env: ctx.io.env }).key;
  }
  return { key, requireSignature: profile === 'strict' || optBool(ctx, 'requireSignature'), limits: zipLimitsOf(ctx) };
}

/** The value given as the positional argument or with `--<flag>` (not both, unless equal). */
export function positionalOrFlag(ctx: CommandContext, flagName: string, flag: string, what: string): string {
  const positional = ctx.args[0] ?? '';
  const fromFlag = optString(ctx, flagName);
  if (positional !== '' && fromFlag !== '' && positional !== fromFlag) {
    throw new GaitError('input_usage', `give the ${what} either as an argument or with ${flag}, not both`);
  }
  const value = positional !== '' ? positional : fromFlag;
  if (value === '') throw new GaitError('input_usage', `${what} is required`);
  return value;
}

export interface LoadedRunpackFile {
  readonly bytes: Uint8Array;
  /** The path as shown in output. */
  readonly display: string;
}

/** Resolves `<run_id|path>` (§2.7) and reads the file. @throws GaitError `input_path` (exit 6) */
export function loadRunpackRef(ctx: CommandContext, value: string): LoadedRunpackFile {
  const found = resolveRunpackRef(value, { cwd: ctx.io.cwd, homeDir: homeDirOf(ctx.io.env) });
  return { bytes: readArtifactFile(found.path, { label: 'runpack', display: found.display }), display: found.display };
}
