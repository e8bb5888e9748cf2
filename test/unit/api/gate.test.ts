/** The library's `gateEval`, `signTrace`, `verifyTrace` and key helpers (src/api). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  encodePublicKey,
  evaluate,
  fixedClock,
  gateEval,
  generateKeyPair,
  isGaitError,
  loadPolicy,
  parsePrivateKey,
  parsePublicKey,
  signTrace,
  verifyTrace,
} from '../../../src/index.js';
import { seededRandom, TEST_NOW } from '../../helpers/cli-io.js';

const VECTORS = join(process.cwd(), 'test/fixtures/vectors/gait-v1');
const POLICY = loadPolicy(readFileSync(join(VECTORS, 'integration/policy.yaml'), 'utf8'));
const INTENT = JSON.parse(readFileSync(join(VECTORS, 'integration/intent.json'), 'utf8')) as Record<string, unknown>;
const KEY = generateKeyPair(seededRandom('api-gate'));
const CLOCK = fixedClock(TEST_NOW);

describe('gateEval()', () => {
  it('reproduces the Gait v1 integration trace id and signs a verifiable trace', () => {
    const r = gateEval(POLICY, INTENT, { signingKey: KEY, clock: CLOCK, correlationId: 'cid-api' });
    assert.equal(r.verdict, 'block');
    assert.equal(r.traceId, '9a714d67a491c4bd98dd7983');
    assert.equal(r.trace['intent_digest'], '74d4a052fd27c63f110e0879f227215aed15a8e522946d38a2fb515374fbafa8');
    assert.equal(r.trace['correlation_id'], 'cid-api');
    assert.equal(r.trace['observed_at'], '2026-02-05T00:00:00Z');
    const report = verifyTrace(JSON.parse(JSON.stringify(r.trace)) as unknown, KEY);
    assert.deepEqual([report.ok, report.signatureStatus, report.traceId], [true, 'verified', '9a714d67a491c4bd98dd7983']);
  });

  it('adds approval_token_missing when the verdict is require_approval', () => {
    const policy = loadPolicy('default_verdict: require_approval\n');
    const r = gateEval(policy, INTENT, { signingKey: KEY, clock: CLOCK });
    assert.deepEqual([r.verdict, r.reasonCodes, r.violations], ['require_approval', ['approval_token_missing', 'default_require_approval'], ['approval_not_granted']]);
    assert.equal(r.requiredApprovals, 1);
  });

  it('presents allow under simulate while the trace keeps the real verdict (D8)', () => {
    const r = gateEval(POLICY, INTENT, { signingKey: KEY, clock: CLOCK, simulate: true });
    assert.equal(r.presented.verdict, 'allow');
    assert.deepEqual(r.presented.reasonCodes, ['blocked_external', 'simulate_mode_non_enforcing', 'simulated_block']);
    assert.equal(r.trace['verdict'], 'block');
    assert.equal(r.traceId, '9a714d67a491c4bd98dd7983');
  });

  it('throws input_intent for an intent it cannot normalize, so no trace claims a verdict', () => {
    assert.throws(() => gateEval(POLICY, { ...INTENT, context: {} }, { signingKey: KEY }), (err: unknown) => isGaitError(err, 'input_intent'));
  });
});

describe('signTrace()', () => {
  it('signs the trace of an evaluate() decision with the same trace id as gateEval', () => {
    const decision = evaluate(POLICY, INTENT, { evaluationTime: '2026-02-05T00:00:00Z' });
    const { traceId, trace } = signTrace(decision, { signingKey: KEY, clock: CLOCK });
    assert.equal(traceId, '9a714d67a491c4bd98dd7983');
    assert.equal(verifyTrace(trace, KEY).ok, true);
  });

  it('refuses a decision without a prepared intent', () => {
    const failClosed = loadPolicy('fail_closed:\n  enabled: true\n');
    const decision = evaluate(failClosed, { ...INTENT, tool_name: '' });
    assert.throws(() => signTrace(decision, { signingKey: KEY }), (err: unknown) => isGaitError(err, 'input_intent'));
  });
});

describe('verifyTrace()', () => {
  const { trace } = gateEval(POLICY, INTENT, { signingKey: KEY, clock: CLOCK });

  it('fails a tampered verdict with signed_digest mismatch', () => {
    const report = verifyTrace({ ...trace, verdict: 'allow' }, KEY);
    assert.deepEqual([report.ok, report.error], [false, 'signed_digest mismatch']);
  });

  it('fails a member outside the schema (D6)', () => {
    const report = verifyTrace({ ...trace, reason_codes: ['x'] }, KEY);
    assert.equal(report.ok, false);
    assert.match(report.error, /^trace schema validation failed: /);
  });

  it('fails with another key: key id mismatch', () => {
    assert.equal(verifyTrace(trace, generateKeyPair(seededRandom('other'))).error, 'key id mismatch');
  });
});

describe('key helpers', () => {
  it('derive the Gait v1 key id (V4) from the committed public key', () => {
    const pub = parsePublicKey(readFileSync(join(VECTORS, 'keys/approval_public.key'), 'utf8'));
    assert.equal(pub.keyId, '8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52');
    const priv = parsePrivateKey(readFileSync(join(VECTORS, 'keys/approval_private.key'), 'utf8'));
    assert.equal(priv.keyId, pub.keyId);
    assert.equal(encodePublicKey(priv), '2452IFcJJprSJUSaASiKpWRN4bzs7KbckliBk2cKGeg=\n');
  });

  it('reject a key of the wrong length', () => {
    assert.throws(() => parsePublicKey('AAAA'), (err: unknown) => isGaitError(err, 'sig_key_invalid') && err.message === 'invalid public key length: 3');
  });
});
