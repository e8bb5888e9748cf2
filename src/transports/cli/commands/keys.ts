/** `gait keys init|rotate|verify` (gate.md §A12.6). Private key material is never printed. */
import { resolve } from 'node:path';
import { GaitError } from '../../../errors/error.js';
import { generateSigningKey } from '../../../crypto/keys.js';
import { formatCompactUtc } from '../../../runtime/timestamp.js';
import { resolveSigningKey, writeKeyPair } from '../../../storage/key-store.js';
import type { CommandContext, CommandOutcome, CommandSpec } from '../command.js';
import { optBool, optString } from '../command.js';
import { EXIT } from '../exit.js';

const DEFAULT_OUT_DIR = 'gait-out/keys';
const DEFAULT_PREFIX = 'gait';

function checkPrefix(prefix: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(prefix) || prefix.startsWith('.')) {
    throw new GaitError('input_usage', `invalid --prefix \`${prefix}\`: use letters, digits, '.', '_' or '-'`);
  }
  return prefix;
}

function writePair(ctx: CommandContext, prefix: string, force: boolean): CommandOutcome {
  const outDir = optString(ctx, 'outDir') || DEFAULT_OUT_DIR;
  const signingKey = generateSigningKey(ctx.io.random);
  const paths = writeKeyPair({ outDir: resolve(ctx.io.cwd, outDir), prefix, force, signingKey });
  const json = {
    ok: true,
    prefix,
    key_id: signingKey.keyId,
    public_key_path: paths.publicKeyPath,
    private_key_path: paths.privateKeyPath,
  };
  return {
    exitCode: EXIT.ok,
    json,
    human: [`keys written: ${paths.privateKeyPath} (0600), ${paths.publicKeyPath}`, `key_id: ${signingKey.keyId}`],
  };
}

const OUT_OPTIONS = [
  { flags: '--out-dir <dir>', description: `directory for the key files (default ${DEFAULT_OUT_DIR})` },
  { flags: '--prefix <name>', description: `file name prefix (default ${DEFAULT_PREFIX})` },
];

export const keysInitCommand: CommandSpec = {
  path: ['keys', 'init'],
  summary: 'create an Ed25519 key pair: <prefix>_private.key (0600) and <prefix>_public.key',
  options: [...OUT_OPTIONS, { flags: '--force', description: 'overwrite existing key files' }],
  run: async (ctx) => writePair(ctx, checkPrefix(optString(ctx, 'prefix') || DEFAULT_PREFIX), optBool(ctx, 'force')),
};

export const keysRotateCommand: CommandSpec = {
  path: ['keys', 'rotate'],
  summary: 'create a new key pair named <prefix>_<UTC timestamp>; never overwrites',
  options: OUT_OPTIONS,
  run: async (ctx) => {
    const base = checkPrefix(optString(ctx, 'prefix') || DEFAULT_PREFIX);
    return writePair(ctx, `${base}_${formatCompactUtc(ctx.io.clock.now())}`, false);
  },
};

function sourceLabel(path: string, env: string, fallback: string): string {
  if (path !== '') return `path:${path}`;
  if (env !== '') return `env:${env}`;
  return fallback;
}

export const keysVerifyCommand: CommandSpec = {
  path: ['keys', 'verify'],
  summary: 'check that a private key loads (and matches the public key when one is given); prints the key id',
  options: [
    { flags: '--private-key <path>', description: 'private key file' },
    { flags: '--private-key-env <var>', description: 'environment variable holding the private key' },
    { flags: '--public-key <path>', description: 'public key file to check against' },
    { flags: '--public-key-env <var>', description: 'environment variable holding the public key' },
  ],
  run: async (ctx) => {
    const privateKeyPath = optString(ctx, 'privateKey');
    const privateKeyEnv = optString(ctx, 'privateKeyEnv');
    const publicKeyPath = optString(ctx, 'publicKey');
    const publicKeyEnv = optString(ctx, 'publicKeyEnv');
    if (privateKeyPath === '' && privateKeyEnv === '') {
      throw new GaitError('sig_key_missing', 'private key source is required (--private-key or --private-key-env)');
    }
    const { key } = resolveSigningKey({
      mode: 'prod',
      privateKeyPath,
      privateKeyEnv,
      publicKeyPath,
      publicKeyEnv,
      cwd: ctx.io.cwd,
      env: ctx.io.env,
      random: ctx.io.random,
    });
    const json = {
      ok: true,
      key_id: key.keyId,
      private_key_source: sourceLabel(privateKeyPath, privateKeyEnv, ''),
      public_key_source: sourceLabel(publicKeyPath, publicKeyEnv, 'derived'),
    };
    return { exitCode: EXIT.ok, json, human: [`keys verify ok: key_id ${key.keyId}`] };
  },
};
