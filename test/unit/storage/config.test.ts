import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GaitError } from '../../../src/errors/error.js';
import { loadGateConfig, parseGateConfig } from '../../../src/storage/config.js';

const root = mkdtempSync(join(tmpdir(), 'gait-config-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function freshDir(): string {
  n += 1;
  const d = join(root, `case${n}`);
  mkdirSync(d);
  return d;
}

function caught(fn: () => unknown): GaitError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GaitError, `expected GaitError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a throw');
}

describe('parseGateConfig()', () => {
  it('maps every allowed key to its camelCase member', () => {
    const text = [
      'gate:',
      '  policy: gait.policy.yaml',
      '  profile: oss-prod',
      '  key_mode: prod',
      '  private_key: keys/p.key',
      '  private_key_env: GAIT_KEY',
      '  approval_public_key: a_pub.key',
      '  approval_public_key_env: A_PUB',
      '  approval_private_key: a_priv.key',
      '  approval_private_key_env: A_PRIV',
      '  kill_switch_state: ks.json',
      '  rate_limit_state: rl.json',
      '  credential_broker: env',
      '  credential_env_prefix: TOK_',
      '  credential_ref: ref1',
      '  credential_scopes: " read , write ,,"',
      '  credential_command: /bin/broker',
      '  credential_command_args: [--a, " --b "]',
      '  credential_evidence_path: ev.json',
      '  trace_path: out/trace.json',
      '  wrkr_inventory_path: inv.json',
      '  state: .gait/state',
      '',
    ].join('\n');
    assert.deepEqual(parseGateConfig(text, 'c.yaml'), {
      policy: 'gait.policy.yaml',
      profile: 'oss-prod',
      keyMode: 'prod',
      privateKey: 'keys/p.key',
      privateKeyEnv: 'GAIT_KEY',
      approvalPublicKey: 'a_pub.key',
      approvalPublicKeyEnv: 'A_PUB',
      approvalPrivateKey: 'a_priv.key',
      approvalPrivateKeyEnv: 'A_PRIV',
      killSwitchState: 'ks.json',
      rateLimitState: 'rl.json',
      credentialBroker: 'env',
      credentialEnvPrefix: 'TOK_',
      credentialRef: 'ref1',
      credentialScopes: ['read', 'write'],
      credentialCommand: '/bin/broker',
      credentialCommandArgs: ['--a', '--b'],
      credentialEvidencePath: 'ev.json',
      tracePath: 'out/trace.json',
      wrkrInventoryPath: 'inv.json',
      state: '.gait/state',
    });
  });

  it('accepts empty documents, an empty gate section and blank values', () => {
    assert.deepEqual(parseGateConfig('', 'c.yaml'), {});
    assert.deepEqual(parseGateConfig('# nothing\n', 'c.yaml'), {});
    assert.deepEqual(parseGateConfig('gate:\n', 'c.yaml'), {});
    assert.deepEqual(parseGateConfig('gate:\n  policy:\n  profile: standard\n', 'c.yaml'), { profile: 'standard' });
  });

  it('rejects an unknown top-level key with its location', () => {
    const err = caught(() => parseGateConfig('gate:\n  policy: p.yaml\nrules: []\n', 'c.yaml'));
    assert.equal(err.code, 'input_usage');
    assert.equal(err.message, 'cannot load config `c.yaml`: line 3, column 1: unknown key `rules` (only `gate` is allowed)');
    assert.deepEqual(err.location, { file: 'c.yaml', line: 3, col: 1 });
  });

  it('rejects an unknown gate key with its location', () => {
    const err = caught(() => parseGateConfig('gate:\n  policy: p.yaml\n  polcy: x\n', 'c.yaml'));
    assert.equal(err.message, 'cannot load config `c.yaml`: line 3, column 3: unknown key `gate.polcy`');
    assert.deepEqual(err.location, { file: 'c.yaml', line: 3, col: 3 });
  });

  it('rejects values of the wrong type', () => {
    assert.throws(() => parseGateConfig('gate:\n  policy: 12\n', 'c.yaml'), {
      code: 'input_usage',
      message: 'cannot load config `c.yaml`: line 2, column 11: `gate.policy` must be a string',
    });
    assert.throws(() => parseGateConfig('gate:\n  credential_scopes: [a, 1]\n', 'c.yaml'), {
      message: 'cannot load config `c.yaml`: line 2, column 26: `gate.credential_scopes` items must be strings',
    });
    assert.throws(() => parseGateConfig('gate:\n  credential_scopes: {a: b}\n', 'c.yaml'), {
      message: 'cannot load config `c.yaml`: line 2, column 22: `gate.credential_scopes` must be a string or a list of strings',
    });
    assert.throws(() => parseGateConfig('gate: [a]\n', 'c.yaml'), {
      message: 'cannot load config `c.yaml`: line 1, column 7: `gate` must be a mapping',
    });
    assert.throws(() => parseGateConfig('- a\n', 'c.yaml'), {
      message: 'cannot load config `c.yaml`: line 1, column 1: the file must be a mapping with a `gate` key',
    });
  });

  it('reports YAML syntax errors and duplicate keys with a location', () => {
    const dup = caught(() => parseGateConfig('gate:\n  policy: a\n  policy: b\n', 'c.yaml'));
    assert.equal(dup.code, 'input_usage');
    assert.equal(dup.message, 'cannot load config `c.yaml`: line 3, column 3: map keys must be unique');
    const bad = caught(() => parseGateConfig('gate:\n  policy: [a\n', 'c.yaml'));
    assert.equal(bad.code, 'input_usage');
    assert.match(bad.message, /^cannot load config `c\.yaml`: line \d+, column \d+: /);
  });
});

describe('loadGateConfig()', () => {
  it('returns {} when the default file is missing', () => {
    assert.deepEqual(loadGateConfig({ explicit: false, cwd: freshDir() }), {});
  });

  it('reads the default .gait/config.yaml', () => {
    const cwd = freshDir();
    mkdirSync(join(cwd, '.gait'));
    writeFileSync(join(cwd, '.gait', 'config.yaml'), 'gate:\n  key_mode: prod\n');
    assert.deepEqual(loadGateConfig({ explicit: false, cwd }), { keyMode: 'prod' });
  });

  it('fails when an explicit file is missing, naming the path as given', () => {
    const err = caught(() => loadGateConfig({ path: 'my.yaml', explicit: true, cwd: freshDir() }));
    assert.equal(err.code, 'input_path');
    assert.equal(err.message, 'cannot read config `my.yaml`: no such file');
  });

  it('accepts an empty explicit file and enforces the size cap', () => {
    const cwd = freshDir();
    writeFileSync(join(cwd, 'empty.yaml'), '');
    assert.deepEqual(loadGateConfig({ path: 'empty.yaml', explicit: true, cwd }), {});
    writeFileSync(join(cwd, 'big.yaml'), 'gate: {}\n');
    assert.throws(() => loadGateConfig({ path: 'big.yaml', explicit: true, cwd, maxBytes: 4 }), {
      code: 'input_too_large',
      message: 'cannot read config `big.yaml`: file is 9 bytes, over the 4-byte limit',
    });
  });
});
