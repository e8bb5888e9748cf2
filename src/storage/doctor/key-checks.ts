/**
 * The key checks of `gait doctor` (artifacts.md §6, gate.md §A11): an ambiguous key source, key file
 * permissions (private keys must not be readable by group or others), and whether the configured key
 * source loads.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isGaitError } from '../../errors/index.js';
import { loadPrivateKeySource } from '../key-store.js';
import type { DoctorCheck, DoctorOptions } from './types.js';

const DEV_PRIVATE = '.gait/keys/dev_private.key';

/** `key_source_ambiguity`: both a private key file and a private key variable. */
export function checkKeySourceAmbiguity(o: DoctorOptions): DoctorCheck {
  const both = (o.privateKeyPath !== '' && o.privateKeyEnv !== '') || (o.publicKeyPath !== '' && o.publicKeyEnv !== '');
  if (!both) return { name: 'key_source_ambiguity', scope: 'universal', status: 'pass', message: 'one key source per key' };
  return {
    name: 'key_source_ambiguity',
    scope: 'universal',
    status: 'fail',
    message: 'both a key file and a key environment variable are set',
    fixCommand: 'pass only one of --private-key / --private-key-env (and of --public-key / --public-key-env)',
  };
}

/** `key_permissions`: the private key files in use are mode 0600 or stricter. */
export function checkKeyPermissions(o: DoctorOptions): DoctorCheck {
  const candidate = o.privateKeyPath !== '' ? o.privateKeyPath : DEV_PRIVATE;
  const files = existsSync(resolve(o.workdir, candidate)) ? [candidate] : [];
  if (files.length === 0) return { name: 'key_permissions', scope: 'universal', status: 'pass', message: 'no private key files to check' };
  const loose = files.filter((p) => (statSync(resolve(o.workdir, p)).mode & 0o077) !== 0);
  if (loose.length === 0) return { name: 'key_permissions', scope: 'universal', status: 'pass', message: `private key file is 0600 or stricter: ${files.join(', ')}` };
  return {
    name: 'key_permissions',
    scope: 'universal',
    status: 'fail',
    message: `private key file is readable by group or others: ${loose.join(', ')}`,
    fixCommand: `chmod 600 ${loose.join(' ')}`,
  };
}

/** `key_config`: the key source for the key mode loads (prod needs an explicit one). */
export function checkKeyConfig(o: DoctorOptions): DoctorCheck {
  const mode = o.keyMode === '' ? 'dev' : o.keyMode;
  const name = 'key_config';
  if (mode !== 'dev' && mode !== 'prod') {
    return { name, scope: 'universal', status: 'fail', message: `unsupported key mode: "${o.keyMode}"`, fixCommand: 'pass --key-mode dev or --key-mode prod' };
  }
  if (o.privateKeyPath !== '' && o.privateKeyEnv !== '') {
    return { name, scope: 'universal', status: 'fail', message: 'private key source is ambiguous', fixCommand: 'pass only one of --private-key / --private-key-env' };
  }
  try {
    const loaded = loadPrivateKeySource({ path: o.privateKeyPath, env: o.privateKeyEnv, envSource: o.env, cwd: o.workdir });
    if (loaded !== undefined) return { name, scope: 'universal', status: 'pass', message: `${mode} key loads from ${loaded.source} (key_id ${loaded.key.keyId})` };
  } catch (err) {
    const why = isGaitError(err) || err instanceof Error ? err.message : String(err);
    return { name, scope: 'universal', status: 'fail', message: `private key source does not load: ${why}`, fixCommand: 'gait keys verify --private-key <path>' };
  }
  if (mode === 'prod') {
    return { name, scope: 'universal', status: 'fail', message: 'prod mode requires a private key source', fixCommand: 'gait keys init --out-dir gait-out/keys' };
  }
  if (existsSync(resolve(o.workdir, DEV_PRIVATE))) {
    try {
      const dev = loadPrivateKeySource({ path: DEV_PRIVATE, envSource: o.env, cwd: o.workdir });
      return { name, scope: 'universal', status: 'pass', message: `dev key pair ${DEV_PRIVATE} loads (key_id ${dev?.key.keyId ?? ''})` };
    } catch (err) {
      return { name, scope: 'universal', status: 'fail', message: `dev key pair does not load: ${err instanceof Error ? err.message : String(err)}`, fixCommand: 'rm -r .gait/keys' };
    }
  }
  return { name, scope: 'universal', status: 'pass', message: 'dev mode: the key pair .gait/keys/ is created on first use' };
}
