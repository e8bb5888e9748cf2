/** `buildJobPayload` / `buildJobPack` (artifacts.md §3.3 "job"): payload derivation and the verify job contract. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildJobPack } from '../../../../src/artifacts/pack/build.js';
import { buildJobPayload, isSafeJobId } from '../../../../src/artifacts/pack/job-payload.js';
import { verifyPack } from '../../../../src/artifacts/pack/verify.js';

const state = (o: Record<string, unknown>): Uint8Array => Buffer.from(JSON.stringify(o));

describe('job packs', () => {
  it('derives the payload: UTC created_at, counts from the arrays, omit-empty safety invariant', () => {
    assert.deepEqual(buildJobPayload({ job_id: 'j', status: 'paused', checkpoints: [{}, {}, {}], approvals: [], created_at: '2026-02-14T00:00:00-02:00' }), {
      schema_id: 'gait.pack.job', schema_version: '1.0.0', created_at: '2026-02-14T02:00:00Z', job_id: 'j', status: 'paused',
      stop_reason: '', status_reason_code: '', environment_fingerprint: '', checkpoint_count: 3, approval_count: 0,
    });
  });

  it('a built job pack satisfies the verify job contract; same input → same bytes', () => {
    const src = { state: state({ job_id: 'job_1', status: 'decision_needed', checkpoints: [{ checkpoint_id: 'c' }] }), events: Buffer.from('{"type":"x"}\n') };
    const a = buildJobPack(src, { producerVersion: '' });
    const b = buildJobPack(src, { producerVersion: '' });
    assert.deepEqual(Buffer.from(a.bytes), Buffer.from(b.bytes));
    assert.deepEqual([a.manifest.packType, a.manifest.sourceRef, a.manifest.producerVersion], ['job', 'job_1', '0.0.0-dev']);
    assert.equal(verifyPack(a.bytes).ok, true);
  });

  it('safe job ids', () => {
    assert.deepEqual(['job_1', 'a.b-c', '..', 'a..b', '.x', 'a/b', 'a\\b', ''].map(isSafeJobId), [true, true, false, false, false, false, false, false]);
  });
});
