/** The library's approval API: mintApproval, verifyApproval, gateEval with tokens and a ledger (src/api). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createMemoryLedger,
  fixedClock,
  gateEval,
  generateKeyPair,
  isGaitError,
  loadPolicy,
  mintApproval,
  parsePrivateKey,
  parsePublicKey,
  verifyApproval,
} from '../../../src/index.js';
import { seededRandom, TEST_NOW } from '../../helpers/cli-io.js';

const V5 = join(process.cwd(), 'test/fixtures/vectors/gait-v1/approval-token-valid');
const KEYS = join(process.cwd(), 'test/fixtures/vectors/gait-v1/keys');
const POLICY = loadPolicy(readFileSync(join(V5, 'policy.yaml'), 'utf8'));
const INTENT = JSON.parse(readFileSync(join(V5, 'intent.json'), 'utf8')) as Record<string, unknown>;
const V5_TOKEN = JSON.parse(readFileSync(join(V5, 'approval-token.json'), 'utf8')) as Record<string, unknown>;
const V4_PUBLIC = parsePublicKey(readFileSync(join(KEYS, 'approval_public.key'), 'utf8'));
const V4_PRIVATE = parsePrivateKey(readFileSync(join(KEYS, 'approval_private.key'), 'utf8'));
const INTENT_DIGEST = '4b53bb79e35105ac9170963ac6f84ed0ed15530c68f06a46fc1233c5ec766913';
const POLICY_DIGEST = '07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9';
const CLOCK = fixedClock(TEST_NOW);

describe('verifyApproval()', () => {
  it('accepts the Gait v1 token (V5) for its intent and policy', () => {
    const r = verifyApproval(V5_TOKEN, V4_PUBLIC, { policy: POLICY, intent: INTENT, now: '2026-03-01T00:00:00Z' });
    assert.deepEqual([r.valid, r.errorCode, r.tokenId, r.approverIdentity], [true, '', 'ec44f8948261811d131eb04a', 'human.reviewer']);
  });

  it('reports the first failing binding', () => {
    const other = { ...INTENT, args: { path: '/tmp/elsewhere.txt' } };
    assert.equal(verifyApproval(V5_TOKEN, V4_PUBLIC, { policy: POLICY, intent: other }).errorCode, 'approval_token_intent_mismatch');
    assert.equal(verifyApproval(V5_TOKEN, V4_PUBLIC, { policy: POLICY, intent: INTENT, now: '2036-02-22T12:42:58.228785Z' }).errorCode, 'approval_token_expired');
  });

  it('without an intent checks format, signature and expiry only', () => {
    assert.equal(verifyApproval(V5_TOKEN, V4_PUBLIC).valid, true);
    assert.equal(verifyApproval(V5_TOKEN, generateKeyPair(seededRandom('x'))).errorCode, 'approval_token_signature_invalid');
    assert.equal(verifyApproval({ ...V5_TOKEN, reason_code: 'OTHER' }, V4_PUBLIC).errorCode, 'approval_token_signature_invalid');
    assert.equal(verifyApproval(V5_TOKEN, V4_PUBLIC, { now: '2036-02-22T12:42:58.228785Z' }).errorCode, 'approval_token_expired');
    assert.equal(verifyApproval({ schema_id: 'x' }, V4_PUBLIC).errorCode, 'approval_token_invalid');
  });
});

describe('mintApproval()', () => {
  it('reproduces the V5 token id, signed digest and signature with the V4 key', () => {
    const clock = fixedClock({ seconds: 1_771_936_978, nanos: 228_785_000, offsetMinutes: 0 });
    const { tokenId, token } = mintApproval(
      { intentDigest: INTENT_DIGEST, policyDigest: POLICY_DIGEST, ttl: 315_360_000, scope: ['tool:tool.write'], approver: 'human.reviewer', reasonCode: 'MANUAL_APPROVAL' },
      V4_PRIVATE,
      { clock, producerVersion: '0.0.0-dev' },
    );
    assert.equal(tokenId, 'ec44f8948261811d131eb04a');
    assert.equal(token['expires_at'], '2036-02-22T12:42:58.228785Z');
    const sig = token['signature'] as Record<string, unknown>;
    assert.equal(sig['signed_digest'], 'd470f2e63450ca56d772bebbe269db46318f309181444bb2522bb262061079c0');
    assert.equal(sig['sig'], 'FfgS+OlPSQOvVTCvc+0NZ+HKwlhJcHXxygZQiVyn1artAmKuqYnhlRBM3kC4FCW4/kkceUImKFLLjy+z9JN5BA==');
  });

  it('refuses a non-positive ttl and an empty scope', () => {
    const base = { intentDigest: INTENT_DIGEST, policyDigest: POLICY_DIGEST, scope: ['tool:x'], approver: 'a', reasonCode: 'r' };
    assert.throws(() => mintApproval({ ...base, ttl: 0 }, V4_PRIVATE), (e: unknown) => isGaitError(e, 'input_usage'));
    assert.throws(() => mintApproval({ ...base, ttl: '-1h' }, V4_PRIVATE), (e: unknown) => isGaitError(e, 'input_usage'));
    assert.throws(() => mintApproval({ ...base, ttl: '1h', scope: [' '] }, V4_PRIVATE), (e: unknown) => isGaitError(e, 'input_usage') && e.message === 'scope must include at least one value');
  });
});

describe('gateEval() with approvals', () => {
  it('allows once with a shared ledger, then reports the replay', () => {
    const ledger = createMemoryLedger();
    const approvals = { tokens: [V5_TOKEN], verifyKey: V4_PUBLIC, ledger };
    const first = gateEval(POLICY, INTENT, { signingKey: V4_PRIVATE, clock: CLOCK, approvals });
    assert.deepEqual([first.verdict, first.approvalRef, first.validApprovals], ['allow', 'ec44f8948261811d131eb04a', 1]);
    assert.equal(first.approvalAudit?.['approved'], true);
    assert.equal(ledger.list().length, 1);
    const second = gateEval(POLICY, INTENT, { signingKey: V4_PRIVATE, clock: CLOCK, approvals });
    assert.equal(second.verdict, 'require_approval');
    assert.deepEqual(second.reasonCodes, ['approval_chain_insufficient', 'approval_token_replayed', 'default_require_approval']);
  });

  it('stays at require_approval without a ledger (approval_ledger_unavailable)', () => {
    const r = gateEval(POLICY, INTENT, { signingKey: V4_PRIVATE, clock: CLOCK, approvals: { tokens: [V5_TOKEN], verifyKey: V4_PUBLIC } });
    assert.deepEqual([r.verdict, r.reasonCodes], ['require_approval', ['approval_chain_insufficient', 'approval_ledger_unavailable', 'default_require_approval']]);
  });

  it('verifies tokens with the signing key by default', () => {
    const r = gateEval(POLICY, INTENT, { signingKey: V4_PRIVATE, clock: CLOCK, approvals: { tokens: [V5_TOKEN], ledger: createMemoryLedger() } });
    assert.equal(r.verdict, 'allow');
  });
});
