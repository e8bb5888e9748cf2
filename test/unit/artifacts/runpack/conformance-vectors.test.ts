/**
 * artifacts.md §2.14 V1 (Gait v1 golden) and V2 (its signature), with every expected value a literal
 * from the spec. V3 is produced through the CLI in test/e2e/run-record.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRunpackSync } from '../../../../src/artifacts/runpack/build.js';
import { diffRunpacks } from '../../../../src/artifacts/runpack/diff.js';
import { parseRunpackInput } from '../../../../src/artifacts/runpack/input.js';
import { readRunpack } from '../../../../src/artifacts/runpack/read.js';
import { replayRunpackStub } from '../../../../src/artifacts/runpack/replay.js';
import { verifyRunpack } from '../../../../src/artifacts/runpack/verify.js';
import { parsePrivateKeyText, verifyKeyOf } from '../../../../src/crypto/keys.js';
import { fixedClock } from '../../../../src/runtime/clock.js';
import { v1Input } from './vectors.js';

const clock = fixedClock({ seconds: 0, nanos: 0, offsetMinutes: 0 });
const KEYS = join(process.cwd(), 'test/fixtures/vectors/gait-v1/keys');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('§2.14 V1: the Gait v1 golden runpack', () => {
  const built = buildRunpackSync(parseRunpackInput(v1Input()), { clock });

  it('args digests are DigestJCS(args)', () => {
    const lines = Buffer.from(built.runpack.entries.get('intents.jsonl')!).toString().trim().split('\n');
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { args_digest: string }).args_digest), [
      'a6de3762bf639c5d3ff501fe06d72c84cf09e14c0ac244b4cf479f890dc988ff',
      '729ed0387626bf22a759c29e04dfd4a9a489dab77e4c310e01da358bd568941f',
    ]);
  });

  it('entry hashes match', () => {
    const e = built.runpack.entries;
    assert.equal(sha(e.get('intents.jsonl')!), 'ded64e2d5d43933a4433e91c22bc7fa67b8997fe5d36a8399dbc2d4cf1e22698');
    assert.equal(sha(e.get('refs.json')!), '18936b188c22f56464b4cb7be9b28961ddc5d8e103f37be97f8f8d61b9ef49c2');
    assert.equal(sha(e.get('results.jsonl')!), 'b2613af3300c6ee603018a9c26485a97dd5ec2a05ed2e1de1c9c02b368e2e544');
    assert.equal(sha(e.get('run.json')!), '54977f15b5587a596a64f55e92a98eec9c089506820ef834fa3738349a387fb6');
    const refs = Buffer.from(e.get('refs.json')!).toString();
    assert.ok(refs.includes('"context_ref_count":2'));
    assert.equal(refs.split('"immutability":"unknown"').length - 1, 2);
  });

  it('manifest_digest is 5df30db6…21f5d8', () => {
    assert.equal(built.manifestDigest, '5df30db691a7623bbad16c19ddda77f801ac9aad853a615ca6511c628f21f5d8');
    assert.deepEqual(built.manifest.files.map((f) => f.path), ['intents.jsonl', 'refs.json', 'results.jsonl', 'run.json']);
  });

  it('verify: files_checked 4, signature_status missing, ok', () => {
    const report = verifyRunpack(built.bytes);
    assert.equal(report.ok, true);
    assert.equal(report.filesChecked, 4);
    assert.equal(report.signatureStatus, 'missing');
    assert.deepEqual(report.checks.map((c) => [c.name, c.ok]), [
      ['zip', true],
      ['manifest', true],
      ['declared_files', true],
      ['file_hashes', true],
      ['record_files', true],
      ['undeclared_files', true],
      ['manifest_digest', true],
      ['signature', true],
    ]);
  });

  it('stub replay has 2 recorded steps; self-diff changes nothing (classification none)', async () => {
    const pack = await readRunpack(built.bytes);
    const replay = replayRunpackStub(pack);
    assert.equal(replay.steps.length, 2);
    assert.deepEqual(replay.steps.map((s) => s.execution), ['recorded', 'recorded']);
    const diff = diffRunpacks(pack, pack);
    assert.equal(diff.ok, true);
    assert.deepEqual(
      [diff.summary.manifestChanged, diff.summary.intentsChanged, diff.summary.resultsChanged, diff.summary.refsChanged],
      [false, false, false, false],
    );
    assert.equal(diff.summary.contextDriftClassification, 'none');
  });
});

describe('§2.14 V2: V1 signed with the test key', () => {
  const key = parsePrivateKeyText(readFileSync(join(KEYS, 'approval_private.key'), 'utf8'));
  const built = buildRunpackSync(parseRunpackInput(v1Input()), { clock, signingKey: key });

  it('signed_digest, key_id and sig are the spec values', () => {
    assert.equal(built.manifestDigest, '5df30db691a7623bbad16c19ddda77f801ac9aad853a615ca6511c628f21f5d8');
    assert.deepEqual(built.manifest.signatures, [
      {
        alg: 'ed25519',
        key_id: '8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52',
        sig: '+Jg58gqOV1Hct45p05asWTsF6BRrgAhiCAFMwuzftGO9KmJ2y4IW+dNfiG8Z/rXC1aGVDSttIpGhK0cw+HVQAg==',
        signed_digest: '575a6483e14e15db1d73a996f0aa96a1f4621f668414295684544d00e379c6b5',
      },
    ]);
  });

  it('verifies with the public key, signature required', () => {
    const report = verifyRunpack(built.bytes, { key: verifyKeyOf(key), requireSignature: true });
    assert.equal(report.ok, true);
    assert.equal(report.signatureStatus, 'verified');
    assert.equal(report.signaturesValid, 1);
  });
});
