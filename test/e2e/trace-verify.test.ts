/**
 * `gait trace verify` in-process (gate.md §A12.5, §A8, D6): verified traces exit 0, tampered or
 * out-of-schema ones exit 2 with the spec texts, unreadable input or keys exit 6. Also checks the Gait
 * v1 V4 key id of the committed public key.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import {
  gait,
  invalidInput,
  jsonLine,
  keyIdOfPublicKeyFile,
  readJson,
  V3_TRACE_ID,
  V4_KEY_ID,
  V4_PRIVATE_KEY,
  V4_PUBLIC_KEY,
  V4_PUBLIC_KEY_TEXT,
  workspace,
} from './support.js';
import type { TestIo } from '../helpers/cli-io.js';

const PUB = ['--public-key', V4_PUBLIC_KEY];

/** A workspace holding `t.json`, the integration trace signed with the V4 key. */
async function signedTrace(options: Parameters<typeof workspace>[0] = {}): Promise<{ t: TestIo; trace: Record<string, unknown> }> {
  const t = workspace(options);
  const run = await gait(t, 'gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--trace-out', 't.json', '--key-mode', 'prod', '--private-key', V4_PRIVATE_KEY);
  assert.equal(run.code, 3);
  return { t, trace: readJson(join(t.cwd, 't.json')) };
}

function write(t: TestIo, name: string, value: unknown): string {
  writeFileSync(join(t.cwd, name), `${JSON.stringify(value, null, 2)}\n`);
  return name;
}

/** Re-signs a record with the V4 private key, independently of gait (JCS oracle + node:crypto). */
function resign(record: Record<string, unknown>): Record<string, unknown> {
  const { signature: _old, ...unsigned } = record;
  const digest = createHash('sha256').update(canonicalize(unsigned) ?? '').digest('hex');
  const seed = Buffer.from(readFileSync(V4_PRIVATE_KEY, 'utf8').trim(), 'base64').subarray(0, 32);
  const key = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const sig = sign(null, Buffer.from(digest, 'hex'), key).toString('base64');
  return { ...unsigned, signature: { alg: 'ed25519', key_id: V4_KEY_ID, sig, signed_digest: digest } };
}

/** A failed verification: exit 2, ok false, signature_status failed; returns the output. */
async function failed(t: TestIo, path: string, ...flags: string[]): Promise<Record<string, unknown>> {
  const run = await gait(t, 'trace', 'verify', path, '--json', ...(flags.length === 0 ? PUB : flags));
  assert.equal(run.code, 2, run.stdout);
  const out = jsonLine(run);
  assert.equal(out['ok'], false);
  assert.equal(out['signature_status'], 'failed');
  assert.equal(out['path'], path);
  return out;
}

describe('gait trace verify: verified', () => {
  it('exits 0 with signature_status verified and the V4 key id', async () => {
    const { t } = await signedTrace();
    const run = await gait(t, 'trace', 'verify', 't.json', '--json', ...PUB);
    assert.equal(run.code, 0);
    assert.deepEqual(jsonLine(run), {
      correlation_id: 'cid-test',
      key_id: V4_KEY_ID,
      ok: true,
      path: 't.json',
      signature_status: 'verified',
      trace_id: V3_TRACE_ID,
      verdict: 'block',
    });
    const human = await gait(t, 'trace', 'verify', 't.json', ...PUB);
    assert.equal(human.code, 0);
    assert.equal(human.stdout, 'trace verify ok: t.json\n');
  });

  it('takes --path, --public-key-env and the public half of --private-key', async () => {
    const { t } = await signedTrace({ env: { GAIT_CORRELATION_ID: 'cid-test', GAIT_PUB: readFileSync(V4_PUBLIC_KEY, 'utf8') } });
    for (const flags of [['--path', 't.json', ...PUB], ['t.json', '--public-key-env', 'GAIT_PUB'], ['t.json', '--private-key', V4_PRIVATE_KEY]]) {
      const run = await gait(t, 'trace', 'verify', ...flags, '--json');
      assert.equal(run.code, 0, flags.join(' '));
      assert.equal(jsonLine(run)['signature_status'], 'verified');
    }
  });

  it('verifies a dev-mode trace with the local dev public key when no key flag is given (D7)', async () => {
    const t = workspace();
    await gait(t, 'gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--trace-out', 'dev.json');
    const run = await gait(t, 'trace', 'verify', 'dev.json', '--json');
    assert.equal(run.code, 0);
    assert.equal(jsonLine(run)['key_id'], keyIdOfPublicKeyFile(join(t.cwd, '.gait/keys/dev_public.key')));
  });

  it('the committed V4 public key has the Gait v1 key id', async () => {
    assert.equal(readFileSync(V4_PUBLIC_KEY, 'utf8'), `${V4_PUBLIC_KEY_TEXT}\n`);
    assert.equal(keyIdOfPublicKeyFile(V4_PUBLIC_KEY), V4_KEY_ID);
    const t = workspace();
    const run = await gait(t, 'keys', 'verify', '--private-key', V4_PRIVATE_KEY, '--public-key', V4_PUBLIC_KEY, '--json');
    assert.equal(run.code, 0);
    assert.equal(jsonLine(run)['key_id'], V4_KEY_ID);
  });
});

describe('gait trace verify: failures exit 2', () => {
  for (const [member, value] of [['verdict', 'allow'], ['tool_name', 'tool.read'], ['observed_at', '2026-02-05T00:00:01Z']] as const) {
    it(`a tampered \`${member}\` gives \`signed_digest mismatch\``, async () => {
      const { t, trace } = await signedTrace();
      const out = await failed(t, write(t, 'tampered.json', { ...trace, [member]: value }));
      assert.equal(out['error'], 'signed_digest mismatch');
      assert.equal(out['trace_id'], V3_TRACE_ID);
    });
  }

  it('a flipped signature byte fails Ed25519 verification; human output says failed', async () => {
    const { t, trace } = await signedTrace();
    const signature = trace['signature'] as Record<string, string>;
    const sig = Buffer.from(signature['sig'] as string, 'base64');
    sig[10] = (sig[10] as number) ^ 1;
    const path = write(t, 'flipped.json', { ...trace, signature: { ...signature, sig: sig.toString('base64') } });
    assert.equal((await failed(t, path))['error'], 'signature verification failed');
    const short = write(t, 'short.json', { ...trace, signature: { ...signature, sig: Buffer.alloc(63).toString('base64') } });
    assert.equal((await failed(t, short))['error'], 'invalid signature length: 63');
    const human = await gait(t, 'trace', 'verify', path, ...PUB);
    assert.equal(human.code, 2);
    assert.match(human.stdout, /^trace verify failed: flipped\.json\n/);
  });

  it('a member outside the trace schema fails schema validation even when re-signed (D6)', async () => {
    const { t, trace } = await signedTrace();
    const extra = resign({ ...trace, reason_codes: ['blocked_external'] });
    const out = await failed(t, write(t, 'extra.json', extra));
    assert.match(String(out['error']), /^trace schema validation failed: .*reason_codes/);
    const nested = await failed(t, write(t, 'nested.json', { ...trace, signature: { ...(trace['signature'] as object), note: 'x' } }));
    assert.match(String(nested['error']), /^trace schema validation failed: .*note/);
    // Control: the independent re-signing itself is sound.
    const control = await gait(t, 'trace', 'verify', write(t, 'control.json', resign(trace)), '--json', ...PUB);
    assert.equal(control.code, 0);
  });

  it('a JSON value that is not a trace object fails the schema check', async () => {
    const { t } = await signedTrace();
    assert.match(String((await failed(t, write(t, 'array.json', [])))['error']), /^trace schema validation failed: /);
  });

  it('a missing signature gives `trace signature missing`', async () => {
    const { t, trace } = await signedTrace();
    const { signature: _sig, ...unsigned } = trace;
    assert.equal((await failed(t, write(t, 'unsigned.json', unsigned)))['error'], 'trace signature missing');
  });

  it('a different key gives `key id mismatch`', async () => {
    const { t } = await signedTrace();
    assert.equal((await gait(t, 'keys', 'init', '--out-dir', 'other')).code, 0);
    const out = await failed(t, 't.json', '--public-key', 'other/gait_public.key');
    assert.equal(out['error'], 'key id mismatch');
  });

  it(
    'adds the §A13 envelope for exit 2 to the failure output (§A12.1)',
    async () => {
      const { t, trace } = await signedTrace();
      const out = await failed(t, write(t, 'tampered.json', { ...trace, verdict: 'allow' }));
      assert.equal(out['error_code'], 'verification_failed');
      assert.equal(out['error_category'], 'verification_failed');
      assert.equal(out['retryable'], false);
      assert.equal(out['hint'], 're-run verify after checking artifact integrity');
    },
  );
});

describe('gait trace verify: bad input exits 6', () => {
  it('an unparsable file names file:line:col', async () => {
    const { t } = await signedTrace();
    writeFileSync(join(t.cwd, 'garbage.json'), '{"schema_id": ');
    const err = invalidInput(await gait(t, 'trace', 'verify', 'garbage.json', '--json', ...PUB));
    assert.equal(err['error_location'], 'garbage.json:1:15');
    assert.equal(err['error_reason'], 'input_json');
  });

  it('a missing trace file or no path', async () => {
    const t = workspace();
    const missing = invalidInput(await gait(t, 'trace', 'verify', 'missing.json', '--json', ...PUB));
    assert.equal(missing['error_reason'], 'input_path');
    assert.match(String(missing['error']), /^cannot read trace `\S*missing\.json`: no such file$/);
    const none = invalidInput(await gait(t, 'trace', 'verify', '--json', ...PUB));
    assert.equal(none['error'], 'trace path is required (gait trace verify <path>)');
  });

  it('no verify key, an unreadable key file, an unset env variable, both path and env', async () => {
    const { t } = await signedTrace();
    const cases: readonly (readonly [readonly string[], string])[] = [
      [[], 'public key not configured'],
      [['--public-key', 'nokey.pub'], 'cannot read public key `nokey.pub`: no such file'],
      [['--public-key-env', 'GAIT_NOPE'], 'public key env not set: GAIT_NOPE'],
      [['--public-key', V4_PUBLIC_KEY, '--public-key-env', 'GAIT_NOPE'], 'public key source: set either path or env'],
    ];
    for (const [flags, message] of cases) {
      assert.equal(invalidInput(await gait(t, 'trace', 'verify', 't.json', '--json', ...flags))['error'], message);
    }
  });

  it('a public key of the wrong length', async () => {
    const { t } = await signedTrace();
    writeFileSync(join(t.cwd, 'short.pub'), `${Buffer.alloc(31, 1).toString('base64')}\n`);
    const err = invalidInput(await gait(t, 'trace', 'verify', 't.json', '--json', '--public-key', 'short.pub'));
    assert.equal(err['error'], 'public key `short.pub`: invalid public key length: 31');
  });
});
