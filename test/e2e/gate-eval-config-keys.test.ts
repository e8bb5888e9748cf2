/**
 * `gait gate eval` config precedence (gate.md §A12.2) and signing keys (§A11, D7): `--config`,
 * `--no-config`, `--key-mode prod` with `--private-key[-env]`, and the persistent dev pair.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertTraceSignedBy,
  gait,
  invalidInput,
  jsonLine,
  keyIdOfPublicKeyFile,
  listTree,
  modeOf,
  readJson,
  traceFiles,
  V3_TRACE_ID,
  V4_KEY_ID,
  V4_PRIVATE_KEY,
  V4_PUBLIC_KEY,
  workspace,
} from './support.js';
import type { TestIo } from '../helpers/cli-io.js';

const PROD_KEY = ['--key-mode', 'prod', '--private-key', V4_PRIVATE_KEY];
const EVAL = ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json'];
const INPUTS_ONLY = ['intent.json', 'policy.yaml'];
const TRACE = `trace_${V3_TRACE_ID}.json`;

function withConfig(text: string, path = '.gait/config.yaml'): TestIo {
  const t = workspace();
  mkdirSync(join(t.cwd, path, '..'), { recursive: true });
  writeFileSync(join(t.cwd, path), text);
  writeFileSync(join(t.cwd, 'allow.yaml'), 'default_verdict: allow\n');
  return t;
}

describe('gait gate eval: config (§A12.2)', () => {
  it('fills unset flags from .gait/config.yaml (policy, trace_path, key_mode, private_key)', async () => {
    const t = withConfig(`gate:\n  policy: policy.yaml\n  trace_path: out/cfg.json\n  key_mode: prod\n  private_key: ${V4_PRIVATE_KEY}\n`);
    const run = await gait(t, 'gate', 'eval', '--intent', 'intent.json', '--json');
    assert.equal(run.code, 3);
    const out = jsonLine(run);
    assert.equal(out['trace_path'], 'out/cfg.json');
    assert.equal(out['warnings'], undefined);
    assertTraceSignedBy(readJson(join(t.cwd, 'out/cfg.json')), V4_PUBLIC_KEY);
  });

  it('lets a flag the user set win over the config', async () => {
    const t = withConfig('gate:\n  policy: policy.yaml\n');
    const run = await gait(t, 'gate', 'eval', '--policy', 'allow.yaml', '--intent', 'intent.json', '--json', ...PROD_KEY);
    assert.equal(run.code, 0);
    assert.equal(jsonLine(run)['verdict'], 'allow');
  });

  it('--no-config ignores the default file, even a broken one', async () => {
    const t = withConfig('gate:\n  policy: policy.yaml\n');
    const err = invalidInput(await gait(t, 'gate', 'eval', '--intent', 'intent.json', '--json', '--no-config'));
    assert.equal(err['error'], 'both --policy and --intent are required');
    const broken = withConfig('gate: [\n');
    assert.equal((await gait(broken, ...EVAL, ...PROD_KEY, '--no-config')).code, 3);
  });

  it('uses an explicit --config file and fails when it is missing (the default path may be absent)', async () => {
    const t = withConfig('gate:\n  profile: oss-prod\n', 'conf/gait.yaml');
    const refused = invalidInput(await gait(t, ...EVAL, '--config', 'conf/gait.yaml'));
    assert.equal(refused['error'], 'oss-prod profile requires --key-mode prod');
    const missing = invalidInput(await gait(t, ...EVAL, '--config', 'nope.yaml'));
    assert.equal(missing['error'], 'cannot read config `nope.yaml`: no such file');
    assert.deepEqual(traceFiles(t.cwd), []);
  });

  it('rejects an unknown config key naming file, line and column; nothing is written', async () => {
    const t = withConfig('gate:\n  polcy: policy.yaml\n');
    const err = invalidInput(await gait(t, ...EVAL));
    assert.equal(err['error_location'], '.gait/config.yaml:2:3');
    assert.match(String(err['error']), /^\.gait\/config\.yaml:2:3: cannot load config `\.gait\/config\.yaml`: .*unknown key `gate\.polcy`$/);
    assert.deepEqual(listTree(t.cwd), ['.gait', '.gait/config.yaml', 'allow.yaml', ...INPUTS_ONLY]);
  });

  it('applies the `..` rule to a configured trace_path', async () => {
    const t = withConfig('gate:\n  trace_path: ../evil.json\n');
    const err = invalidInput(await gait(t, ...EVAL));
    assert.equal(err['error'], 'relative trace path must not traverse parent directories');
    assert.equal(existsSync(join(t.cwd, '..', 'evil.json')), false);
    assert.deepEqual(listTree(t.cwd), ['.gait', '.gait/config.yaml', 'allow.yaml', ...INPUTS_ONLY]);
  });

  it(
    'refuses Part B settings from the config like the equivalent flags (phase rule: never silently ignored)',
    async () => {
      for (const line of ['credential_broker: stub', 'kill_switch_state: ks.json', 'wrkr_inventory_path: inventory.json']) {
        const t = withConfig(`gate:\n  ${line}\n`);
        const err = invalidInput(await gait(t, ...EVAL, ...PROD_KEY));
        assert.match(String(err['error']), /not supported yet/);
        assert.deepEqual(traceFiles(t.cwd), []);
      }
    },
  );
});

describe('gait gate eval: --key-mode prod (§A11)', () => {
  it('signs with --private-key: no warning, no dev pair created', async () => {
    const t = workspace();
    const run = await gait(t, ...EVAL, ...PROD_KEY);
    assert.equal(run.code, 3);
    assert.equal(jsonLine(run)['warnings'], undefined);
    assert.deepEqual(listTree(t.cwd), [...INPUTS_ONLY, TRACE]);
    const trace = readJson(join(t.cwd, TRACE));
    assert.equal((trace['signature'] as Record<string, unknown>)['key_id'], V4_KEY_ID);
    assertTraceSignedBy(trace, V4_PUBLIC_KEY);
  });

  it('signs with --private-key-env (value trimmed)', async () => {
    const t = workspace({ env: { GAIT_CORRELATION_ID: 'cid-test', GAIT_KEY: `\n  ${readFileSync(V4_PRIVATE_KEY, 'utf8')}  ` } });
    const run = await gait(t, ...EVAL, '--key-mode', 'prod', '--private-key-env', 'GAIT_KEY');
    assert.equal(run.code, 3);
    assertTraceSignedBy(readJson(join(t.cwd, TRACE)), V4_PUBLIC_KEY);
  });

  const refusals: readonly (readonly [string, readonly string[], string])[] = [
    ['no private key source', ['--key-mode', 'prod'], 'prod mode requires a private key source'],
    ['an unset env variable', ['--key-mode', 'prod', '--private-key-env', 'GAIT_NOPE'], 'private key env not set: GAIT_NOPE'],
    ['path and env together', [...PROD_KEY, '--private-key-env', 'GAIT_NOPE'], 'private key source: set either path or env'],
    ['an unknown key mode', ['--key-mode', 'production'], 'unsupported key mode: "production"'],
  ];
  for (const [what, flags, message] of refusals) {
    it(`refuses ${what} with exit 6 and writes nothing`, async () => {
      const t = workspace();
      const err = invalidInput(await gait(t, ...EVAL, ...flags));
      assert.equal(err['error'], message);
      assert.deepEqual(listTree(t.cwd), INPUTS_ONLY);
    });
  }
});

describe('gait gate eval: dev key mode (D7)', () => {
  it('creates .gait/keys (0700) with 0600 files on first use and warns with the exact text', async () => {
    const t = workspace();
    const run = await gait(t, ...EVAL);
    assert.equal(run.code, 3);
    const privatePath = join(t.cwd, '.gait/keys/dev_private.key');
    const publicPath = join(t.cwd, '.gait/keys/dev_public.key');
    const keyId = keyIdOfPublicKeyFile(publicPath);
    assert.deepEqual(jsonLine(run)['warnings'], [
      `dev mode: using local development signing key ${privatePath} (key_id ${keyId}); do not use for production`,
    ]);
    assert.deepEqual(listTree(t.cwd), ['.gait', '.gait/keys', '.gait/keys/dev_private.key', '.gait/keys/dev_public.key', ...INPUTS_ONLY, TRACE]);
    assert.equal(modeOf(join(t.cwd, '.gait/keys')), 0o700);
    assert.equal(modeOf(privatePath), 0o600);
    assert.equal(modeOf(publicPath), 0o600);
    // §A11 file formats: base64 of 64 bytes (seed ‖ public) and of the 32-byte public key, then `\n`.
    const privateText = readFileSync(privatePath, 'utf8');
    const publicText = readFileSync(publicPath, 'utf8');
    assert.match(privateText, /^[A-Za-z0-9+/]+={0,2}\n$/);
    assert.match(publicText, /^[A-Za-z0-9+/]+={0,2}\n$/);
    const privateRaw = Buffer.from(privateText.trim(), 'base64');
    assert.equal(privateRaw.length, 64);
    assert.deepEqual(privateRaw.subarray(32), Buffer.from(publicText.trim(), 'base64'));
    assertTraceSignedBy(readJson(join(t.cwd, TRACE)), publicPath);
  });

  it('reuses the pair on later runs and prints the warning line in human output', async () => {
    const t = workspace();
    await gait(t, ...EVAL);
    const before = readFileSync(join(t.cwd, '.gait/keys/dev_private.key'), 'utf8');
    const human = await gait(t, 'gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json');
    assert.equal(human.code, 3);
    assert.equal(readFileSync(join(t.cwd, '.gait/keys/dev_private.key'), 'utf8'), before);
    const keyId = keyIdOfPublicKeyFile(join(t.cwd, '.gait/keys/dev_public.key'));
    assert.match(human.stdout, new RegExp(`\\nwarning: dev mode: using local development signing key \\S+dev_private\\.key \\(key_id ${keyId}\\); do not use for production\\n$`));
  });

  it('uses an explicit --private-key without --key-mode prod, with no warning and no dev pair', async () => {
    const t = workspace();
    const run = await gait(t, ...EVAL, '--private-key', V4_PRIVATE_KEY);
    assert.equal(run.code, 3);
    assert.equal(jsonLine(run)['warnings'], undefined);
    assert.deepEqual(listTree(t.cwd), [...INPUTS_ONLY, TRACE]);
    assertTraceSignedBy(readJson(join(t.cwd, TRACE)), V4_PUBLIC_KEY);
  });
});
