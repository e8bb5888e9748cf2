/* eslint-disable @typescript-eslint/no-explicit-any -- the tests edit parsed JSON documents in place */
/**
 * The `regress init` source (artifacts.md §4.2 step 1): a runpack or a run pack's
 * `source/runpack.zip`, opened once, verified (§2.8) and read into evidence from the same entries.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { buildRunPack } from '../../../../src/artifacts/pack/build.js';
import { openSourceRunpack, verifySourceRunpack } from '../../../../src/artifacts/regress/source.js';
import { buildRunpackSync } from '../../../../src/artifacts/runpack/build.js';
import { parseRunpackInput } from '../../../../src/artifacts/runpack/input.js';
import { openZip } from '../../../../src/artifacts/zip/read.js';
import { generateSigningKey, verifyKeyOf } from '../../../../src/crypto/keys.js';
import { GaitError } from '../../../../src/errors/error.js';
import { fixedClock } from '../../../../src/runtime/clock.js';
import { seededRandom } from '../../../helpers/cli-io.js';
import { craftZip } from '../../../helpers/zip-craft.js';
import type { CraftEntry } from '../../../helpers/zip-craft.js';
import { v1Input, v3Input } from '../runpack/vectors.js';

const clock = fixedClock({ seconds: 0, nanos: 0, offsetMinutes: 0 });
const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');
const V1_MANIFEST_DIGEST = '5df30db691a7623bbad16c19ddda77f801ac9aad853a615ca6511c628f21f5d8';
const V3_MANIFEST_DIGEST = '145318df409e6cd34adc043ee5949a26d299007ce7e633d35a7db25cac092af7';

const v1 = buildRunpackSync(parseRunpackInput(v1Input()), { clock }).bytes;
const v3Runpack = (() => {
  const input = v3Input() as Record<string, any>;
  input.refs.context_evidence_mode = 'best_effort';
  return buildRunpackSync(parseRunpackInput(input), { clock }).bytes;
})();
const runPack = buildRunPack(v3Runpack, { producerVersion: '0.0.0-dev' }).bytes;

function entries(bytes: Uint8Array): CraftEntry[] {
  const zip = openZip(bytes);
  return zip.entries.map((e) => ({ name: e.name, data: zip.read(e.name) }));
}

function failedChecks(r: { checks: readonly { name: string; ok: boolean; why?: string }[] }): [string, string | undefined][] {
  return r.checks.filter((c) => !c.ok).map((c) => [c.name, c.why]);
}

describe('openSourceRunpack() + verifySourceRunpack()', () => {
  it('a runpack: verified, and its evidence read', () => {
    const source = openSourceRunpack(v1);
    assert.deepEqual([source.fromPack, source.bytes === v1, source.archive.ok], [false, true, true]);
    const { report, load } = verifySourceRunpack(source);
    assert.deepEqual([report.ok, report.runId, report.manifestDigest, report.filesChecked], [true, 'run_integration', V1_MANIFEST_DIGEST, 4]);
    assert.ok(load?.ok === true);
    assert.deepEqual([load.evidence.runId, load.evidence.manifestDigest, load.evidence.intents.map((i) => i.intentId), load.evidence.hashMismatches], ['run_integration', V1_MANIFEST_DIGEST, ['intent_1', 'intent_2'], 0]);
  });

  it('a run pack that verifies: its source/runpack.zip is the evidence', () => {
    const source = openSourceRunpack(runPack);
    assert.deepEqual([source.fromPack, sha(source.bytes)], [true, sha(openZip(runPack).read('source/runpack.zip'))]);
    const { report, load } = verifySourceRunpack(source);
    assert.deepEqual([report.ok, report.runId, report.manifestDigest], [true, 'run_tck', V3_MANIFEST_DIGEST]);
    assert.deepEqual(load?.ok === true ? [load.evidence.runId, load.evidence.refs.contextEvidenceMode] : load, ['run_tck', 'best_effort']);
  });

  it('a run pack with an undeclared entry is refused before its runpack is used', () => {
    const tampered = craftZip([...entries(runPack), { name: 'extra.txt', data: 'x' }]);
    assert.throws(
      () => openSourceRunpack(tampered),
      (err: unknown) =>
        err instanceof GaitError &&
        err.code === 'artifact_verification_failed' &&
        err.message === 'regress source pack does not verify: undeclared_files' &&
        JSON.stringify(err.details) === '{"failed_checks":["undeclared_files"]}',
    );
  });

  it('not a zip: the report stops at `zip`, no evidence', () => {
    const source = openSourceRunpack(Buffer.from('not a zip'));
    assert.equal(source.archive.ok, false);
    const { report, load } = verifySourceRunpack(source);
    assert.deepEqual([report.ok, failedChecks(report), load], [false, [['zip', 'zip archive is truncated or not a zip file: 9 bytes']], undefined]);
  });

  it('a runpack with a changed file: the report fails, no evidence', () => {
    const changed = craftZip(entries(v1).map((e) => (e.name === 'run.json' ? { ...e, data: Buffer.concat([e.data as Uint8Array, Buffer.from(' ')]) } : e)));
    const { report, load } = verifySourceRunpack(openSourceRunpack(changed));
    assert.deepEqual([report.ok, failedChecks(report), load], [false, [['file_hashes', 'hash mismatches: run.json']], undefined]);
  });

  it('signed with one key, checked with another: signature failed, no evidence', () => {
    const key = generateSigningKey(seededRandom('a'));
    const signed = buildRunpackSync(parseRunpackInput(v1Input()), { clock, signingKey: key }).bytes;
    const other = verifyKeyOf(generateSigningKey(seededRandom('b')));
    const { report, load } = verifySourceRunpack(openSourceRunpack(signed), { key: other });
    assert.deepEqual([report.ok, report.signatureStatus, failedChecks(report), load], [false, 'failed', [['signature', 'signature verification failed: key id mismatch']], undefined]);
    assert.equal(verifySourceRunpack(openSourceRunpack(signed), { key: verifyKeyOf(key) }).report.signatureStatus, 'verified');
  });

  it('files intact but a record that does not decode: the report passes, the evidence read fails', () => {
    const list = entries(v1);
    const manifest = JSON.parse(Buffer.from(list.find((e) => e.name === 'manifest.json')?.data as Uint8Array).toString('utf8')) as Record<string, any>;
    const badRun = '{"run_id":';
    for (const f of manifest['files']) if (f.path === 'run.json') f.sha256 = sha(badRun);
    manifest['manifest_digest'] = sha(canonicalize({ ...manifest, manifest_digest: '' }) as string);
    const rezipped = craftZip(list.map((e) => (e.name === 'run.json' ? { name: e.name, data: badRun } : e.name === 'manifest.json' ? { name: e.name, data: canonicalize(manifest) as string } : e)));
    const { report, load } = verifySourceRunpack(openSourceRunpack(rezipped));
    assert.equal(report.ok, true, JSON.stringify(report.checks));
    assert.deepEqual(load, { ok: false, reason: 'runpack_parse_error', error: 'run.json is not valid JSON' });
  });
});
