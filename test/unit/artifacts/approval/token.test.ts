import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { approvalTokenId, normalizeApprovalToken, toApprovalTokenRecord } from '../../../../src/artifacts/approval/token.js';
import type { ApprovalTokenNormalization } from '../../../../src/artifacts/approval/token.js';
import type { ApprovalToken } from '../../../../src/artifacts/approval/types.js';
import { digestJcs } from '../../../../src/crypto/digest.js';
import { canonicalize } from '../../../../src/jcs/canonicalize.js';
import { parseTimestamp, ZERO_TIME } from '../../../../src/runtime/timestamp.js';
import type { JsonObject } from '../../../../src/schema/v1/json-types.js';
import { EXPIRED, expiredTokenFile, KEY_ID, POLICY_DIGEST, VALID, validTokenFile, vectorText } from './vectors.js';

function tokenOf(result: ApprovalTokenNormalization): ApprovalToken {
  if (!result.ok) assert.fail(`expected a normalized token, got: ${result.detail}`);
  return result.token;
}

function failureOf(result: ApprovalTokenNormalization): Extract<ApprovalTokenNormalization, { ok: false }> {
  if (result.ok) assert.fail('expected approval_token_invalid');
  return result;
}

function signedPayload(token: ApprovalToken): JsonObject {
  const { signature: _signature, ...payload } = toApprovalTokenRecord(token);
  return payload;
}

describe('normalizeApprovalToken: the V5 vectors', () => {
  it('normalizes the valid token: token_id, signed digest and canonical payload bytes', () => {
    const token = tokenOf(normalizeApprovalToken(validTokenFile()));
    assert.equal(token.tokenId, 'ec44f8948261811d131eb04a');
    assert.equal(approvalTokenId(token), 'ec44f8948261811d131eb04a');
    const payload = signedPayload(token);
    assert.equal(canonicalize(payload), vectorText('approval-token-valid/approval-token.signed-payload.json'));
    assert.equal(digestJcs(payload), 'd470f2e63450ca56d772bebbe269db46318f309181444bb2522bb262061079c0');
    assert.deepEqual(token.signature, {
      alg: 'ed25519',
      key_id: KEY_ID,
      sig: VALID.sig,
      signed_digest: VALID.signedDigest,
    });
  });

  it('rebuilds the valid token file exactly (member rules, §A9.1)', () => {
    assert.deepEqual(toApprovalTokenRecord(tokenOf(normalizeApprovalToken(validTokenFile()))), validTokenFile());
  });

  it('normalizes the expired token rebuilt from the spec values', () => {
    const token = tokenOf(normalizeApprovalToken(expiredTokenFile()));
    assert.equal(approvalTokenId(token), 'b68a3c0bd5a7af6eb3c47cea');
    assert.equal(digestJcs(signedPayload(token)), 'dd3578d12548120721acf756ea331656feaff48f2c33edb9f0fd47ef40462796');
  });
});

describe('approvalTokenId', () => {
  it('hashes expires_at in canonical UTC form whatever offset it carries (§A9.2)', () => {
    const token = tokenOf(normalizeApprovalToken({ ...validTokenFile(), expires_at: '2036-02-22T07:42:58.228785000-05:00' }));
    assert.equal(approvalTokenId(token), VALID.tokenId);
  });

  it('writes the integers in decimal', () => {
    const token = tokenOf(normalizeApprovalToken(validTokenFile()));
    // sha256 of `4b53…:07a5…:human.reviewer:MANUAL_APPROVAL:destructive:apply,phase:apply,tool:tool.write:2:3:2026-02-24T13:42:58.228785Z`
    const id = approvalTokenId({
      ...token,
      scope: ['destructive:apply', 'phase:apply', 'tool:tool.write'],
      maxTargets: 2,
      maxOps: 3,
      expiresAt: parseTimestamp('2026-02-24T13:42:58.228785Z'),
    });
    assert.equal(id, '8839d3527e422d195b06243f');
  });
});

describe('normalizeApprovalToken: decoding (§A1.4)', () => {
  it('maps members case-insensitively, exact case winning', () => {
    const { reason_code: _reason, token_id: _id, ...rest } = validTokenFile();
    const token = tokenOf(normalizeApprovalToken({ ...rest, Reason_Code: 'MANUAL_APPROVAL', TOKEN_ID: 'other', token_id: VALID.tokenId }));
    assert.equal(token.reasonCode, 'MANUAL_APPROVAL');
    assert.equal(token.tokenId, VALID.tokenId);
  });

  it('decodes the signature envelope case-insensitively too', () => {
    const token = tokenOf(
      normalizeApprovalToken({ ...validTokenFile(), signature: { ALG: 'ed25519', Key_Id: KEY_ID, sig: VALID.sig } }),
    );
    assert.deepEqual(token.signature, { alg: 'ed25519', key_id: KEY_ID, sig: VALID.sig, signed_digest: '' });
  });

  it('treats null as absent and ignores unknown members', () => {
    const token = tokenOf(
      normalizeApprovalToken({ ...validTokenFile(), delegation_binding_digest: null, max_ops: null, note: 'x', signature: null }),
    );
    assert.equal(token.delegationBindingDigest, '');
    assert.equal(token.maxOps, 0);
    assert.equal(token.signature, undefined);
    assert.deepEqual(signedPayload(token), JSON.parse(vectorText('approval-token-valid/approval-token.signed-payload.json')));
  });

  it('decodes lone surrogates to U+FFFD (§A1.3)', () => {
    const token = tokenOf(normalizeApprovalToken({ ...validTokenFile(), reason_code: 'a\ud800b' }));
    assert.equal(token.reasonCode, 'a\ufffdb');
  });

  for (const [name, raw, detail] of [
    ['a non-object', 'token', 'approval token must be a JSON object'],
    ['an array', [], 'approval token must be a JSON object'],
    ['a number reason_code', { reason_code: 7 }, 'reason_code must be a string'],
    ['a string max_ops', { max_ops: '1' }, 'max_ops must be an integer'],
    ['a fractional max_targets', { max_targets: 1.5 }, 'max_targets must be an integer'],
    ['a string scope', { scope: 'tool:tool.write' }, 'scope must be an array'],
    ['a number scope item', { scope: ['tool:tool.write', 1] }, 'scope[1] must be a string'],
    ['a non-RFC 3339 created_at', { created_at: 'yesterday' }, 'created_at must be an RFC 3339 timestamp, got `yesterday`'],
    ['an empty expires_at', { expires_at: '' }, 'expires_at must be an RFC 3339 timestamp, got ``'],
    ['a string signature', { signature: 'sig' }, 'signature must be an object'],
    ['a number sig', { signature: { alg: 'ed25519', sig: 1 } }, 'signature.sig must be a string'],
  ] as const) {
    it(`reports ${name} as malformed`, () => {
      const input = typeof raw === 'object' && !Array.isArray(raw) ? { ...validTokenFile(), ...raw } : raw;
      const failure = failureOf(normalizeApprovalToken(input));
      assert.equal(failure.code, 'approval_token_invalid');
      assert.equal(failure.detail, detail);
      assert.equal(failure.malformed, true);
    });
  }

  it('keeps what it could read of a malformed token for the audit entry', () => {
    const failure = failureOf(
      normalizeApprovalToken({ ...validTokenFile(), token_id: ' t-1 ', max_ops: 'x', scope: ['Tool:B', 'tool:a'], expires_at: 'soon' }),
    );
    assert.deepEqual(failure.partial, {
      tokenId: 't-1',
      approverIdentity: 'human.reviewer',
      reasonCode: 'MANUAL_APPROVAL',
      scope: ['tool:a', 'tool:b'],
      expiresAt: ZERO_TIME,
    });
    assert.deepEqual(failureOf(normalizeApprovalToken(null)).partial, {
      tokenId: '',
      approverIdentity: '',
      reasonCode: '',
      scope: [],
      expiresAt: ZERO_TIME,
    });
  });
});

describe('normalizeApprovalToken: §A9.5 step 1 rules', () => {
  it('defaults empty schema constants, trims, lowercases digests and lowers the scope', () => {
    const token = tokenOf(
      normalizeApprovalToken({
        ...validTokenFile(),
        schema_id: '',
        schema_version: '',
        token_id: '\u00a0ec44f8948261811d131eb04a\u2003',
        approver_identity: ' human.reviewer\u0085',
        reason_code: '\tMANUAL_APPROVAL ',
        intent_digest: ` ${VALID.intentDigest.toUpperCase()} `,
        policy_digest: POLICY_DIGEST.toUpperCase(),
        delegation_binding_digest: ` ${'C'.repeat(64)}`,
        scope: [' Tool:Tool.Write', 'tool:tool.write', '', 'PHASE:apply', ' '],
      }),
    );
    assert.equal(token.schemaId, 'gait.gate.approval_token');
    assert.equal(token.schemaVersion, '1.0.0');
    assert.equal(token.tokenId, VALID.tokenId);
    assert.equal(token.approverIdentity, 'human.reviewer');
    assert.equal(token.reasonCode, 'MANUAL_APPROVAL');
    assert.equal(token.intentDigest, VALID.intentDigest);
    assert.equal(token.policyDigest, POLICY_DIGEST);
    assert.equal(token.delegationBindingDigest, 'c'.repeat(64));
    assert.deepEqual(token.scope, ['phase:apply', 'tool:tool.write']);
  });

  it('keeps the written timestamp offsets and re-renders them canonically (§A8 verification step 2)', () => {
    const token = tokenOf(
      normalizeApprovalToken({
        ...validTokenFile(),
        created_at: '2026-02-24T13:42:58.2287850+01:00',
        expires_at: '2036-02-22t07:42:58.228785-05:00',
      }),
    );
    const record = toApprovalTokenRecord(token);
    assert.equal(record['created_at'], '2026-02-24T13:42:58.228785+01:00');
    assert.equal(record['expires_at'], '2036-02-22T07:42:58.228785-05:00');
  });

  for (const [member, value, detail] of [
    ['schema_id', 'gait.gate.approval', 'unsupported schema_id: gait.gate.approval'],
    ['schema_version', '1.0.1', 'unsupported schema_version: 1.0.1'],
    ['token_id', ' ', 'token_id is required'],
    ['approver_identity', '', 'approver_identity is required'],
    ['reason_code', '\u3000', 'reason_code is required'],
    ['intent_digest', 'abc', 'intent_digest must be sha256 hex'],
    ['policy_digest', `${POLICY_DIGEST}0`, 'policy_digest must be sha256 hex'],
    ['delegation_binding_digest', 'g'.repeat(64), 'delegation_binding_digest must be sha256 hex when set'],
    ['scope', [' ', ''], 'scope is required'],
    ['max_targets', -1, 'max_targets must be >= 0'],
    ['max_ops', -2, 'max_ops must be >= 0'],
    ['created_at', undefined, 'created_at is required'],
    ['created_at', '0001-01-01T00:00:00Z', 'created_at is required'],
    ['expires_at', undefined, 'expires_at is required'],
    ['expires_at', '0001-01-01T01:00:00+01:00', 'expires_at is required'],
  ] as const) {
    it(`rejects ${member} = ${JSON.stringify(value) ?? 'absent'} with \`${detail}\``, () => {
      const raw: Record<string, unknown> = { ...validTokenFile(), [member]: value };
      if (value === undefined) delete raw[member];
      const failure = failureOf(normalizeApprovalToken(raw));
      assert.equal(failure.detail, detail);
      assert.equal(failure.malformed, false);
      assert.equal(failure.partial.tokenId, member === 'token_id' ? '' : VALID.tokenId);
    });
  }

  it('reports the first broken rule in Gait v1 order', () => {
    const failure = failureOf(normalizeApprovalToken({ ...validTokenFile(), reason_code: '', scope: [], max_ops: -1 }));
    assert.equal(failure.detail, 'reason_code is required');
  });

  it('puts the token expiry into the partial in UTC', () => {
    const failure = failureOf(normalizeApprovalToken({ ...validTokenFile(), scope: [], expires_at: '2036-02-22T13:42:58+01:00' }));
    assert.deepEqual(failure.partial.expiresAt, parseTimestamp('2036-02-22T12:42:58Z'));
    assert.equal(failure.partial.expiresAt.offsetMinutes, 0);
  });
});

describe('toApprovalTokenRecord', () => {
  it('emits the omit-empty members only when set, signature last and without an empty signed_digest', () => {
    const token = tokenOf(
      normalizeApprovalToken({
        ...expiredTokenFile(),
        delegation_binding_digest: 'c'.repeat(64),
        max_targets: 2,
        max_ops: 3,
        signature: { alg: 'ed25519', key_id: '', sig: EXPIRED.sig },
      }),
    );
    const record = toApprovalTokenRecord(token);
    assert.deepEqual(Object.keys(record), [
      'schema_id',
      'schema_version',
      'created_at',
      'producer_version',
      'token_id',
      'approver_identity',
      'reason_code',
      'intent_digest',
      'policy_digest',
      'delegation_binding_digest',
      'scope',
      'max_targets',
      'max_ops',
      'expires_at',
      'signature',
    ]);
    assert.deepEqual(record['signature'], { alg: 'ed25519', key_id: '', sig: EXPIRED.sig });
  });

  it('keeps producer_version as written, even empty (always member)', () => {
    const token = tokenOf(normalizeApprovalToken({ ...validTokenFile(), producer_version: ' 1.0 ' }));
    assert.equal(toApprovalTokenRecord(token)['producer_version'], ' 1.0 ');
    const bare = tokenOf(normalizeApprovalToken({ ...validTokenFile(), producer_version: null }));
    assert.equal(toApprovalTokenRecord(bare)['producer_version'], '');
  });
});
