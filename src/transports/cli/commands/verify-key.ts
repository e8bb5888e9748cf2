/** Verify-key flags and resolution for verify commands (gate.md §A11 "verify-key resolution", D7). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { VerifyKey } from '../../../crypto/keys.js';
import { resolveVerifyKey } from '../../../storage/key-store.js';
import type { CommandContext, OptionSpec } from '../command.js';
import { optString } from '../command.js';

export const VERIFY_KEY_OPTIONS: readonly OptionSpec[] = [
  { flags: '--public-key <path>', description: 'Ed25519 public key file (base64 of 32 bytes)' },
  { flags: '--public-key-env <var>', description: 'environment variable holding the base64 public key' },
  { flags: '--private-key <path>', description: 'derive the verify key from this private key file' },
  { flags: '--private-key-env <var>', description: 'derive the verify key from this environment variable' },
];

/**
 * A public source wins, then the public half of a private source; with no flags at all the local
 * development public key (`.gait/keys/dev_public.key`, D7) is used when it exists.
 * @throws GaitError `sig_key_missing` (`public key not configured`), `sig_key_invalid`
 */
export function loadVerifyKeyFromFlags(ctx: CommandContext): { key: VerifyKey; source: string } {
  let publicKeyPath = optString(ctx, 'publicKey');
  const publicKeyEnv = optString(ctx, 'publicKeyEnv');
  const privateKeyPath = optString(ctx, 'privateKey');
  const privateKeyEnv = optString(ctx, 'privateKeyEnv');
  if (publicKeyPath === '' && publicKeyEnv === '' && privateKeyPath === '' && privateKeyEnv === '') {
    const dev = join(ctx.io.cwd, '.gait', 'keys', 'dev_public.key');
    if (existsSync(dev)) publicKeyPath = dev;
  }
  return resolveVerifyKey({ publicKeyPath, publicKeyEnv, privateKeyPath, privateKeyEnv, cwd: ctx.io.cwd, env: ctx.io.env });
}
