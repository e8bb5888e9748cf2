/**
 * `gait keys init|rotate|verify` in-process (gate.md §A12.6, §A11): file modes, output members, the
 * overwrite refusal, the UTC-stamped rotate prefix from the fixed test clock, key sources, and that no
 * private key material ever reaches stdout or stderr.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '../../src/runtime/clock.js';
import { makeTestIo } from '../helpers/cli-io.js';
import type { TestIo } from '../helpers/cli-io.js';
import { gait, invalidInput, jsonLine, keyIdOfPublicKeyFile, listTree, modeOf, V4_KEY_ID, V4_PRIVATE_KEY, V4_PUBLIC_KEY } from './support.js';

const V4_PRIVATE_TEXT = readFileSync(V4_PRIVATE_KEY, 'utf8');

/** Paths in output and messages: accept the path as joined under the working directory or relative to it. */
function assertSamePath(t: TestIo, actual: unknown, relative: string): void {
  assert.ok(actual === relative || actual === join(t.cwd, relative), `path ${String(actual)} is not ${relative}`);
}

/** Checks a written pair: modes, §A11 formats, matching halves; returns the key id computed here. */
function assertKeyPair(t: TestIo, dir: string, prefix: string): string {
  const privatePath = join(t.cwd, dir, `${prefix}_private.key`);
  const publicPath = join(t.cwd, dir, `${prefix}_public.key`);
  assert.equal(modeOf(privatePath), 0o600);
  assert.equal(modeOf(publicPath), 0o600);
  const privateText = readFileSync(privatePath, 'utf8');
  const publicText = readFileSync(publicPath, 'utf8');
  assert.match(privateText, /^[A-Za-z0-9+/]{86}==\n$/);
  assert.match(publicText, /^[A-Za-z0-9+/]{43}=\n$/);
  assert.deepEqual(Buffer.from(privateText, 'base64').subarray(32), Buffer.from(publicText, 'base64'));
  return keyIdOfPublicKeyFile(publicPath);
}

describe('gait keys init', () => {
  it('writes <prefix>_private.key and <prefix>_public.key (0600) into gait-out/keys (0750)', async () => {
    const t = makeTestIo();
    const run = await gait(t, 'keys', 'init', '--json');
    assert.equal(run.code, 0);
    const out = jsonLine(run);
    assert.deepEqual(Object.keys(out), ['correlation_id', 'key_id', 'ok', 'prefix', 'private_key_path', 'public_key_path']);
    assert.equal(out['ok'], true);
    assert.equal(out['prefix'], 'gait');
    assert.equal(out['key_id'], assertKeyPair(t, 'gait-out/keys', 'gait'));
    assertSamePath(t, out['private_key_path'], 'gait-out/keys/gait_private.key');
    assertSamePath(t, out['public_key_path'], 'gait-out/keys/gait_public.key');
    assert.equal(modeOf(join(t.cwd, 'gait-out')), 0o750);
    assert.equal(modeOf(join(t.cwd, 'gait-out/keys')), 0o750);
    assert.deepEqual(listTree(t.cwd), ['gait-out', 'gait-out/keys', 'gait-out/keys/gait_private.key', 'gait-out/keys/gait_public.key']);
  });

  it('refuses to overwrite without --force with the exact message, and --force replaces the pair', async () => {
    const t = makeTestIo();
    assert.equal((await gait(t, 'keys', 'init', '--json')).code, 0);
    const before = readFileSync(join(t.cwd, 'gait-out/keys/gait_private.key'), 'utf8');
    const err = invalidInput(await gait(t, 'keys', 'init', '--json'));
    const shown = String(err['error']).replace(/^private key path already exists \(use --force\): /, '');
    assert.notEqual(shown, err['error'], String(err['error']));
    assertSamePath(t, shown, 'gait-out/keys/gait_private.key');
    assert.equal(readFileSync(join(t.cwd, 'gait-out/keys/gait_private.key'), 'utf8'), before);
    const forced = await gait(t, 'keys', 'init', '--force', '--json');
    assert.equal(forced.code, 0);
    assert.notEqual(readFileSync(join(t.cwd, 'gait-out/keys/gait_private.key'), 'utf8'), before);
    assert.equal(jsonLine(forced)['key_id'], assertKeyPair(t, 'gait-out/keys', 'gait'));
  });

  it('refuses when only the public file exists', async () => {
    const t = makeTestIo();
    await gait(t, 'keys', 'init', '--out-dir', 'k', '--prefix', 'ci');
    rmSync(join(t.cwd, 'k/ci_private.key'));
    const err = invalidInput(await gait(t, 'keys', 'init', '--out-dir', 'k', '--prefix', 'ci', '--json'));
    assert.match(String(err['error']), /^public key path already exists \(use --force\): \S*k\/ci_public\.key$/);
    assert.deepEqual(listTree(join(t.cwd, 'k')), ['ci_public.key']);
  });

  it('honours --out-dir and --prefix and prints human lines', async () => {
    const t = makeTestIo();
    const run = await gait(t, 'keys', 'init', '--out-dir', 'keys/ci', '--prefix', 'ci');
    assert.equal(run.code, 0);
    const keyId = assertKeyPair(t, 'keys/ci', 'ci');
    assert.match(run.stdout, new RegExp(`^keys written: \\S*keys/ci/ci_private\\.key \\(0600\\), \\S*keys/ci/ci_public\\.key\\nkey_id: ${keyId}\\n$`));
  });
});

describe('gait keys rotate', () => {
  it('prefixes with the UTC stamp of the fixed test clock (2026-02-05T00:00:00Z)', async () => {
    const t = makeTestIo();
    const out = jsonLine(await gait(t, 'keys', 'rotate', '--json'));
    assert.equal(out['prefix'], 'gait_20260205T000000Z');
    assert.equal(out['key_id'], assertKeyPair(t, 'gait-out/keys', 'gait_20260205T000000Z'));
  });

  it('converts a non-midnight instant to YYYYMMDDTHHMMSSZ and keeps --prefix/--out-dir', async () => {
    // 2031-12-24T23:59:58.75Z
    const t = makeTestIo({ clock: fixedClock({ seconds: 1_955_923_198, nanos: 750_000_000, offsetMinutes: 0 }) });
    const out = jsonLine(await gait(t, 'keys', 'rotate', '--prefix', 'ci', '--out-dir', 'rot', '--json'));
    assert.equal(out['prefix'], 'ci_20311224T235958Z');
    assertKeyPair(t, 'rot', 'ci_20311224T235958Z');
  });

  it('never overwrites (no --force)', async () => {
    const t = makeTestIo();
    await gait(t, 'keys', 'rotate');
    const before = readFileSync(join(t.cwd, 'gait-out/keys/gait_20260205T000000Z_private.key'), 'utf8');
    const again = invalidInput(await gait(t, 'keys', 'rotate', '--json'));
    assert.match(String(again['error']), /^private key path already exists/);
    invalidInput(await gait(t, 'keys', 'rotate', '--force', '--json'));
    assert.equal(readFileSync(join(t.cwd, 'gait-out/keys/gait_20260205T000000Z_private.key'), 'utf8'), before);
  });
});

describe('gait keys verify', () => {
  const env = { GAIT_CORRELATION_ID: 'cid-test', GAIT_PRIV: V4_PRIVATE_TEXT, GAIT_PUB: readFileSync(V4_PUBLIC_KEY, 'utf8') };

  it('reports path:, env: and derived sources with the V4 key id', async () => {
    const t = makeTestIo({ env });
    const cases: readonly (readonly [readonly string[], string, string])[] = [
      [['--private-key', V4_PRIVATE_KEY], `path:${V4_PRIVATE_KEY}`, 'derived'],
      [['--private-key', V4_PRIVATE_KEY, '--public-key', V4_PUBLIC_KEY], `path:${V4_PRIVATE_KEY}`, `path:${V4_PUBLIC_KEY}`],
      [['--private-key-env', 'GAIT_PRIV', '--public-key-env', 'GAIT_PUB'], 'env:GAIT_PRIV', 'env:GAIT_PUB'],
    ];
    for (const [flags, privateSource, publicSource] of cases) {
      const run = await gait(t, 'keys', 'verify', ...flags, '--json');
      assert.equal(run.code, 0);
      assert.deepEqual(jsonLine(run), {
        correlation_id: 'cid-test',
        key_id: V4_KEY_ID,
        ok: true,
        private_key_source: privateSource,
        public_key_source: publicSource,
      });
    }
    const human = await gait(t, 'keys', 'verify', '--private-key-env', 'GAIT_PRIV');
    assert.equal(human.stdout, `keys verify ok: key_id ${V4_KEY_ID}\n`);
  });

  it('fails on a mismatching public key and on a missing private source', async () => {
    const t = makeTestIo({ env });
    await gait(t, 'keys', 'init');
    const mismatch = invalidInput(await gait(t, 'keys', 'verify', '--private-key-env', 'GAIT_PRIV', '--public-key', 'gait-out/keys/gait_public.key', '--json'));
    assert.equal(mismatch['error'], 'public key does not match private key');
    const missing = invalidInput(await gait(t, 'keys', 'verify', '--public-key', V4_PUBLIC_KEY, '--json'));
    assert.equal(missing['error'], 'private key source is required (--private-key or --private-key-env)');
    const unset = invalidInput(await gait(t, 'keys', 'verify', '--private-key-env', 'GAIT_NOPE', '--json'));
    assert.equal(unset['error'], 'private key env not set: GAIT_NOPE');
  });
});

describe('gait keys: private key material is never printed', () => {
  it('no run (json, human, success or error) shows a private key or its seed', async () => {
    const seeded = Buffer.alloc(64, 9);
    const t = makeTestIo({ env: { GAIT_CORRELATION_ID: 'cid-test', GAIT_PRIV: V4_PRIVATE_TEXT, GAIT_BAD: seeded.toString('base64') } });
    const runs = [
      ['keys', 'init', '--json'], ['keys', 'init'], ['keys', 'init', '--force'], ['keys', 'rotate', '--json'], ['keys', 'rotate'],
      ['keys', 'verify', '--private-key-env', 'GAIT_PRIV', '--json'], ['keys', 'verify', '--private-key-env', 'GAIT_PRIV'],
      ['keys', 'verify', '--private-key', 'gait-out/keys/gait_private.key', '--json'],
      ['keys', 'verify', '--private-key-env', 'GAIT_BAD', '--json'], ['keys', 'verify', '--private-key-env', 'GAIT_BAD'],
    ];
    for (const args of runs) await gait(t, ...args);
    const printed = t.out() + t.err();
    const secrets = [V4_PRIVATE_TEXT.trim(), seeded.toString('base64'), seeded.subarray(0, 32).toString('hex')];
    for (const dir of ['gait-out/keys/gait_private.key', 'gait-out/keys/gait_20260205T000000Z_private.key']) {
      const text = readFileSync(join(t.cwd, dir), 'utf8').trim();
      secrets.push(text, Buffer.from(text, 'base64').subarray(0, 32).toString('base64'), Buffer.from(text, 'base64').subarray(0, 32).toString('hex'));
    }
    for (const secret of secrets) assert.equal(printed.includes(secret), false, 'private key material printed');
    assert.match(printed, /keys verify error: /);
  });
});
