/* eslint-disable @typescript-eslint/no-explicit-any -- the tests edit parsed JSON documents in place */
/**
 * The manifest-signature and declared-files checks runpacks and packs share (artifacts.md §2.8 steps
 * 3, 5, 7 and 8; §3.6 steps 5 and 8): both verifiers give the same errors for the same damage, and
 * a pack's `failed` also carries `signature verification failed` (§3.6 step 8).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { buildRunPack } from '../../../../src/artifacts/pack/build.js';
import { verifyPack } from '../../../../src/artifacts/pack/verify.js';
import { buildRunpackSync } from '../../../../src/artifacts/runpack/build.js';
import { parseRunpackInput } from '../../../../src/artifacts/runpack/input.js';
import { verifyRunpack } from '../../../../src/artifacts/runpack/verify.js';
import { openZip } from '../../../../src/artifacts/zip/read.js';
import { signDigestHex } from '../../../../src/crypto/envelope.js';
import { generateSigningKey, parsePrivateKeyText, verifyKeyOf } from '../../../../src/crypto/keys.js';
import { fixedClock } from '../../../../src/runtime/clock.js';
import { seededRandom } from '../../../helpers/cli-io.js';
import { craftZip } from '../../../helpers/zip-craft.js';
import { v3Input } from '../runpack/vectors.js';

const clock = fixedClock({ seconds: 0, nanos: 0, offsetMinutes: 0 });
const KEY = parsePrivateKeyText(readFileSync(join(process.cwd(), 'test/fixtures/vectors/gait-v1/keys/approval_private.key'), 'utf8'));
const PUB = verifyKeyOf(KEY);
const OTHER = verifyKeyOf(generateSigningKey(seededRandom('other')));
const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

/** The V3 runpack as `gait run record` writes it (§2.14 V3: evidence mode best_effort added by the CLI). */
function v3(): ReturnType<typeof parseRunpackInput> {
  const input = v3Input() as Record<string, any>;
  input.refs.context_evidence_mode = 'best_effort';
  return parseRunpackInput(input);
}

const signedRunpack = buildRunpackSync(v3(), { clock, signingKey: KEY }).bytes;
const unsignedRunpack = buildRunpackSync(v3(), { clock }).bytes;
const signedPack = buildRunPack(unsignedRunpack, { producerVersion: '0.0.0-dev', signingKey: KEY }).bytes;
const unsignedPack = buildRunPack(unsignedRunpack, { producerVersion: '0.0.0-dev' }).bytes;

/** Re-zips `bytes` with its manifest entry `name` edited (a third-party writer). */
function editManifest(bytes: Uint8Array, name: string, edit: (m: Record<string, any>) => void): Uint8Array {
  const zip = openZip(bytes);
  return craftZip(
    zip.entries.map((e) => {
      const data = zip.read(e.name);
      if (e.name !== name) return { name: e.name, data };
      const m = JSON.parse(Buffer.from(data).toString('utf8')) as Record<string, any>;
      edit(m);
      return { name: e.name, data: canonicalize(m) as string };
    }),
  );
}

/** A valid-length Ed25519 signature by the right key over another digest: a plain false (§2.8 step 7). */
function forge(m: Record<string, any>): void {
  m['signatures'][0].sig = signDigestHex('00'.repeat(32), KEY);
}

function duplicateSignature(m: Record<string, any>): void {
  m['signatures'] = [m['signatures'][0], m['signatures'][0]];
}

/** `pack_id` recomputed with the JCS oracle (§3.2), after `edit`. */
function repackId(edit: (m: Record<string, any>) => void) {
  return (m: Record<string, any>): void => {
    edit(m);
    const { signatures: _s, ...rest } = m;
    m['pack_id'] = sha(canonicalize({ ...rest, pack_id: '' }) as string);
  };
}

function signatureWhy(r: { checks: readonly { name: string; why?: string }[] }): string | undefined {
  return r.checks.find((c) => c.name === 'signature')?.why;
}

describe('manifest signatures: runpack and pack agree', () => {
  it('the wrong key: `key id mismatch`; a pack also adds `signature verification failed` (§3.6 step 8)', () => {
    const run = verifyRunpack(signedRunpack, { key: OTHER });
    assert.deepEqual([run.ok, run.signatureStatus, run.signatureErrors, signatureWhy(run)], [false, 'failed', ['key id mismatch'], 'signature verification failed: key id mismatch']);
    const pack = verifyPack(signedPack, { key: OTHER });
    assert.deepEqual(
      [pack.ok, pack.signatureStatus, pack.signatureErrors, signatureWhy(pack)],
      [false, 'failed', ['key id mismatch', 'signature verification failed'], 'signature verification failed: key id mismatch'],
    );
  });

  it('two failing signatures give one error each (§2.8 step 7), in runpacks and packs alike', () => {
    const run = verifyRunpack(editManifest(signedRunpack, 'manifest.json', duplicateSignature), { key: OTHER });
    assert.deepEqual([run.signaturesTotal, run.signatureErrors], [2, ['key id mismatch', 'key id mismatch']]);
    const pack = verifyPack(editManifest(signedPack, 'pack_manifest.json', duplicateSignature), { key: OTHER });
    assert.deepEqual([pack.ok, pack.signaturesTotal, pack.signatureErrors], [false, 2, ['key id mismatch', 'key id mismatch', 'signature verification failed']]);
  });

  it('a plain false: `signature verification failed` once, and the check says it once', () => {
    const run = verifyRunpack(editManifest(signedRunpack, 'manifest.json', forge), { key: PUB });
    assert.deepEqual([run.ok, run.signatureStatus, run.signatureErrors, signatureWhy(run)], [false, 'failed', ['signature verification failed'], 'signature verification failed']);
    const pack = verifyPack(editManifest(signedPack, 'pack_manifest.json', forge), { key: PUB });
    assert.deepEqual([pack.ok, pack.signatureStatus, pack.signatureErrors, signatureWhy(pack)], [false, 'failed', ['signature verification failed'], 'signature verification failed']);
  });

  it('required but unsigned: `manifest has no signatures` in both', () => {
    for (const r of [verifyRunpack(unsignedRunpack, { requireSignature: true }), verifyPack(unsignedPack, { requireSignature: true })]) {
      assert.deepEqual([r.ok, r.signatureStatus, r.signatureErrors, signatureWhy(r)], [false, 'missing', ['manifest has no signatures'], 'manifest has no signatures']);
    }
  });

  it('the right key verifies both', () => {
    assert.deepEqual([verifyRunpack(signedRunpack, { key: PUB, requireSignature: true }).signatureStatus, verifyPack(signedPack, { key: PUB }).signatureStatus], ['verified', 'verified']);
  });
});

describe('declared files: runpack and pack agree', () => {
  const absent = { path: 'extra.bin', sha256: 'ab'.repeat(32) };

  it('a file declared twice and absent is missing once per declaring entry (§2.8 step 3, §3.6 step 5)', () => {
    const run = verifyRunpack(editManifest(unsignedRunpack, 'manifest.json', (m) => m['files'].push(absent, absent)));
    assert.deepEqual([run.ok, run.missingFiles, run.checks.find((c) => c.name === 'declared_files')?.why], [false, ['extra.bin', 'extra.bin'], 'missing files: extra.bin, extra.bin']);
    const pack = verifyPack(editManifest(unsignedPack, 'pack_manifest.json', repackId((m) => m['contents'].push({ ...absent, type: 'blob' }, { ...absent, type: 'blob' }))));
    assert.deepEqual([pack.ok, pack.missingFiles, pack.checks.find((c) => c.name === 'declared_files')?.why], [false, ['extra.bin', 'extra.bin'], 'missing files: extra.bin, extra.bin']);
  });

  it('a changed file is a mismatch with the stored and the actual digest; an extra entry is undeclared', () => {
    const zip = openZip(unsignedRunpack);
    const changed = craftZip([...zip.entries.map((e) => ({ name: e.name, data: e.name === 'refs.json' ? Buffer.concat([zip.read(e.name), Buffer.from('\n')]) : zip.read(e.name) })), { name: 'extra.txt', data: 'x' }]);
    const run = verifyRunpack(changed);
    const refs = Buffer.concat([zip.read('refs.json'), Buffer.from('\n')]);
    assert.deepEqual(run.hashMismatches, [{ path: 'refs.json', expected: '3efeb53ba886c76ca6314f59cc44c7c0552783dadd88093efc7f004d73086194', actual: sha(refs) }]);
    assert.deepEqual(run.undeclaredFiles, ['extra.txt']);
    assert.deepEqual(
      run.checks.filter((c) => !c.ok).map((c) => [c.name, c.why]),
      [['file_hashes', 'hash mismatches: refs.json'], ['undeclared_files', 'undeclared files: extra.txt']],
    );
  });
});
