import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalizeApprovalToken, toApprovalTokenRecord } from '../../../../src/artifacts/approval/token.js';
import type { ApprovalExpectation } from '../../../../src/artifacts/approval/types.js';
import {
  checkApprovalToken,
  expectedApprovalBindings,
  verifyApprovalTokenSignature,
} from '../../../../src/artifacts/approval/verify-token.js';
import { signRecord } from '../../../../src/crypto/envelope.js';
import { signingKeyFromSeed, verifyKeyOf } from '../../../../src/crypto/keys.js';
import type { VerifyKey } from '../../../../src/crypto/keys.js';
import { canonicalize } from '../../../../src/jcs/canonicalize.js';
import { parsePolicyYaml } from '../../../../src/policy/parse.js';
import { policyDigest } from '../../../../src/policy/digest.js';
import { parseTimestamp } from '../../../../src/runtime/timestamp.js';
import { intentDigest } from '../../../../src/schema/v1/intent-digest.js';
import { normalizeIntent, prepareIntent } from '../../../../src/schema/v1/intent.js';
import type { JsonObject } from '../../../../src/schema/v1/json-types.js';
import {
  EXPIRED,
  expiredTokenFile,
  KEY_ID,
  POLICY_DIGEST,
  SIGNING_KEY,
  v5Intent,
  VALID,
  validTokenFile,
  VERIFY_KEY,
  vectorText,
} from './vectors.js';

const OTHER_KEY = verifyKeyOf(signingKeyFromSeed(new Uint8Array(32).fill(7)));
const NOW = parseTimestamp('2026-02-24T13:00:00Z');

function expectationFor(raw: Record<string, unknown>): ApprovalExpectation {
  const prepared = prepareIntent(normalizeIntent(raw));
  const policy = parsePolicyYaml(vectorText('approval-token-valid/policy.yaml'));
  return expectedApprovalBindings(prepared, policyDigest(policy), intentDigest(prepared));
}

const EXPECTED = expectationFor(v5Intent());

/** `raw` with its signature replaced by a fresh V4 signature over its normalized form. */
function resign(raw: Record<string, unknown>): Record<string, unknown> {
  const normalized = normalizeApprovalToken(raw);
  if (!normalized.ok) assert.fail(normalized.detail);
  const { signature: _signature, ...payload } = toApprovalTokenRecord(normalized.token);
  return { ...raw, signature: { ...signRecord(payload, SIGNING_KEY) } };
}

function edited(members: Record<string, unknown>): Record<string, unknown> {
  return resign({ ...validTokenFile(), ...members });
}

describe('checkApprovalToken: the V5 vectors', () => {
  it('builds the expectation from the V5 intent and policy V1', () => {
    assert.deepEqual(EXPECTED, {
      intentDigest: '4b53bb79e35105ac9170963ac6f84ed0ed15530c68f06a46fc1233c5ec766913',
      policyDigest: '07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9',
      delegationBinding: '',
      requiredScope: ['tool:tool.write'],
      targetCount: 1,
      opCount: 1,
    });
  });

  it('accepts the valid token at 2026-02-24T13:00:00Z', () => {
    const { token, ...entry } = checkApprovalToken(validTokenFile(), EXPECTED, VERIFY_KEY, NOW);
    assert.deepEqual(entry, {
      tokenId: 'ec44f8948261811d131eb04a',
      approverIdentity: 'human.reviewer',
      reasonCode: 'MANUAL_APPROVAL',
      scope: ['tool:tool.write'],
      expiresAt: parseTimestamp('2036-02-22T12:42:58.228785Z'),
      valid: true,
      errorCode: '',
      detail: '',
    });
    assert.equal(token?.tokenId, VALID.tokenId);
  });

  it('is expired exactly at expires_at, valid one nanosecond before', () => {
    const at = checkApprovalToken(validTokenFile(), EXPECTED, VERIFY_KEY, parseTimestamp('2036-02-22T12:42:58.228785Z'));
    assert.equal(at.valid, false);
    assert.equal(at.errorCode, 'approval_token_expired');
    const before = checkApprovalToken(validTokenFile(), EXPECTED, VERIFY_KEY, parseTimestamp('2036-02-22T12:42:58.228784999Z'));
    assert.equal(before.valid, true);
  });

  it('verifies the spec-reconstructed expired token with the V4 key and reports it expired', () => {
    assert.equal(verifyApprovalTokenSignature(expiredTokenFile(), VERIFY_KEY), true);
    const expected = expectationFor(v5Intent('/tmp/approve-expired.txt'));
    assert.equal(expected.intentDigest, '5560b84bd90ae0b84079bd0125a27d74750fb25f55a62a12a6b718eaca3dca51');
    const entry = checkApprovalToken(expiredTokenFile(), expected, VERIFY_KEY, NOW);
    assert.equal(entry.errorCode, 'approval_token_expired');
    assert.equal(entry.tokenId, EXPIRED.tokenId);
    assert.equal(checkApprovalToken(expiredTokenFile(), expected, VERIFY_KEY, parseTimestamp('2026-02-24T12:42:59Z')).valid, true);
  });

  it('verifies a token whose timestamps carry offsets, re-rendered with those offsets', () => {
    // Signed digest and sig computed with Python over the canonical form that keeps `+01:00` / `-05:00`.
    const raw = {
      ...validTokenFile(),
      created_at: '2026-02-24T13:42:58.2287850+01:00',
      expires_at: '2036-02-22T07:42:58.228785-05:00',
      signature: {
        alg: 'ed25519',
        key_id: KEY_ID,
        sig: 'TKRcpiBl6MSaQmEknHVelQ00HbLLCAEBuVW5bMKFRD3veNta4VvLA2HwQEF2Q2AbMwTzKOp0VBRa7seqjuyhDw==',
        signed_digest: 'd875c3fcd585c8ba096358827eb0a61b8d3f49b120ae98abfe6572a2142b2062',
      },
    };
    const entry = checkApprovalToken(raw, EXPECTED, VERIFY_KEY, NOW);
    assert.equal(entry.valid, true, entry.detail);
    assert.deepEqual(entry.expiresAt, parseTimestamp('2036-02-22T12:42:58.228785Z'));
  });
});

describe('checkApprovalToken: one failure per §A9.5 step, first failure wins', () => {
  /** `key` null: no verify key configured (a default parameter would replace an explicit undefined). */
  function codeOf(raw: unknown, expected: ApprovalExpectation = EXPECTED, key: VerifyKey | null = VERIFY_KEY): string {
    return checkApprovalToken(raw, expected, key ?? undefined, NOW).errorCode;
  }

  it('1: approval_token_invalid for a token that does not normalize', () => {
    const entry = checkApprovalToken({ ...validTokenFile(), scope: [] }, EXPECTED, VERIFY_KEY, NOW);
    assert.deepEqual(
      { valid: entry.valid, errorCode: entry.errorCode, detail: entry.detail, tokenId: entry.tokenId, hasToken: 'token' in entry },
      { valid: false, errorCode: 'approval_token_invalid', detail: 'scope is required', tokenId: VALID.tokenId, hasToken: false },
    );
    assert.equal(codeOf({ ...validTokenFile(), max_ops: '2' }), 'approval_token_invalid');
    assert.equal(codeOf('not a token', EXPECTED, null), 'approval_token_invalid');
  });

  it('2: approval_token_signature_invalid without a verify key, even when the signature is missing', () => {
    const entry = checkApprovalToken(validTokenFile(), EXPECTED, undefined, NOW);
    assert.equal(entry.errorCode, 'approval_token_signature_invalid');
    assert.equal(entry.detail, 'verification public key is required');
    const { signature: _signature, ...unsigned } = validTokenFile();
    assert.equal(codeOf(unsigned, EXPECTED, null), 'approval_token_signature_invalid');
  });

  it('2: approval_token_signature_missing without a signature (absent or null)', () => {
    const { signature: _signature, ...unsigned } = validTokenFile();
    assert.equal(codeOf(unsigned), 'approval_token_signature_missing');
    assert.equal(codeOf({ ...validTokenFile(), signature: null }), 'approval_token_signature_missing');
  });

  for (const [name, raw, key, detail] of [
    ['a tampered reason_code', { ...validTokenFile(), reason_code: 'MANUAL_APPROVAl' }, VERIFY_KEY, 'signed_digest mismatch'],
    ['another key', validTokenFile(), OTHER_KEY, 'key id mismatch'],
    [
      'another key and an empty key_id',
      { ...validTokenFile(), signature: { alg: 'ed25519', key_id: '', sig: VALID.sig, signed_digest: VALID.signedDigest } },
      OTHER_KEY,
      'signature verification failed',
    ],
    [
      'a flipped signature bit',
      {
        ...validTokenFile(),
        signature: { alg: 'ed25519', key_id: KEY_ID, sig: `G${VALID.sig.slice(1)}`, signed_digest: VALID.signedDigest },
      },
      VERIFY_KEY,
      'signature verification failed',
    ],
    [
      'an unsupported alg',
      { ...validTokenFile(), signature: { alg: 'rsa', key_id: KEY_ID, sig: VALID.sig, signed_digest: VALID.signedDigest } },
      VERIFY_KEY,
      'unsupported alg: rsa',
    ],
    ['an empty envelope', { ...validTokenFile(), signature: {} }, VERIFY_KEY, 'missing signed_digest'],
  ] as const) {
    it(`3: approval_token_signature_invalid for ${name} (\`${detail}\`)`, () => {
      const entry = checkApprovalToken(raw, EXPECTED, key, NOW);
      assert.equal(entry.errorCode, 'approval_token_signature_invalid');
      assert.equal(entry.detail, detail);
    });
  }

  it('4: approval_token_intent_mismatch', () => {
    assert.equal(codeOf(edited({ intent_digest: 'a'.repeat(64) })), 'approval_token_intent_mismatch');
  });

  it('5: approval_token_policy_mismatch', () => {
    assert.equal(codeOf(edited({ policy_digest: 'b'.repeat(64) })), 'approval_token_policy_mismatch');
  });

  it('6: approval_token_delegation_binding_mismatch only when the expected binding is set', () => {
    const bound = { ...EXPECTED, delegationBinding: 'c'.repeat(64) };
    assert.equal(codeOf(validTokenFile(), bound), 'approval_token_delegation_binding_mismatch');
    assert.equal(codeOf(edited({ delegation_binding_digest: 'd'.repeat(64) }), bound), 'approval_token_delegation_binding_mismatch');
    assert.equal(codeOf(edited({ delegation_binding_digest: 'C'.repeat(64) }), bound), '');
    assert.equal(codeOf(edited({ delegation_binding_digest: 'd'.repeat(64) })), '');
  });

  it('7: approval_token_expired', () => {
    assert.equal(codeOf(edited({ expires_at: '2026-02-24T13:00:00Z' })), 'approval_token_expired');
    assert.equal(codeOf(edited({ expires_at: '2026-02-24T14:00:00.000000001+01:00' })), '');
  });

  it('8: approval_token_scope_mismatch unless every required item is granted or the scope holds `*`', () => {
    assert.equal(codeOf(edited({ scope: ['tool.write'] })), 'approval_token_scope_mismatch');
    assert.equal(codeOf(edited({ scope: ['*'] })), '');
    const destructive = { ...EXPECTED, requiredScope: ['destructive:apply', 'phase:apply', 'tool:tool.write'] };
    const entry = checkApprovalToken(validTokenFile(), destructive, VERIFY_KEY, NOW);
    assert.equal(entry.errorCode, 'approval_token_scope_mismatch');
    assert.equal(entry.detail, 'scope mismatch: missing destructive:apply,phase:apply');
    assert.equal(codeOf(edited({ scope: ['Destructive:Apply', 'phase:apply', 'tool:tool.write', 'tool:tool.read'] }), destructive), '');
  });

  it('9: approval_token_max_targets_exceeded when max_targets > 0 and the target count exceeds it', () => {
    const token = edited({ max_targets: 1 });
    assert.equal(codeOf(token, { ...EXPECTED, targetCount: 2 }), 'approval_token_max_targets_exceeded');
    assert.equal(codeOf(token, { ...EXPECTED, targetCount: 1 }), '');
    assert.equal(codeOf(validTokenFile(), { ...EXPECTED, targetCount: 100 }), '');
  });

  it('10: approval_token_max_ops_exceeded when max_ops > 0 and the op count exceeds it', () => {
    const token = edited({ max_ops: 1 });
    assert.equal(codeOf(token, { ...EXPECTED, opCount: 2 }), 'approval_token_max_ops_exceeded');
    assert.equal(codeOf(token, { ...EXPECTED, opCount: 1 }), '');
  });

  it('reports only the first failing step', () => {
    const past = '2026-01-01T00:00:00Z';
    const large = { ...EXPECTED, targetCount: 5, opCount: 5 };
    const everything = edited({ intent_digest: 'a'.repeat(64), policy_digest: 'b'.repeat(64), expires_at: past, scope: ['x'] });
    assert.equal(codeOf(everything), 'approval_token_intent_mismatch');
    assert.equal(codeOf(edited({ expires_at: past, scope: ['x'], max_ops: 1 }), large), 'approval_token_expired');
    assert.equal(codeOf(edited({ scope: ['x'], max_targets: 1, max_ops: 1 }), large), 'approval_token_scope_mismatch');
    assert.equal(codeOf(edited({ max_targets: 1, max_ops: 1 }), large), 'approval_token_max_targets_exceeded');
  });
});

describe('checkApprovalToken: single-byte mutations of the token file', () => {
  const bytes = Buffer.from(vectorText('approval-token-valid/approval-token.json'), 'utf8');
  const payload = vectorText('approval-token-valid/approval-token.signed-payload.json');

  it('never accepts a mutation that changes what was approved', () => {
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 }), (index, byte) => {
        fc.pre(bytes[index] !== byte);
        const mutated = Buffer.from(bytes);
        mutated[index] = byte;
        let parsed: unknown;
        try {
          parsed = JSON.parse(new TextDecoder().decode(mutated));
        } catch {
          return; // no longer JSON
        }
        const entry = checkApprovalToken(parsed, EXPECTED, VERIFY_KEY, NOW);
        if (!entry.valid) return;
        // Accepted only when the mutation is invisible after §A1.4 decoding and §A9.5 normalization
        // (whitespace between tokens, member-name case, digest or scope case, base64 padding bits):
        // the signed payload is still the vector's, byte for byte.
        assert.ok(entry.token !== undefined);
        const { signature: _signature, ...rebuilt } = toApprovalTokenRecord(entry.token);
        assert.equal(canonicalize(rebuilt as JsonObject), payload);
      }),
      { numRuns: 3000 },
    );
  });

  it('rejects a change of any value character (letter or digit replaced)', () => {
    const text = vectorText('approval-token-valid/approval-token.json');
    let checked = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] ?? '';
      if (!/[0-9]/.test(ch)) continue;
      const mutated = text.slice(0, i) + (ch === '7' ? '8' : '7') + text.slice(i + 1);
      const entry = checkApprovalToken(JSON.parse(mutated), EXPECTED, VERIFY_KEY, NOW);
      assert.equal(entry.valid, false, `position ${i}: ${text.slice(Math.max(0, i - 12), i + 12)}`);
      checked++;
    }
    assert.ok(checked > 100);
  });
});

describe('verifyApprovalTokenSignature', () => {
  it('is true for the V5 token with the V4 public key', () => {
    assert.equal(VERIFY_KEY.keyId, KEY_ID);
    assert.equal(verifyApprovalTokenSignature(validTokenFile(), VERIFY_KEY), true);
  });

  it('ignores bindings and expiry but not the signed content', () => {
    assert.equal(verifyApprovalTokenSignature(edited({ intent_digest: 'a'.repeat(64) }), VERIFY_KEY), true);
    assert.equal(verifyApprovalTokenSignature({ ...validTokenFile(), reason_code: 'other' }, VERIFY_KEY), false);
  });

  it('is false for another key, an unsigned token and malformed input, without throwing', () => {
    const { signature: _signature, ...unsigned } = validTokenFile();
    assert.equal(verifyApprovalTokenSignature(validTokenFile(), OTHER_KEY), false);
    assert.equal(verifyApprovalTokenSignature(unsigned, VERIFY_KEY), false);
    assert.equal(verifyApprovalTokenSignature(42, VERIFY_KEY), false);
    assert.equal(verifyApprovalTokenSignature({ ...validTokenFile(), signature: { sig: 5 } }, VERIFY_KEY), false);
  });
});

describe('expectedApprovalBindings (§A9.4)', () => {
  const context = { identity: 'agent.scenario', workspace: '/repo/gait', risk_class: 'high' };

  function bindings(raw: Record<string, unknown>): ApprovalExpectation {
    const prepared = prepareIntent(normalizeIntent(raw));
    return expectedApprovalBindings(prepared, ` ${POLICY_DIGEST.toUpperCase()}`, VALID.intentDigest.toUpperCase());
  }

  it('adds phase:apply and destructive:apply for a destructive target in apply phase', () => {
    const expected = bindings({
      tool_name: 'Tool.Delete',
      targets: [
        { kind: 'path', value: '/tmp/a', destructive: true },
        { kind: 'path', value: '/tmp/b' },
        { kind: 'path', value: '/tmp/c' },
      ],
      context,
    });
    assert.deepEqual(expected, {
      intentDigest: VALID.intentDigest,
      policyDigest: POLICY_DIGEST,
      delegationBinding: '',
      requiredScope: ['destructive:apply', 'phase:apply', 'tool:tool.delete'],
      targetCount: 3,
      opCount: 3,
    });
  });

  it('requires only the tool scope in plan phase', () => {
    const expected = bindings({
      tool_name: 'tool.delete',
      targets: [{ kind: 'path', value: '/a', destructive: true }],
      context: { ...context, phase: 'plan' },
    });
    assert.deepEqual(expected.requiredScope, ['tool:tool.delete']);
  });

  it('counts at least one op without targets', () => {
    const expected = bindings({ tool_name: 'tool.read', context });
    assert.deepEqual([expected.targetCount, expected.opCount], [0, 1]);
  });

  it('binds the delegation digest of the prepared intent', () => {
    const expected = bindings({ tool_name: 't', delegation: { requester_identity: 'a' }, context });
    // sha256 of {"expires_at":"0001-01-01T00:00:00Z","issued_at":"0001-01-01T00:00:00Z","requester_identity":"a"}
    assert.equal(expected.delegationBinding, '13fa9a3e2075a2208958278d1fb48a4bc4f1a70fbcbdfb7e7b47b0bb368d9124');
  });
});
