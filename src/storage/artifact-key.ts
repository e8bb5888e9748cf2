/**
 * "A key is available" for artifact-writing commands (artifacts.md §1.2): an explicit private key
 * source, or key mode `dev`/`prod`, or an existing development pair. Without `--key-mode` the dev
 * pair is used only when it already exists; it is never created. `--key-mode none` writes unsigned.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GaitError } from '../errors/index.js';
import type { Random } from '../runtime/random.js';
import { resolveSigningKey } from './key-store.js';
import type { EnvSource, ResolvedSigningKey } from './key-store.js';

export interface ArtifactKeyOptions {
  /** '' (unset), `none`, `dev` or `prod`. */
  readonly keyMode: string;
  readonly privateKeyPath: string;
  readonly privateKeyEnv: string;
  readonly cwd: string;
  readonly env: EnvSource;
  readonly random: Random;
}

/**
 * Resolves the signing key of an artifact-writing command, or undefined when no key is available.
 * @throws GaitError `input_usage` (`unsupported key mode: "<m>"`, `--key-mode none` with a private key),
 *   and whatever `resolveSigningKey` throws (`sig_key_missing`, `sig_key_invalid`, `storage_io`)
 * @example resolveArtifactSigningKey({ keyMode: '', privateKeyPath: '', privateKeyEnv: '', cwd, env, random })
 */
export function resolveArtifactSigningKey(options: ArtifactKeyOptions): ResolvedSigningKey | undefined {
  const { keyMode, privateKeyPath, privateKeyEnv } = options;
  const explicit = privateKeyPath !== '' || privateKeyEnv !== '';
  const base = { cwd: options.cwd, env: options.env, random: options.random, privateKeyPath, privateKeyEnv };
  switch (keyMode) {
    case 'none':
      if (explicit) throw new GaitError('input_usage', '--key-mode none writes unsigned artifacts; remove --private-key/--private-key-env');
      return undefined;
    case 'dev':
    case 'prod':
      return resolveSigningKey({ ...base, mode: keyMode });
    case '':
      if (explicit || existsSync(join(options.cwd, '.gait', 'keys', 'dev_private.key'))) return resolveSigningKey({ ...base, mode: 'dev' });
      return undefined;
    default:
      throw new GaitError('input_usage', `unsupported key mode: "${keyMode}"`);
  }
}
