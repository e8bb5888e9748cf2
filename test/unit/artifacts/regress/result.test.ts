import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { buildRegressResult, formatRegressResult, regressNextCommand, resultCreatedAt, signRegressResult, topFailureReason } from '../../../../src/artifacts/regress/result.js';
import type { GraderResult } from '../../../../src/artifacts/regress/types.js';
import { signingKeyFromSeed } from '../../../../src/crypto/keys.js';

const PASS: GraderResult = { name: 'a/schema_validation', fixture: 'a', grader: 'schema_validation', status: 'pass', reasonCodes: [], details: { fixture: 'a', run_id: 'r' } };
const FAIL: GraderResult = {
  name: 'a/gate_replay',
  fixture: 'a',
  grader: 'gate_replay',
  status: 'fail',
  reasonCodes: ['unexpected_reason_codes', 'unexpected_verdict'],
  details: { fixture: 'a', run_id: 'r' },
};
const CONTEXT: GraderResult = { ...PASS, name: 'a/context_conformance', grader: 'context_conformance', reasonCodes: ['context_conformance_pass'], contextConformance: 'none' };

describe('buildRegressResult() + formatRegressResult()', () => {
  it('writes the §4.4 record as 2-space JSON in member order', () => {
    const record = buildRegressResult({ createdAt: '2026-02-05T09:00:00+09:00', producerVersion: '0.1.0', fixtureSet: 'default', graders: [CONTEXT, FAIL] });
    assert.equal(
      formatRegressResult(record),
      `{
  "schema_id": "gait.regress.result",
  "schema_version": "1.0.0",
  "created_at": "2026-02-05T00:00:00Z",
  "producer_version": "0.1.0",
  "fixture_set": "default",
  "status": "fail",
  "graders": [
    {
      "name": "a/context_conformance",
      "status": "pass",
      "reason_codes": [
        "context_conformance_pass"
      ],
      "context_conformance": "none",
      "details": {
        "fixture": "a",
        "run_id": "r"
      }
    },
    {
      "name": "a/gate_replay",
      "status": "fail",
      "reason_codes": [
        "unexpected_reason_codes",
        "unexpected_verdict"
      ],
      "details": {
        "fixture": "a",
        "run_id": "r"
      }
    }
  ]
}
`,
    );
  });

  it('uses 1980-01-01T00:00:00Z when the run time is missing or unreadable', () => {
    assert.equal(resultCreatedAt(''), '1980-01-01T00:00:00Z');
    assert.equal(resultCreatedAt('garbage'), '1980-01-01T00:00:00Z');
    assert.equal(buildRegressResult({ createdAt: '', producerVersion: 'v', fixtureSet: 'x', graders: [PASS] })['status'], 'pass');
  });
});

describe('signRegressResult()', () => {
  it('adds a gate.md §A8 signature over the record without it, checked with the canonicalize oracle', () => {
    const key = signingKeyFromSeed(new Uint8Array(32).fill(7));
    const record = buildRegressResult({ createdAt: '', producerVersion: 'v', fixtureSet: 'x', graders: [PASS] });
    const signed = signRegressResult(record, key);
    const { signature, ...unsigned } = signed as Record<string, unknown>;
    assert.deepEqual(unsigned, record);
    const sig = signature as Record<string, string>;
    const digest = createHash('sha256').update(canonicalize(unsigned) ?? '').digest('hex');
    assert.equal(sig['signed_digest'], digest);
    assert.equal(sig['alg'], 'ed25519');
    assert.equal(sig['key_id'], key.keyId);
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(key.publicRaw)]);
    const pub = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    assert.equal(verify(null, Buffer.from(digest, 'hex'), pub, Buffer.from(sig['sig'] ?? '', 'base64')), true);
    // re-signing replaces, never nests
    assert.deepEqual(Object.keys(signRegressResult(signed, key)), Object.keys(signed));
  });
});

describe('topFailureReason() / regressNextCommand()', () => {
  it('is the first reason of the first failing grader, grader_failed without reasons, empty when passing', () => {
    assert.equal(topFailureReason([PASS, FAIL]), 'unexpected_reason_codes');
    assert.equal(topFailureReason([{ ...FAIL, reasonCodes: [] }]), 'grader_failed');
    assert.equal(topFailureReason([PASS]), '');
  });

  it('leaves out the default config path', () => {
    assert.equal(regressNextCommand('gait.yaml'), 'gait regress run --json');
    assert.equal(regressNextCommand('ci/gait.yaml'), 'gait regress run --config ci/gait.yaml --json');
  });
});
