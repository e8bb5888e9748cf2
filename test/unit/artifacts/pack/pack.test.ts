/* eslint-disable @typescript-eslint/no-explicit-any -- the tests edit parsed JSON documents in place */
/**
 * PackSpec v1 packs (artifacts.md §3): the P1 vector, determinism and the §3.8 test-kit behaviours
 * that need no CLI (the CLI ones are in test/e2e/pack-*.test.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import yazl from 'yazl';
import { buildPack, buildRunPack } from '../../../../src/artifacts/pack/build.js';
import { diffPacks } from '../../../../src/artifacts/pack/diff.js';
import { inspectPack } from '../../../../src/artifacts/pack/inspect.js';
import { openPack } from '../../../../src/artifacts/pack/open.js';
import { verifyPack } from '../../../../src/artifacts/pack/verify.js';
import type { PackVerifyReport } from '../../../../src/artifacts/pack/verify.js';
import { buildRunpackSync } from '../../../../src/artifacts/runpack/build.js';
import { parseRunpackInput } from '../../../../src/artifacts/runpack/input.js';
import { openZip } from '../../../../src/artifacts/zip/read.js';
import { generateSigningKey, parsePrivateKeyText, verifyKeyOf } from '../../../../src/crypto/keys.js';
import { GaitError } from '../../../../src/errors/error.js';
import { fixedClock } from '../../../../src/runtime/clock.js';
import { seededRandom } from '../../../helpers/cli-io.js';
import { craftZip } from '../../../helpers/zip-craft.js';
import type { CraftEntry } from '../../../helpers/zip-craft.js';
import { v3Input } from '../runpack/vectors.js';

const clock = fixedClock({ seconds: 0, nanos: 0, offsetMinutes: 0 });
const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');
const KEY = parsePrivateKeyText(readFileSync(join(process.cwd(), 'test/fixtures/vectors/gait-v1/keys/approval_private.key'), 'utf8'));

/** The V3 runpack as `gait run record` writes it (evidence mode best_effort added by the CLI). */
function v3Runpack(): Uint8Array {
  const input = v3Input() as Record<string, any>;
  input.refs.context_evidence_mode = 'best_effort';
  return buildRunpackSync(parseRunpackInput(input), { clock }).bytes;
}

const runpack = v3Runpack();
const runPack = buildRunPack(runpack, { producerVersion: '0.0.0-dev' });

function entries(bytes: Uint8Array): CraftEntry[] {
  const zip = openZip(bytes);
  return zip.entries.map((e) => ({ name: e.name, data: zip.read(e.name) }));
}

function entryText(bytes: Uint8Array, name: string): string {
  return Buffer.from(openZip(bytes).read(name)).toString('utf8');
}

function failed(r: PackVerifyReport): string[] {
  return r.checks.filter((c) => !c.ok).map((c) => c.name);
}

/** Re-zips a pack's entries with a changed manifest, recomputing pack_id with the JCS oracle. */
function withManifest(bytes: Uint8Array, edit: (m: Record<string, any>) => void, others: (e: CraftEntry[]) => CraftEntry[] = (e) => e): Uint8Array {
  const list = others(entries(bytes).filter((e) => e.name !== 'pack_manifest.json'));
  const m = JSON.parse(entryText(bytes, 'pack_manifest.json')) as Record<string, any>;
  edit(m);
  delete m['signatures'];
  m['contents'] = list.map((e) => ({ path: e.name, sha256: sha(e.data as Uint8Array), type: e.name.endsWith('.json') ? 'json' : e.name.endsWith('.jsonl') ? 'jsonl' : e.name.endsWith('.zip') ? 'zip' : 'blob' }));
  m['pack_id'] = '';
  m['pack_id'] = sha(canonicalize(m) ?? '');
  return craftZip([...list, { name: 'pack_manifest.json', data: canonicalize(m) ?? '' }]);
}

describe('P1: run pack of the V3 runpack (§3.8)', () => {
  const bytes = runPack.bytes;

  it('context_envelope.json: 622 bytes, sha256 303fa92a…, context_set_digest bf5735ae…', () => {
    const env = openZip(bytes).read('context_envelope.json');
    assert.equal(env.length, 622);
    assert.equal(sha(env), '303fa92aa09ae2da0a20750e6aad7b9e9496a1627cf6e50aa7f739b56868bdd7');
    assert.equal((JSON.parse(Buffer.from(env).toString()) as { context_set_digest: string }).context_set_digest, 'bf5735ae784771a37e4b5d3abe650fc128e3b099b7073ed3081b9c77402fecf3');
  });

  it('run_payload.json: 366 bytes, sha256 8781ec2a…', () => {
    const payload = openZip(bytes).read('run_payload.json');
    assert.equal(payload.length, 366);
    assert.equal(sha(payload), '8781ec2a0a3ae50471307fb1badd2c07b532381de527c26394d515ef466ec548');
  });

  it('proof records 1 and 2: ids and hashes; no trailing newline', () => {
    const text = entryText(bytes, 'proof_records.jsonl');
    assert.equal(text.endsWith('\n'), false);
    const records = text.split('\n').map((l) => JSON.parse(l) as { record_id: string; integrity: Record<string, string>; event: Record<string, unknown> });
    assert.equal(records.length, 3);
    assert.deepEqual(records.map((r) => r.event['entry_path']), ['context_envelope.json', 'run_payload.json', 'source/runpack.zip']);
    assert.equal(records[0]?.record_id, 'prf-1980-01-01T00:00:00Z-fe934eb4');
    assert.deepEqual(records[0]?.integrity, { record_hash: 'sha256:9619ee303ee25dc80f7ccd60d20d5cd8b7f286ab4a77302c7a76d0dff17e0ea9' });
    assert.equal(records[1]?.record_id, 'prf-1980-01-01T00:00:00Z-3d8b4b27');
    assert.equal(records[1]?.integrity['record_hash'], 'sha256:7a21b92137abb975f532c69830dd6f1ff1288cc41d913fc453d9c5f77a6bcb9a');
    assert.equal(records[1]?.integrity['previous_record_hash'], records[0]?.integrity['record_hash']);
    assert.equal(records[0]?.event['entry_permissions'], 420);
  });

  it('the manifest: 1980 created_at, contents sorted with types, pack_id = DigestJCS(manifest with pack_id "")', () => {
    const m = JSON.parse(entryText(bytes, 'pack_manifest.json')) as Record<string, any>;
    assert.equal(m['created_at'], '1980-01-01T00:00:00Z');
    assert.deepEqual(m['contents'].map((c: any) => [c.path, c.type]), [
      ['context_envelope.json', 'json'],
      ['proof_records.jsonl', 'jsonl'],
      ['run_payload.json', 'json'],
      ['source/runpack.zip', 'zip'],
    ]);
    const id = m['pack_id'];
    assert.equal(sha(canonicalize({ ...m, pack_id: '' }) ?? ''), id);
    assert.equal(runPack.packId, id);
  });

  it('#11: building twice gives identical bytes and pack_id', () => {
    const again = buildRunPack(v3Runpack(), { producerVersion: '0.0.0-dev' });
    assert.equal(sha(again.bytes), sha(bytes));
    assert.equal(again.packId, runPack.packId);
  });

  it('source/runpack.zip is the runpack re-written deterministically (same entry bytes)', () => {
    const inner = openZip(bytes).read('source/runpack.zip');
    assert.deepEqual(entries(inner).map((e) => [e.name, sha(e.data as Uint8Array)]), entries(runpack).map((e) => [e.name, sha(e.data as Uint8Array)]));
  });
});

describe('verifyPack()', () => {
  it('#1: a built run pack verifies (proof records, embedded runpack, type contract)', () => {
    const r = verifyPack(runPack.bytes);
    assert.equal(r.ok, true, JSON.stringify(r.checks));
    assert.deepEqual([r.packType, r.sourceRef, r.filesChecked, r.proofRecordsVerified, r.signatureStatus], ['run', 'run_tck', 4, 3, 'missing']);
  });

  it('#2: signed with key A, verified with key B and a required signature → failed', () => {
    const signed = buildRunPack(runpack, { producerVersion: '0.0.0-dev', signingKey: KEY });
    assert.equal(verifyPack(signed.bytes, { key: verifyKeyOf(KEY), requireSignature: true }).ok, true);
    const other = verifyKeyOf(generateSigningKey(seededRandom('b')));
    const r = verifyPack(signed.bytes, { key: other, requireSignature: true });
    assert.deepEqual([r.ok, r.signatureStatus, failed(r)], [false, 'failed', ['signature']]);
    assert.ok(r.signatureErrors.includes('signature verification failed'));
    assert.ok(r.signatureErrors.some((e) => e.startsWith('proof record 1 signature verification failed')));
  });

  it('#4: a bare runpack verifies as legacy_type runpack', () => {
    const r = verifyPack(runpack);
    assert.deepEqual([r.ok, r.legacyType, r.packType, r.packId], [true, 'runpack', 'run', '145318df409e6cd34adc043ee5949a26d299007ce7e633d35a7db25cac092af7']);
  });

  it('re-zipped by another writer (yazl), unchanged: still verifies', async () => {
    const zip = new yazl.ZipFile();
    for (const e of entries(runPack.bytes)) zip.addBuffer(Buffer.from(e.data as Uint8Array), e.name, { mtime: new Date(1980, 0, 1), compress: true });
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream) chunks.push(c as Buffer);
    assert.equal(verifyPack(new Uint8Array(Buffer.concat(chunks))).ok, true);
  });

  it('#6: a tampered hash (run_payload.json + "\\n") fails with a hash mismatch', () => {
    const bytes = craftZip(entries(runPack.bytes).map((e) => (e.name === 'run_payload.json' ? { ...e, data: Buffer.concat([Buffer.from(e.data as Uint8Array), Buffer.from('\n')]) } : e)));
    const r = verifyPack(bytes);
    assert.deepEqual([r.ok, failed(r), r.hashMismatches.map((m) => m.path)], [false, ['file_hashes'], ['run_payload.json']]);
  });

  it('#7: an extra undeclared file fails', () => {
    const r = verifyPack(craftZip([...entries(runPack.bytes), { name: 'extra.txt', data: 'x' }]));
    assert.deepEqual([r.ok, failed(r), r.undeclaredFiles], [false, ['undeclared_files'], ['extra.txt']]);
  });

  it('#8: a schema-invalid manifest (schema_id gait.pack.invalid) fails', () => {
    const r = verifyPack(withManifest(runPack.bytes, (m) => (m['schema_id'] = 'gait.pack.invalid')));
    assert.deepEqual([r.ok, failed(r)], [false, ['manifest']]);
    assert.equal(r.error, 'invalid pack manifest: schema_id must be gait.pack.manifest, got `gait.pack.invalid`');
  });

  it('other schema-invalid manifests fail: unknown member, bad pack_type, empty source_ref, zero created_at, bad sha256', () => {
    const cases: [(m: Record<string, any>) => void, string][] = [
      [(m) => (m['note'] = 'x'), 'invalid pack manifest: unknown member note'],
      [(m) => (m['pack_type'] = 'invalid'), 'invalid pack manifest: pack_type must be run, job, call or authorization, got `invalid`'],
      [(m) => (m['source_ref'] = ''), 'invalid pack manifest: source_ref is required'],
      [(m) => (m['created_at'] = '0001-01-01T00:00:00Z'), 'invalid pack manifest: created_at is required'],
      [(m) => (m['producer_version'] = ''), 'invalid pack manifest: producer_version is required'],
    ];
    for (const [edit, message] of cases) {
      const r = verifyPack(withManifest(runPack.bytes, edit));
      assert.deepEqual([r.ok, failed(r), r.error], [false, ['manifest'], message]);
    }
    const badHash = craftZip(entries(runPack.bytes).map((e) => {
      if (e.name !== 'pack_manifest.json') return e;
      const m = JSON.parse(Buffer.from(e.data as Uint8Array).toString()) as Record<string, any>;
      m['contents'][0].sha256 = 'xyz';
      return { ...e, data: canonicalize(m) ?? '' };
    }));
    assert.equal(verifyPack(badHash).error, 'invalid pack manifest: contents[0].sha256 must be 64 hex characters');
  });

  it('a stored pack_id that does not match fails', () => {
    const bytes = craftZip(entries(runPack.bytes).map((e) => {
      if (e.name !== 'pack_manifest.json') return e;
      const m = JSON.parse(Buffer.from(e.data as Uint8Array).toString()) as Record<string, any>;
      m['source_ref'] = 'run_other';
      return { ...e, data: canonicalize(m) ?? '' };
    }));
    const r = verifyPack(bytes);
    assert.deepEqual([r.ok, failed(r)], [false, ['pack_id']]);
    assert.match(r.error, /^pack_id mismatch: expected=[0-9a-f]{64} actual=[0-9a-f]{64}$/);
  });

  it('#10: no proof_records.jsonl and a non-1980 created_at, otherwise valid → ok', () => {
    const bytes = withManifest(runPack.bytes, (m) => (m['created_at'] = '2026-02-14T00:00:00Z'), (e) => e.filter((x) => x.name !== 'proof_records.jsonl'));
    const r = verifyPack(bytes);
    assert.equal(r.ok, true, JSON.stringify(r.checks));
    assert.equal(r.proofRecordsVerified, undefined);
  });

  it('#12: an embedded runpack that fails verification fails the pack', () => {
    const inner = openZip(runPack.bytes).read('source/runpack.zip');
    const bad = craftZip([...entries(inner), { name: 'smuggled.sh', data: 'rm -rf /' }]);
    const bytes = withManifest(runPack.bytes, () => undefined, (e) => e.filter((x) => x.name !== 'proof_records.jsonl').map((x) => (x.name === 'source/runpack.zip' ? { ...x, data: bad } : x)));
    const r = verifyPack(bytes);
    assert.deepEqual([r.ok, failed(r)], [false, ['type_contract']]);
    assert.match(r.checks.find((c) => c.name === 'type_contract')?.why ?? '', /^embedded runpack failed verification: undeclared_files/);
  });

  it('a run payload whose manifest_digest differs from the embedded runpack fails', () => {
    const bytes = withManifest(runPack.bytes, () => undefined, (e) =>
      e.filter((x) => x.name !== 'proof_records.jsonl').map((x) => {
        if (x.name !== 'run_payload.json') return x;
        const p = JSON.parse(Buffer.from(x.data as Uint8Array).toString()) as Record<string, unknown>;
        return { ...x, data: canonicalize({ ...p, manifest_digest: 'f'.repeat(64) }) ?? '' };
      }),
    );
    assert.equal(verifyPack(bytes).checks.find((c) => c.name === 'type_contract')?.why, 'embedded runpack manifest_digest does not match run_payload.json');
  });

  it('a broken proof-record chain fails', () => {
    const bytes = withManifest(runPack.bytes, () => undefined, (e) =>
      e.map((x) => {
        if (x.name !== 'proof_records.jsonl') return x;
        const lines = Buffer.from(x.data as Uint8Array).toString().split('\n');
        return { ...x, data: [lines[1], lines[0], lines[2]].join('\n') };
      }),
    );
    const r = verifyPack(bytes);
    assert.deepEqual([r.ok, failed(r), r.checks.find((c) => c.name === 'proof_records')?.why], [false, ['proof_records'], 'proof record 1 breaks the hash chain']);
  });

  it('a zip that is neither a pack nor a runpack is invalid input', () => {
    assert.throws(() => verifyPack(craftZip([{ name: 'a.txt', data: 'x' }])), (err: unknown) => err instanceof GaitError && err.code === 'artifact_invalid' && err.message === 'missing pack_manifest.json');
  });
});

describe('job packs, inspect and diff', () => {
  const job = buildPack(
    {
      packType: 'job',
      sourceRef: 'job_demo',
      entries: [
        { path: 'job_payload.json', data: Buffer.from(canonicalize({ schema_id: 'gait.pack.job', schema_version: '1.0.0', created_at: '2026-02-14T00:00:00Z', job_id: 'job_demo', status: 'paused', stop_reason: '', status_reason_code: '', environment_fingerprint: '', checkpoint_count: 1, approval_count: 0 }) ?? '') },
        { path: 'job_state.json', data: Buffer.from('{"job_id":"job_demo","checkpoints":[{"checkpoint_id":"cp_1","type":"decision_needed","reason_code":"approval"}]}') },
        { path: 'job_events.jsonl', data: Buffer.from('{"type":"started"}\n{"type":"paused"}\n') },
      ],
    },
    { producerVersion: '0.0.0-dev' },
  );

  it('a job pack verifies its contract', () => {
    assert.equal(verifyPack(job.bytes).ok, true);
  });

  it('inspect shows the payload and lineage', () => {
    const view = inspectPack(openPack(job.bytes));
    assert.deepEqual(view.jobLineage, { event_count: 2, last_event_type: 'paused', checkpoint_refs: [{ checkpoint_id: 'cp_1', type: 'decision_needed', reason_code: 'approval' }] });
    assert.equal(view.payloads['job_payload']?.['job_id'], 'job_demo');
    const run = inspectPack(openPack(runPack.bytes));
    assert.deepEqual(run.runLineage, { timeline_events: 1, receipt_count: 1, intent_results: [{ intent_id: 'intent_1', tool_name: 'echo', status: 'ok' }] });
    const legacy = inspectPack(openPack(runpack));
    assert.deepEqual([legacy.legacyType, legacy.payloads['run_payload']?.['manifest_digest']], ['runpack', '145318df409e6cd34adc043ee5949a26d299007ce7e633d35a7db25cac092af7']);
  });

  it('#9: diff of a run pack and a job pack is deterministic and changed', () => {
    const a = diffPacks(openPack(runPack.bytes), openPack(job.bytes));
    const b = diffPacks(openPack(runPack.bytes), openPack(job.bytes));
    assert.deepEqual(a, b);
    assert.equal(a.summary.changed, true);
    assert.equal(a.summary.manifestDelta, true);
    assert.deepEqual(a.summary.addedFiles, ['job_events.jsonl', 'job_payload.json', 'job_state.json']);
    assert.equal(a.summary.contextDriftClassification, undefined);
    const same = diffPacks(openPack(runPack.bytes), openPack(runPack.bytes));
    assert.deepEqual([same.summary.changed, same.summary.contextChanged, same.summary.contextDriftClassification], [false, false, 'none']);
  });
});
