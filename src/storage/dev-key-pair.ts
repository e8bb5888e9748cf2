import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { encodePrivateKey, encodePublicKey, generateSigningKey } from '../crypto/keys.js';
import type { SigningKey } from '../crypto/keys.js';
import { GaitError, isGaitError } from '../errors/index.js';
import type { Random } from '../runtime/random.js';
import { createFileExclusive, ensureDir } from './atomic-write.js';
import { loadPrivateKeyFile, loadPublicKeyFile, samePublicKey } from './key-file.js';

export interface DevKeyPair {
  readonly key: SigningKey;
  readonly privateKeyPath: string;
  readonly publicKeyPath: string;
  /** Whether this call created the private key file. */
  readonly created: boolean;
}

/** Test seam: runs after the existence check, right before the exclusive create (to simulate a racing creator). */
export interface DevKeyHooks {
  readonly beforeCreate?: () => void;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function mismatch(privatePath: string, publicPath: string): GaitError {
  return new GaitError('sig_key_invalid', `development key pair mismatch: \`${publicPath}\` does not match \`${privatePath}\``, {
    hint: 'remove both development key files to create a new pair',
    details: { private_key_path: privatePath, public_key_path: publicPath },
  });
}

/** Writes the public file for `key` unless present; a present one (ours or a racer's) must match. */
function ensurePublicFile(key: SigningKey, privatePath: string, publicPath: string, cwd: string): void {
  if (!exists(publicPath)) {
    try {
      createFileExclusive(publicPath, encodePublicKey(key), 0o600);
      return;
    } catch (err) {
      if (!isGaitError(err, 'storage_key_exists')) throw err;
    }
  }
  if (!samePublicKey(loadPublicKeyFile(publicPath, cwd), key)) throw mismatch(privatePath, publicPath);
}

/** Creates the private file, or loads the one a concurrent creator just wrote (gate.md §A11, D7). */
function createPrivateFile(privatePath: string, cwd: string, random: Random, hooks: DevKeyHooks): { key: SigningKey; created: boolean } {
  ensureDir(join(cwd, '.gait'), 0o750);
  ensureDir(join(cwd, '.gait', 'keys'), 0o700);
  const fresh = generateSigningKey(random);
  hooks.beforeCreate?.();
  try {
    createFileExclusive(privatePath, encodePrivateKey(fresh), 0o600);
    return { key: fresh, created: true };
  } catch (err) {
    if (!isGaitError(err, 'storage_key_exists')) throw err;
    return { key: loadPrivateKeyFile(privatePath, cwd), created: false };
  }
}

/**
 * Loads the persistent development pair `.gait/keys/dev_private.key` / `dev_public.key` under `cwd`,
 * creating it on first use (directory 0700, files 0600, exclusive create; a concurrent creator's pair
 * is reused). gate.md §A11, D7.
 * @throws GaitError `sig_key_invalid` (unreadable, malformed or mismatching files), `storage_io`
 */
export function loadOrCreateDevKeyPair(cwd: string, random: Random, hooks: DevKeyHooks = {}): DevKeyPair {
  const privateKeyPath = join(cwd, '.gait', 'keys', 'dev_private.key');
  const publicKeyPath = join(cwd, '.gait', 'keys', 'dev_public.key');
  // INVARIANT: creators write the private file before the public one, so checking the public file
  // first means "public present, private absent" cannot be a creation in progress.
  const publicExisted = exists(publicKeyPath);
  if (exists(privateKeyPath)) {
    const key = loadPrivateKeyFile(privateKeyPath, cwd);
    ensurePublicFile(key, privateKeyPath, publicKeyPath, cwd);
    return { key, privateKeyPath, publicKeyPath, created: false };
  }
  if (publicExisted) {
    throw new GaitError('sig_key_invalid', `development key pair is incomplete: \`${privateKeyPath}\` is missing but \`${publicKeyPath}\` exists`, {
      hint: `remove \`${publicKeyPath}\` to create a new development pair`,
      details: { private_key_path: privateKeyPath, public_key_path: publicKeyPath },
    });
  }
  const { key, created } = createPrivateFile(privateKeyPath, cwd, random, hooks);
  ensurePublicFile(key, privateKeyPath, publicKeyPath, cwd);
  return { key, privateKeyPath, publicKeyPath, created };
}

/** The warning every dev-mode signing command adds (gate.md §A11, exact text). */
export function devKeyWarning(privateKeyPath: string, keyId: string): string {
  return `dev mode: using local development signing key ${privateKeyPath} (key_id ${keyId}); do not use for production`;
}
