import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mintApprovalToken } from '../../../../src/artifacts/approval/mint.js';
import type { MintApprovalTokenInput } from '../../../../src/artifacts/approval/mint.js';
import { isGaitError } from '../../../../src/errors/error.js';
import { canonicalize } from '../../../../src/jcs/canonicalize.js';
import { parseDuration } from '../../../../src/runtime/duration.js';
import { parseTimestamp, ZERO_TIME } from '../../../../src/runtime/timestamp.js';
import type { JsonObject } from '../../../../src/schema/v1/json-types.js';
import { EXPIRED, expiredTokenFile, KEY_ID, POLICY_DIGEST, SIGNING_KEY, VALID, validTokenFile, vectorText } from './vectors.js';

/** The V5 valid token's inputs: created_at as given, ttl = expires_at − created_at = 3650 days. */
function v5Input(overrides: Partial<MintApprovalTokenInput> = {}): MintApprovalTokenInput {
  return {
    intentDigest: VALID.intentDigest,
    policyDigest: POLICY_DIGEST,
    ttlNanos: parseDuration('87600h'),
    scope: ['tool:tool.write'],
    approverIdentity: 'human.reviewer',
    reasonCode: 'MANUAL_APPROVAL',
    producerVersion: '0.0.0-dev',
    createdAt: parseTimestamp(VALID.createdAt),
    ...overrides,
  };
}

function withoutSignature(record: JsonObject): JsonObject {
  const { signature: _signature, ...rest } = record;
  return rest;
}

describe('mintApprovalToken: V5 reproduction with the V4 key (Ed25519 is deterministic)', () => {
  it('reproduces the valid token byte for byte', () => {
    const { token, record } = mintApprovalToken(v5Input(), SIGNING_KEY);
    assert.equal(token.tokenId, 'ec44f8948261811d131eb04a');
    assert.deepEqual(record['signature'], {
      alg: 'ed25519',
      key_id: KEY_ID,
      sig: 'FfgS+OlPSQOvVTCvc+0NZ+HKwlhJcHXxygZQiVyn1artAmKuqYnhlRBM3kC4FCW4/kkceUImKFLLjy+z9JN5BA==',
      signed_digest: 'd470f2e63450ca56d772bebbe269db46318f309181444bb2522bb262061079c0',
    });
    assert.equal(canonicalize(withoutSignature(record)), vectorText('approval-token-valid/approval-token.signed-payload.json'));
    assert.deepEqual(record, validTokenFile());
  });

  it('reproduces the expired token (ttl 1s)', () => {
    const { record } = mintApprovalToken(
      v5Input({ intentDigest: EXPIRED.intentDigest, createdAt: parseTimestamp(EXPIRED.createdAt), ttlNanos: parseDuration('1s') }),
      SIGNING_KEY,
    );
    assert.equal(record['token_id'], 'b68a3c0bd5a7af6eb3c47cea');
    assert.equal(record['expires_at'], '2026-02-24T12:42:59.274138Z');
    assert.deepEqual(record['signature'], {
      alg: 'ed25519',
      key_id: KEY_ID,
      sig: '33SvpGbmU/9+hk491sr4GtcJ7dFpQzBCAI3mWfbcuo2EQ4ry4/pIxtYNcBSZ7HOqDgBCM6QShjMZXBpmnBmFDg==',
      signed_digest: 'dd3578d12548120721acf756ea331656feaff48f2c33edb9f0fd47ef40462796',
    });
    assert.deepEqual(record, expiredTokenFile());
  });

  it('normalizes its inputs to the same token: trims, lowercases digests, lowers the scope, UTC created_at', () => {
    const { record } = mintApprovalToken(
      v5Input({
        intentDigest: ` ${VALID.intentDigest.toUpperCase()}\n`,
        policyDigest: POLICY_DIGEST.toUpperCase(),
        delegationBindingDigest: ' ',
        approverIdentity: '  human.reviewer ',
        reasonCode: 'MANUAL_APPROVAL\u00a0',
        scope: ['TOOL:tool.write', ' tool:tool.write ', ''],
        producerVersion: ' ',
        createdAt: parseTimestamp('2026-02-24T13:42:58.228785+01:00'),
        maxTargets: 0,
        maxOps: 0,
      }),
      SIGNING_KEY,
    );
    assert.deepEqual(record, validTokenFile());
  });

  it('mints the optional members (binding, max_targets, max_ops) into the signed record', () => {
    const { record } = mintApprovalToken(
      v5Input({
        delegationBindingDigest: 'C'.repeat(64),
        scope: ['Tool:tool.write', 'phase:apply', 'destructive:apply'],
        maxTargets: 2,
        maxOps: 3,
        ttlNanos: parseDuration('1h'),
        producerVersion: '1.2.3',
      }),
      SIGNING_KEY,
    );
    // Cross-checked with Python (sorted-key compact JSON, hashlib, `cryptography` Ed25519).
    assert.deepEqual(record, {
      schema_id: 'gait.gate.approval_token',
      schema_version: '1.0.0',
      created_at: '2026-02-24T12:42:58.228785Z',
      producer_version: '1.2.3',
      token_id: '8839d3527e422d195b06243f',
      approver_identity: 'human.reviewer',
      reason_code: 'MANUAL_APPROVAL',
      intent_digest: VALID.intentDigest,
      policy_digest: POLICY_DIGEST,
      delegation_binding_digest: 'c'.repeat(64),
      scope: ['destructive:apply', 'phase:apply', 'tool:tool.write'],
      max_targets: 2,
      max_ops: 3,
      expires_at: '2026-02-24T13:42:58.228785Z',
      signature: {
        alg: 'ed25519',
        key_id: KEY_ID,
        sig: 'JjF46HSj3/oGT4Y/gioPblN6axnBVLBYldwcJvvL1Co+yxNR7Oso8tT2W2TWUbHsYendgw/fNJYuDdV6/WNDAQ==',
        signed_digest: '785e7c3688db1435186673933f527f11e6f43fd8bb9c9bae9792121c1e309d75',
      },
    });
  });
});

describe('mintApprovalToken: §A9.3 checks', () => {
  for (const [name, overrides, message] of [
    ['a zero ttl', { ttlNanos: 0 }, 'ttl must be greater than 0'],
    ['a negative ttl', { ttlNanos: -1 }, 'ttl must be greater than 0'],
    ['a NaN ttl', { ttlNanos: Number.NaN }, 'ttl must be greater than 0'],
    ['a short intent digest', { intentDigest: 'abc' }, 'intent_digest must be sha256 hex'],
    ['a prefixed policy digest', { policyDigest: `sha256:${POLICY_DIGEST}` }, 'policy_digest must be sha256 hex'],
    ['a non-hex binding', { delegationBindingDigest: 'z'.repeat(64) }, 'delegation_binding_digest must be sha256 hex when set'],
    ['a blank approver', { approverIdentity: ' \t' }, 'approver identity is required'],
    ['an empty reason code', { reasonCode: '' }, 'reason code is required'],
    ['a scope of blanks', { scope: [' ', ''] }, 'scope must include at least one value'],
    ['no scope', { scope: [] }, 'scope must include at least one value'],
    ['negative max_targets', { maxTargets: -1 }, 'max_targets must be >= 0'],
    ['fractional max_ops', { maxOps: 1.5 }, 'max_ops must be >= 0'],
    ['an unset created_at', { createdAt: ZERO_TIME }, 'created_at is required'],
    ['a bad ttl and a bad digest (ttl first)', { ttlNanos: 0, intentDigest: 'x' }, 'ttl must be greater than 0'],
    ['a bad approver and an empty scope (approver first)', { approverIdentity: '', scope: [] }, 'approver identity is required'],
  ] as const) {
    it(`refuses ${name}: \`${message}\``, () => {
      assert.throws(
        () => mintApprovalToken(v5Input(overrides), SIGNING_KEY),
        (err: unknown) => isGaitError(err, 'input_usage') && err.message === message,
      );
    });
  }
});
