import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePrivateKeyText } from '../../../src/crypto/keys.js';
import { GaitError } from '../../../src/errors/error.js';
import type { Random } from '../../../src/runtime/random.js';
import { loadOrCreateDevKeyPair } from '../../../src/storage/dev-key-pair.js';
import { loadPrivateKeySource, resolveSigningKey, resolveVerifyKey, writeKeyPair } from '../../../src/storage/key-store.js';

// Shared vector pair (test/fixtures/vectors/gait-v1/keys), key_id from the vectors README.
const PRIV_TEXT = 'LtpM/6+wOmOVUg1mBgb7PxrBj5J/ypDFAkaPG6bG/rvbjnYgVwkmmtIlRJoBKIqlZE3hvOzsptySWIGTZwoZ6A==\n';
const PUB_TEXT = '2452IFcJJprSJUSaASiKpWRN4bzs7KbckliBk2cKGeg=\n';
const KEY_ID = '8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52';
const SEED = Buffer.from(PRIV_TEXT.trim(), 'base64').subarray(0, 32);
// A different valid pair: seed of 32 bytes 0x07.
const OTHER_PRIV_TEXT = `${Buffer.concat([Buffer.alloc(32, 7), Buffer.from(parseSeed7Public(), 'base64')]).toString('base64')}\n`;

function parseSeed7Public(): string {
  // Independent oracle: node:crypto derives the public key of seed 0x07…07 through a PKCS#8 DER wrapper.
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, 7)]);
  const jwk = createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({ format: 'jwk' });
  return Buffer.from(jwk.x as string, 'base64url').toString('base64');
}

const fixedRandom = (seed: Uint8Array): Random => ({ bytes: (len) => Uint8Array.from(seed.subarray(0, len)) });
const noRandom: Random = {
  bytes: () => {
    throw new Error('random must not be used');
  },
};

const root = mkdtempSync(join(tmpdir(), 'gait-keys-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function freshDir(): string {
  n += 1;
  const d = join(root, `case${n}`);
  mkdirSync(d);
  return d;
}
const modeOf = (p: string): number => statSync(p).mode & 0o777;

function caught(fn: () => unknown): GaitError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GaitError, `expected GaitError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a throw');
}

describe('resolveSigningKey() dev mode (D7)', () => {
  it('creates the dev pair once (dir 0700, files 0600) and reuses it', () => {
    const cwd = freshDir();
    const first = resolveSigningKey({ mode: 'dev', cwd, env: {}, random: fixedRandom(SEED) });
    const priv = join(cwd, '.gait', 'keys', 'dev_private.key');
    const pub = join(cwd, '.gait', 'keys', 'dev_public.key');
    assert.equal(first.key.keyId, KEY_ID);
    assert.equal(first.source, `dev:${priv}`);
    assert.deepEqual(first.warnings, [
      `dev mode: using local development signing key ${priv} (key_id ${KEY_ID}); do not use for production`,
    ]);
    assert.equal(readFileSync(priv, 'utf8'), PRIV_TEXT);
    assert.equal(readFileSync(pub, 'utf8'), PUB_TEXT);
    assert.equal(modeOf(priv), 0o600);
    assert.equal(modeOf(pub), 0o600);
    assert.equal(modeOf(join(cwd, '.gait', 'keys')), 0o700);
    assert.deepEqual(readdirSync(join(cwd, '.gait', 'keys')).sort(), ['dev_private.key', 'dev_public.key']);

    const second = resolveSigningKey({ mode: 'dev', cwd, env: {}, random: noRandom });
    assert.equal(second.key.keyId, KEY_ID);
    assert.deepEqual(second.warnings, first.warnings);
  });

  it('uses an explicit private key in dev mode without a warning', () => {
    const cwd = freshDir();
    writeFileSync(join(cwd, 'k.key'), PRIV_TEXT);
    const r = resolveSigningKey({ mode: 'dev', privateKeyPath: 'k.key', cwd, env: {}, random: noRandom });
    assert.equal(r.key.keyId, KEY_ID);
    assert.equal(r.source, 'path:k.key');
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(readdirSync(cwd), ['k.key']);
  });

  it('reuses the pair a concurrent creator wrote between the check and the create', () => {
    const cwd = freshDir();
    const dir = join(cwd, '.gait', 'keys');
    const pair = loadOrCreateDevKeyPair(cwd, fixedRandom(Buffer.alloc(32, 9)), {
      beforeCreate: () => {
        writeFileSync(join(dir, 'dev_private.key'), PRIV_TEXT, { mode: 0o600 });
        writeFileSync(join(dir, 'dev_public.key'), PUB_TEXT, { mode: 0o600 });
      },
    });
    assert.equal(pair.created, false);
    assert.equal(pair.key.keyId, KEY_ID);
    assert.equal(readFileSync(join(dir, 'dev_private.key'), 'utf8'), PRIV_TEXT);
    assert.deepEqual(readdirSync(dir).sort(), ['dev_private.key', 'dev_public.key']);
  });

  it('completes a pair whose public file is not written yet', () => {
    const cwd = freshDir();
    const dir = join(cwd, '.gait', 'keys');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'dev_private.key'), PRIV_TEXT);
    const r = resolveSigningKey({ mode: 'dev', cwd, env: {}, random: noRandom });
    assert.equal(r.key.keyId, KEY_ID);
    assert.equal(readFileSync(join(dir, 'dev_public.key'), 'utf8'), PUB_TEXT);
  });

  it('refuses a public file without its private file', () => {
    const cwd = freshDir();
    const dir = join(cwd, '.gait', 'keys');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'dev_public.key'), PUB_TEXT);
    const err = caught(() => resolveSigningKey({ mode: 'dev', cwd, env: {}, random: fixedRandom(SEED) }));
    assert.equal(err.code, 'sig_key_invalid');
    assert.equal(
      err.message,
      `development key pair is incomplete: \`${join(dir, 'dev_private.key')}\` is missing but \`${join(dir, 'dev_public.key')}\` exists`,
    );
    assert.deepEqual(readdirSync(dir), ['dev_public.key']);
  });

  it('refuses a dev pair whose halves do not match', () => {
    const cwd = freshDir();
    const dir = join(cwd, '.gait', 'keys');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'dev_private.key'), OTHER_PRIV_TEXT);
    writeFileSync(join(dir, 'dev_public.key'), PUB_TEXT);
    const err = caught(() => resolveSigningKey({ mode: 'dev', cwd, env: {}, random: noRandom }));
    assert.equal(err.code, 'sig_key_invalid');
    assert.equal(
      err.message,
      `development key pair mismatch: \`${join(dir, 'dev_public.key')}\` does not match \`${join(dir, 'dev_private.key')}\``,
    );
  });
});

describe('resolveSigningKey() sources and prod mode', () => {
  const cwd = freshDir();
  writeFileSync(join(cwd, 'priv.key'), PRIV_TEXT);
  writeFileSync(join(cwd, 'pub.key'), PUB_TEXT);
  writeFileSync(join(cwd, 'other.key'), OTHER_PRIV_TEXT);
  writeFileSync(join(cwd, 'short.key'), `${Buffer.alloc(31, 1).toString('base64')}\n`);
  writeFileSync(join(cwd, 'pub33.key'), `${Buffer.alloc(33, 1).toString('base64')}\n`);
  const base = { cwd, random: noRandom };

  it('loads a private key from an env variable, trimming it', () => {
    const r = resolveSigningKey({ ...base, mode: 'prod', privateKeyEnv: 'K', env: { K: `\u00a0 ${PRIV_TEXT.trim()}\n` } });
    assert.equal(r.key.keyId, KEY_ID);
    assert.equal(r.source, 'env:K');
    assert.deepEqual(r.warnings, []);
  });

  it('fails on an unset or empty env variable', () => {
    for (const env of [{}, { K: '' }, { K: ' \n' }]) {
      const err = caught(() => resolveSigningKey({ ...base, mode: 'prod', privateKeyEnv: 'K', env }));
      assert.equal(err.code, 'sig_key_missing');
      assert.equal(err.message, 'private key env not set: K');
    }
    assert.throws(() => resolveSigningKey({ ...base, mode: 'dev', publicKeyEnv: 'P', env: {} }), {
      message: 'public key env not set: P',
    });
  });

  it('fails when both path and env are set', () => {
    const both = { ...base, mode: 'prod', privateKeyPath: 'priv.key', privateKeyEnv: 'K', env: { K: PRIV_TEXT } };
    assert.throws(() => resolveSigningKey(both), { code: 'input_usage', message: 'private key source: set either path or env' });
    const pubBoth = { ...base, mode: 'prod', privateKeyPath: 'priv.key', publicKeyPath: 'pub.key', publicKeyEnv: 'P', env: {} };
    assert.throws(() => resolveSigningKey(pubBoth), { code: 'input_usage', message: 'public key source: set either path or env' });
  });

  it('treats empty strings as unset', () => {
    assert.throws(() => resolveSigningKey({ ...base, mode: 'prod', privateKeyPath: '', privateKeyEnv: '', env: {} }), {
      code: 'sig_key_missing',
      message: 'prod mode requires a private key source',
    });
  });

  it('rejects an unsupported key mode', () => {
    assert.throws(() => resolveSigningKey({ ...base, mode: 'staging', env: {} }), {
      code: 'input_usage',
      message: 'unsupported key mode: "staging"',
    });
  });

  it('reports wrong key lengths with the source and without key material', () => {
    const err = caught(() => resolveSigningKey({ ...base, mode: 'prod', privateKeyPath: 'short.key', env: {} }));
    assert.equal(err.code, 'sig_key_invalid');
    assert.equal(err.message, 'private key `short.key`: invalid private key length: 31');
    assert.ok(!err.message.includes(Buffer.alloc(31, 1).toString('base64')));
    assert.throws(() => resolveSigningKey({ ...base, mode: 'prod', privateKeyEnv: 'K', env: { K: Buffer.alloc(31, 1).toString('base64') } }), {
      message: 'private key env `K`: invalid private key length: 31',
    });
    assert.throws(() => resolveSigningKey({ ...base, mode: 'prod', privateKeyPath: 'priv.key', publicKeyPath: 'pub33.key', env: {} }), {
      code: 'sig_key_invalid',
      message: 'public key `pub33.key`: invalid public key length: 33',
    });
  });

  it('reports an unreadable key file', () => {
    assert.throws(() => resolveSigningKey({ ...base, mode: 'prod', privateKeyPath: 'nope.key', env: {} }), {
      code: 'sig_key_invalid',
      message: 'cannot read private key `nope.key`: no such file',
    });
  });

  it('checks a public source against the private key', () => {
    const ok = resolveSigningKey({ ...base, mode: 'prod', privateKeyPath: 'priv.key', publicKeyPath: 'pub.key', env: {} });
    assert.equal(ok.key.keyId, KEY_ID);
    assert.equal(ok.source, 'path:priv.key');
    assert.throws(() => resolveSigningKey({ ...base, mode: 'prod', privateKeyPath: 'other.key', publicKeyPath: 'pub.key', env: {} }), {
      code: 'sig_key_invalid',
      message: 'public key does not match private key',
    });
  });

  it('loadPrivateKeySource() returns undefined without a source', () => {
    assert.equal(loadPrivateKeySource({ envSource: {} }), undefined);
  });
});

describe('resolveVerifyKey()', () => {
  const cwd = freshDir();
  writeFileSync(join(cwd, 'pub.key'), PUB_TEXT);
  writeFileSync(join(cwd, 'other.key'), OTHER_PRIV_TEXT);

  it('prefers a public source over a private one', () => {
    const r = resolveVerifyKey({ publicKeyPath: 'pub.key', privateKeyPath: 'other.key', cwd, env: {} });
    assert.equal(r.key.keyId, KEY_ID);
    assert.equal(r.source, 'path:pub.key');
    const e = resolveVerifyKey({ publicKeyEnv: 'P', cwd, env: { P: PUB_TEXT } });
    assert.equal(e.source, 'env:P');
  });

  it('derives from a private source, then from the fallback', () => {
    const r = resolveVerifyKey({ privateKeyEnv: 'K', cwd, env: { K: PRIV_TEXT } });
    assert.equal(r.key.keyId, KEY_ID);
    assert.equal(r.source, 'derived');
    const f = resolveVerifyKey({ cwd, env: {}, fallback: parsePrivateKeyText(PRIV_TEXT) });
    assert.equal(f.key.keyId, KEY_ID);
  });

  it('fails without any source', () => {
    assert.throws(() => resolveVerifyKey({ publicKeyPath: '', cwd, env: {} }), {
      code: 'sig_key_missing',
      message: 'public key not configured',
    });
  });
});

describe('writeKeyPair()', () => {
  it('writes both files 0600 in a 0750 directory', () => {
    const outDir = join(freshDir(), 'gait-out', 'keys');
    const r = writeKeyPair({ outDir, prefix: 'gait', force: false, signingKey: parsePrivateKeyText(PRIV_TEXT) });
    assert.deepEqual(r, { privateKeyPath: join(outDir, 'gait_private.key'), publicKeyPath: join(outDir, 'gait_public.key') });
    assert.equal(readFileSync(r.privateKeyPath, 'utf8'), PRIV_TEXT);
    assert.equal(readFileSync(r.publicKeyPath, 'utf8'), PUB_TEXT);
    assert.equal(modeOf(r.privateKeyPath), 0o600);
    assert.equal(modeOf(r.publicKeyPath), 0o600);
    assert.equal(modeOf(outDir), 0o750);
  });

  it('refuses existing files without force and overwrites with force', () => {
    const outDir = freshDir();
    const key = parsePrivateKeyText(PRIV_TEXT);
    writeFileSync(join(outDir, 'gait_public.key'), 'old\n');
    assert.throws(() => writeKeyPair({ outDir, prefix: 'gait', force: false, signingKey: key }), {
      code: 'storage_key_exists',
      message: `public key path already exists (use --force): ${join(outDir, 'gait_public.key')}`,
    });
    writeFileSync(join(outDir, 'gait_private.key'), 'old\n');
    assert.throws(() => writeKeyPair({ outDir, prefix: 'gait', force: false, signingKey: key }), {
      code: 'storage_key_exists',
      message: `private key path already exists (use --force): ${join(outDir, 'gait_private.key')}`,
    });
    assert.equal(readFileSync(join(outDir, 'gait_private.key'), 'utf8'), 'old\n');
    writeKeyPair({ outDir, prefix: 'gait', force: true, signingKey: key });
    assert.equal(readFileSync(join(outDir, 'gait_private.key'), 'utf8'), PRIV_TEXT);
    assert.equal(modeOf(join(outDir, 'gait_private.key')), 0o600);
    assert.deepEqual(readdirSync(outDir).sort(), ['gait_private.key', 'gait_public.key']);
  });
});
