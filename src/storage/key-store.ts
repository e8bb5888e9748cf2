/** Key source resolution (gate.md §A11): files, environment variables, the dev pair under `.gait/keys/`. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { encodePrivateKey, encodePublicKey, verifyKeyOf } from '../crypto/keys.js';
import type { SigningKey, VerifyKey } from '../crypto/keys.js';
import { GaitError, isGaitError } from '../errors/index.js';
import type { Random } from '../runtime/random.js';
import { createFileExclusive, writeFileAtomic } from './atomic-write.js';
import { devKeyWarning, loadOrCreateDevKeyPair } from './dev-key-pair.js';
import type { DevKeyHooks } from './dev-key-pair.js';
import { loadPrivateKeyFile, loadPublicKeyFile, parsePrivateKeyFrom, parsePublicKeyFrom, samePublicKey } from './key-file.js';

export type EnvSource = Readonly<Record<string, string | undefined>>;

export interface KeySourceOptions {
  /** Key file path; '' counts as unset. Relative paths resolve against `cwd`. */
  readonly path?: string;
  /** Name of the environment variable holding the base64 key; '' counts as unset. */
  readonly env?: string;
  readonly envSource: EnvSource;
  /** Directory relative paths resolve against (default: the process working directory). */
  readonly cwd?: string;
}

export interface LoadedKey<K> {
  readonly key: K;
  /** `path:<p>` or `env:<VAR>`. */
  readonly source: string;
}

// gate.md §0 trim set (env values use it; key files use the narrower §A11 set in crypto/keys.ts).
const TRIM_RE = /^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/gu;

type Picked = { kind: 'path'; path: string } | { kind: 'env'; name: string } | undefined;

function pickSource(kind: 'private' | 'public', options: KeySourceOptions): Picked {
  const path = options.path ?? '';
  const env = options.env ?? '';
  if (path !== '' && env !== '') throw new GaitError('input_usage', `${kind} key source: set either path or env`);
  if (path !== '') return { kind: 'path', path };
  if (env !== '') return { kind: 'env', name: env };
  return undefined;
}

function envText(kind: 'private' | 'public', name: string, envSource: EnvSource): string {
  const value = (envSource[name] ?? '').replace(TRIM_RE, '');
  if (value === '') throw new GaitError('sig_key_missing', `${kind} key env not set: ${name}`, { details: { env: name } });
  return value;
}

/**
 * Loads a private key from a path or an environment variable, or returns undefined when neither is set.
 * @throws GaitError `input_usage` (both set), `sig_key_missing` (`private key env not set: <VAR>`), `sig_key_invalid`
 */
export function loadPrivateKeySource(options: KeySourceOptions): LoadedKey<SigningKey> | undefined {
  const picked = pickSource('private', options);
  if (picked === undefined) return undefined;
  if (picked.kind === 'path') {
    return { key: loadPrivateKeyFile(picked.path, options.cwd ?? process.cwd()), source: `path:${picked.path}` };
  }
  const text = envText('private', picked.name, options.envSource);
  return { key: parsePrivateKeyFrom(text, `private key env \`${picked.name}\``), source: `env:${picked.name}` };
}

/**
 * Loads a public key from a path or an environment variable, or returns undefined when neither is set.
 * @throws GaitError `input_usage` (both set), `sig_key_missing` (`public key env not set: <VAR>`), `sig_key_invalid`
 */
export function loadPublicKeySource(options: KeySourceOptions): LoadedKey<VerifyKey> | undefined {
  const picked = pickSource('public', options);
  if (picked === undefined) return undefined;
  if (picked.kind === 'path') {
    return { key: loadPublicKeyFile(picked.path, options.cwd ?? process.cwd()), source: `path:${picked.path}` };
  }
  const text = envText('public', picked.name, options.envSource);
  return { key: parsePublicKeyFrom(text, `public key env \`${picked.name}\``), source: `env:${picked.name}` };
}

export interface ResolveSigningKeyOptions {
  /** `dev` or `prod`; anything else is refused. */
  readonly mode: string;
  readonly privateKeyPath?: string;
  readonly privateKeyEnv?: string;
  readonly publicKeyPath?: string;
  readonly publicKeyEnv?: string;
  readonly cwd: string;
  readonly env: EnvSource;
  readonly random: Random;
  /** Test seam for the dev pair's concurrent-creation path. */
  readonly devHooks?: DevKeyHooks;
}

export interface ResolvedSigningKey {
  readonly key: SigningKey;
  /** `path:<p>`, `env:<VAR>` or `dev:<path>`. */
  readonly source: string;
  readonly warnings: string[];
}

/**
 * Resolves the signing key for a command (gate.md §A11 modes; D7 dev pair).
 * @throws GaitError `input_usage` (`unsupported key mode: "<m>"`, both path and env),
 *   `sig_key_missing` (`prod mode requires a private key source`, env not set),
 *   `sig_key_invalid` (unreadable or malformed key, `public key does not match private key`), `storage_io`
 * @example resolveSigningKey({ mode: 'dev', cwd, env: process.env, random: systemRandom })
 */
export function resolveSigningKey(options: ResolveSigningKeyOptions): ResolvedSigningKey {
  const { mode, cwd } = options;
  if (mode !== 'dev' && mode !== 'prod') throw new GaitError('input_usage', `unsupported key mode: "${mode}"`);
  const base = { envSource: options.env, cwd };
  const priv = loadPrivateKeySource({ ...base, ...opt('path', options.privateKeyPath), ...opt('env', options.privateKeyEnv) });
  const pub = loadPublicKeySource({ ...base, ...opt('path', options.publicKeyPath), ...opt('env', options.publicKeyEnv) });
  let resolved: ResolvedSigningKey;
  if (priv !== undefined) {
    resolved = { key: priv.key, source: priv.source, warnings: [] };
  } else if (mode === 'prod') {
    throw new GaitError('sig_key_missing', 'prod mode requires a private key source');
  } else {
    const dev = loadOrCreateDevKeyPair(cwd, options.random, options.devHooks);
    resolved = { key: dev.key, source: `dev:${dev.privateKeyPath}`, warnings: [devKeyWarning(dev.privateKeyPath, dev.key.keyId)] };
  }
  if (pub !== undefined && !samePublicKey(pub.key, resolved.key)) {
    throw new GaitError('sig_key_invalid', 'public key does not match private key', { details: { public_key_source: pub.source } });
  }
  return resolved;
}

function opt<K extends string>(name: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: string };
}

export interface ResolveVerifyKeyOptions {
  readonly publicKeyPath?: string;
  readonly publicKeyEnv?: string;
  readonly privateKeyPath?: string;
  readonly privateKeyEnv?: string;
  readonly cwd: string;
  readonly env: EnvSource;
  /** Used when no source is configured (e.g. the key that just signed). */
  readonly fallback?: SigningKey;
}

/**
 * Verify-key resolution (gate.md §A11): a public source wins; else the public half of a private
 * source; else the fallback.
 * @returns the key and its source: `path:<p>`, `env:<VAR>`, `derived` (from a private source or the fallback)
 * @throws GaitError `sig_key_missing` (`public key not configured`, env not set), `input_usage` (both path and env), `sig_key_invalid`
 */
export function resolveVerifyKey(options: ResolveVerifyKeyOptions): LoadedKey<VerifyKey> {
  const base = { envSource: options.env, cwd: options.cwd };
  const privateSource = { ...base, ...opt('path', options.privateKeyPath), ...opt('env', options.privateKeyEnv) };
  // Surface a both-path-and-env mistake on the private side even when the public side wins.
  pickSource('private', privateSource);
  const pub = loadPublicKeySource({ ...base, ...opt('path', options.publicKeyPath), ...opt('env', options.publicKeyEnv) });
  if (pub !== undefined) return pub;
  const priv = loadPrivateKeySource(privateSource);
  if (priv !== undefined) return { key: verifyKeyOf(priv.key), source: 'derived' };
  if (options.fallback !== undefined) return { key: verifyKeyOf(options.fallback), source: 'derived' };
  throw new GaitError('sig_key_missing', 'public key not configured', {
    hint: 'pass --public-key, --public-key-env, --private-key or --private-key-env',
  });
}

export interface WriteKeyPairOptions {
  readonly outDir: string;
  readonly prefix: string;
  /** Overwrite existing files (`keys init --force`). */
  readonly force: boolean;
  readonly signingKey: SigningKey;
}

function existsError(kind: 'private' | 'public', path: string): GaitError {
  return new GaitError('storage_key_exists', `${kind} key path already exists (use --force): ${path}`, { details: { path } });
}

function writeKeyFile(kind: 'private' | 'public', path: string, text: string, force: boolean): void {
  if (force) {
    writeFileAtomic(path, text, { mode: 0o600, dirMode: 0o750 });
    return;
  }
  try {
    createFileExclusive(path, text, 0o600);
  } catch (err) {
    if (isGaitError(err, 'storage_key_exists')) throw existsError(kind, path);
    throw err;
  }
}

/**
 * Writes `<prefix>_private.key` and `<prefix>_public.key` into `outDir` (gate.md §A12.6: files 0600,
 * directory 0750). Without `force`, existing files are never replaced.
 * @throws GaitError `storage_key_exists` (`private key path already exists (use --force): <p>`, likewise public), `storage_io`
 */
export function writeKeyPair(options: WriteKeyPairOptions): { privateKeyPath: string; publicKeyPath: string } {
  const privateKeyPath = join(options.outDir, `${options.prefix}_private.key`);
  const publicKeyPath = join(options.outDir, `${options.prefix}_public.key`);
  if (!options.force) {
    if (existsSync(privateKeyPath)) throw existsError('private', privateKeyPath);
    if (existsSync(publicKeyPath)) throw existsError('public', publicKeyPath);
  }
  writeKeyFile('private', privateKeyPath, encodePrivateKey(options.signingKey), options.force);
  writeKeyFile('public', publicKeyPath, encodePublicKey(options.signingKey), options.force);
  return { privateKeyPath, publicKeyPath };
}
