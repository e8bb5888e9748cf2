import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CandidateLoad, EvidenceDiff } from '../../../../src/artifacts/regress/candidate.js';
import { changedFiles, contextGraderApplies, gradeContextConformance, gradeDiff } from '../../../../src/artifacts/regress/graders-context.js';
import type { Fixture } from '../../../../src/artifacts/regress/types.js';
import { evidence, loaded } from './helpers.js';

const DIGEST = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const FIXTURE: Fixture = { name: 'f', runId: 'r', runpack: 'runpack.zip', intents: 'intents.jsonl', expectedDecisions: [], expectedReplayExitCode: 0 };
const NO_DIFF: EvidenceDiff = { manifestChanged: false, filesChanged: [], intentsChanged: false, resultsChanged: false, refsChanged: false, contextDriftClassification: 'none' };

function candidate(diff: Partial<EvidenceDiff>, digest = DIGEST): CandidateLoad {
  const refs = { schemaId: 'gait.runpack.refs', schemaVersion: '1.0.0', contextSetDigest: digest, contextEvidenceMode: 'required', receiptCount: 1 };
  return { state: 'ok', evidence: evidence({ refs }), diff: { ok: true, value: { ...NO_DIFF, ...diff } } };
}

describe('gradeDiff()', () => {
  const f = { ...FIXTURE, candidateRunpack: 'candidate.zip' };
  it('passes with no changes or only allowed ones', () => {
    assert.equal(gradeDiff(f, candidate({})).status, 'pass');
    const allowed = { ...f, diffAllowChangedFiles: ['results.jsonl', 'manifest.json'] };
    assert.equal(gradeDiff(allowed, candidate({ resultsChanged: true, manifestChanged: true })).status, 'pass');
  });

  it('fails unexpected_diff naming the files', () => {
    const g = gradeDiff({ ...f, diffAllowChangedFiles: ['results.jsonl'] }, candidate({ resultsChanged: true, intentsChanged: true, filesChanged: ['extra.json'] }));
    assert.deepEqual(g.reasonCodes, ['unexpected_diff']);
    assert.deepEqual(g.details['unexpected_files'], ['extra.json', 'intents.jsonl']);
  });

  it('maps candidate problems to their reasons', () => {
    assert.deepEqual(gradeDiff(f, { state: 'invalid_path', error: 'x' }).reasonCodes, ['candidate_path_invalid']);
    assert.deepEqual(gradeDiff(f, { state: 'invalid', error: 'x' }).reasonCodes, ['candidate_runpack_invalid']);
    assert.deepEqual(gradeDiff(f, { state: 'ok', evidence: evidence(), diff: { ok: false, error: 'boom' } }).reasonCodes, ['diff_error']);
  });
});

describe('changedFiles()', () => {
  it('adds the entry behind each changed flag, sorted', () => {
    assert.deepEqual(changedFiles({ manifestChanged: true, filesChanged: ['z.json'], intentsChanged: true, resultsChanged: true, refsChanged: true, contextDriftClassification: 'semantic' }), [
      'intents.jsonl',
      'manifest.json',
      'refs.json',
      'results.jsonl',
      'z.json',
    ]);
  });
});

describe('gradeContextConformance()', () => {
  const off = { enforce: false, allowRuntimeDrift: false };
  const on = { enforce: true, allowRuntimeDrift: false };
  const self = loaded(evidence({ refs: { schemaId: 'gait.runpack.refs', schemaVersion: '1.0.0', contextSetDigest: DIGEST, contextEvidenceMode: 'required', receiptCount: 1 } }));
  const bare = loaded(evidence());

  it('applies only when asked', () => {
    assert.equal(contextGraderApplies(FIXTURE, off), false);
    assert.equal(contextGraderApplies(FIXTURE, on), true);
    assert.equal(contextGraderApplies({ ...FIXTURE, contextConformance: 'none' }, off), true);
    assert.equal(contextGraderApplies({ ...FIXTURE, allowContextRuntimeDrift: true }, off), true);
  });

  it('walks the §4.3 decision list', () => {
    const g = (f: Fixture, rp = self, c: CandidateLoad = { state: 'absent' }, o = off): [string, readonly string[], string | undefined] => {
      const r = gradeContextConformance(f, rp, c, o);
      return [r.status, r.reasonCodes, r.contextConformance];
    };
    assert.deepEqual(g({ ...FIXTURE, contextConformance: 'none' }), ['pass', ['context_conformance_not_required'], 'none']);
    assert.deepEqual(g({ ...FIXTURE, expectedContextSetDigest: DIGEST }), ['pass', ['context_conformance_pass'], 'none']);
    assert.deepEqual(g({ ...FIXTURE, expectedContextSetDigest: OTHER }), ['fail', ['context_set_digest_mismatch'], 'semantic']);
    assert.deepEqual(g({ ...FIXTURE, contextConformance: 'required' }, bare), ['fail', ['context_evidence_missing'], 'missing']);
    const f = { ...FIXTURE, candidateRunpack: 'c.zip', contextConformance: 'required' as const };
    assert.deepEqual(g(f, self, candidate({ contextDriftClassification: 'semantic' })), ['fail', ['context_semantic_drift'], 'semantic']);
    assert.deepEqual(g(f, self, candidate({ contextDriftClassification: 'runtime_only' }, OTHER)), ['fail', ['context_runtime_drift_blocked'], 'runtime_only']);
    assert.deepEqual(g(f, self, candidate({ contextDriftClassification: 'runtime_only' }, OTHER), { enforce: false, allowRuntimeDrift: true }), [
      'pass',
      ['context_conformance_pass'],
      'runtime_only',
    ]);
    assert.deepEqual(g({ ...f, expectedContextSetDigest: DIGEST, allowContextRuntimeDrift: true }, self, candidate({ contextDriftClassification: 'runtime_only' }, OTHER)), [
      'pass',
      ['context_conformance_pass'],
      'runtime_only',
    ]);
    assert.deepEqual(g(f, self, { state: 'invalid', error: 'bad zip' }), ['fail', ['context_evidence_missing'], 'missing']);
  });
});
