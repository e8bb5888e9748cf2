import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildApprovalAuditRecord, signApprovalAuditRecord, verifyApprovalAuditRecord } from '../../../../src/artifacts/approval/audit.js';
import type { ApprovalAuditInput } from '../../../../src/artifacts/approval/audit-types.js';
import { checkApprovalToken } from '../../../../src/artifacts/approval/verify-token.js';
import { signingKeyFromSeed, verifyKeyOf } from '../../../../src/crypto/keys.js';
import { parseTimestamp, ZERO_TIME } from '../../../../src/runtime/timestamp.js';
import type { JsonObject } from '../../../../src/schema/v1/json-types.js';
import { KEY_ID, POLICY_DIGEST, SIGNING_KEY, VALID, validTokenFile, VERIFY_KEY } from './vectors.js';

const TRACE_ID = '5f0e1d2c3b4a596877665544';
const SCOPE = ['tool:tool.write'];
const HOUR = '2026-02-18T01:00:00Z';
const OTHER_KEY = verifyKeyOf(signingKeyFromSeed(new Uint8Array(32).fill(7)));

function input(overrides: Partial<ApprovalAuditInput> = {}): ApprovalAuditInput {
  return {
    createdAt: parseTimestamp('2026-02-18T01:00:00+01:00'),
    producerVersion: ' 0.0.0-test ',
    traceId: TRACE_ID,
    toolName: 'tool.write',
    intentDigest: VALID.intentDigest.toUpperCase(),
    policyDigest: POLICY_DIGEST,
    requiredApprovals: 2,
    entries: [
      {
        tokenId: 'tok_b',
        approverIdentity: 'bob',
        reasonCode: 'ticket-2',
        scope: SCOPE,
        expiresAt: parseTimestamp('2026-02-18T02:00:00+01:00'),
        valid: true,
        errorCode: '',
      },
      {
        tokenId: '',
        approverIdentity: '',
        reasonCode: '',
        scope: [],
        expiresAt: ZERO_TIME,
        valid: false,
        errorCode: 'approval_token_invalid',
      },
      {
        tokenId: 'tok_a',
        approverIdentity: ' alice ',
        reasonCode: 'ticket-1',
        scope: SCOPE,
        expiresAt: parseTimestamp('2026-02-18T01:00:00Z'),
        valid: true,
        errorCode: '',
      },
      {
        tokenId: 'tok_c',
        approverIdentity: 'carol',
        reasonCode: 'ticket-3',
        scope: SCOPE,
        expiresAt: parseTimestamp('2026-02-18T00:30:00Z'),
        valid: false,
        errorCode: 'approval_token_expired',
      },
    ],
    ...overrides,
  };
}

/** The record `input()` must give (written by hand from gate.md §A10 and §A7.3). */
const EXPECTED_RECORD = {
  schema_id: 'gait.gate.approval_audit_record',
  schema_version: '1.0.0',
  created_at: '2026-02-18T00:00:00Z',
  producer_version: '0.0.0-test',
  trace_id: TRACE_ID,
  tool_name: 'tool.write',
  intent_digest: VALID.intentDigest,
  policy_digest: POLICY_DIGEST,
  required_approvals: 2,
  valid_approvals: 2,
  approved: true,
  approvers: ['alice', 'bob'],
  relationship: {
    parent_ref: { kind: 'trace', id: TRACE_ID },
    entity_refs: [
      { kind: 'agent', id: 'alice' },
      { kind: 'agent', id: 'bob' },
      { kind: 'policy', id: POLICY_DIGEST },
      { kind: 'tool', id: 'tool.write' },
      { kind: 'trace', id: TRACE_ID },
    ],
    policy_ref: { policy_digest: POLICY_DIGEST },
    edges: [{ kind: 'governed_by', from: { kind: 'tool', id: 'tool.write' }, to: { kind: 'policy', id: POLICY_DIGEST } }],
    parent_record_id: TRACE_ID,
    related_entity_ids: [POLICY_DIGEST, TRACE_ID, 'alice', 'bob', 'tool.write'],
  },
  entries: [
    { expires_at: '0001-01-01T00:00:00Z', valid: false, error_code: 'approval_token_invalid' },
    { token_id: 'tok_a', approver_identity: 'alice', reason_code: 'ticket-1', scope: SCOPE, expires_at: HOUR, valid: true },
    { token_id: 'tok_b', approver_identity: 'bob', reason_code: 'ticket-2', scope: SCOPE, expires_at: HOUR, valid: true },
    {
      token_id: 'tok_c',
      approver_identity: 'carol',
      reason_code: 'ticket-3',
      scope: SCOPE,
      expires_at: '2026-02-18T00:30:00Z',
      valid: false,
      error_code: 'approval_token_expired',
    },
  ],
};

function signed(): JsonObject {
  return signApprovalAuditRecord(buildApprovalAuditRecord(input()), SIGNING_KEY);
}

describe('buildApprovalAuditRecord', () => {
  it('builds the §A10 record: sorted entries, counts, approvers, relationship', () => {
    assert.deepEqual(buildApprovalAuditRecord(input()), EXPECTED_RECORD);
  });

  it('sorts entries by token_id, approver, reason_code, expires_at, then scope', () => {
    const base = { tokenId: 't', approverIdentity: 'a', reasonCode: 'r', valid: false, errorCode: 'approval_token_expired' as const };
    const record = buildApprovalAuditRecord(
      input({
        entries: [
          { ...base, scope: ['b'], expiresAt: parseTimestamp('2026-01-01T00:00:00Z') },
          { ...base, scope: ['a'], expiresAt: parseTimestamp('2026-01-01T00:00:00Z') },
          { ...base, scope: ['a'], expiresAt: parseTimestamp('2026-01-01T00:30:00+01:00') },
          { ...base, reasonCode: 'q', scope: ['z'], expiresAt: parseTimestamp('2027-01-01T00:00:00Z') },
        ],
      }),
    );
    const entries = record['entries'] as JsonObject[];
    assert.deepEqual(
      entries.map((e) => [e['reason_code'], e['expires_at'], e['scope']]),
      [
        ['q', '2027-01-01T00:00:00Z', ['z']],
        ['r', '2025-12-31T23:30:00Z', ['a']],
        ['r', '2026-01-01T00:00:00Z', ['a']],
        ['r', '2026-01-01T00:00:00Z', ['b']],
      ],
    );
  });

  it('keeps entries as [] when no token was evaluated, and is not approved then', () => {
    const record = buildApprovalAuditRecord(input({ entries: [], requiredApprovals: 1 }));
    assert.deepEqual(record['entries'], []);
    assert.equal(record['approved'], false);
    assert.equal(record['valid_approvals'], 0);
    assert.equal('approvers' in record, false);
    assert.deepEqual((record['relationship'] as JsonObject)['entity_refs'], [
      { kind: 'policy', id: POLICY_DIGEST },
      { kind: 'tool', id: 'tool.write' },
      { kind: 'trace', id: TRACE_ID },
    ]);
  });

  it('defaults producer_version and created_at, clamps negative required approvals', () => {
    const record = buildApprovalAuditRecord(input({ producerVersion: '', createdAt: ZERO_TIME, requiredApprovals: -3, entries: [] }));
    assert.equal(record['producer_version'], '0.0.0-dev');
    assert.equal(record['created_at'], '1980-01-01T00:00:00Z');
    assert.equal(record['required_approvals'], 0);
    assert.equal(record['approved'], true);
  });

  it('records the entries checkApprovalToken returns', () => {
    const expected = {
      intentDigest: VALID.intentDigest,
      policyDigest: POLICY_DIGEST,
      delegationBinding: '',
      requiredScope: SCOPE,
      targetCount: 1,
      opCount: 1,
    };
    const valid = checkApprovalToken(validTokenFile(), expected, VERIFY_KEY, parseTimestamp('2026-02-24T13:00:00Z'));
    const record = buildApprovalAuditRecord(input({ requiredApprovals: 1, entries: [valid] }));
    assert.deepEqual(record['entries'], [
      {
        token_id: 'ec44f8948261811d131eb04a',
        approver_identity: 'human.reviewer',
        reason_code: 'MANUAL_APPROVAL',
        scope: SCOPE,
        expires_at: '2036-02-22T12:42:58.228785Z',
        valid: true,
      },
    ]);
    assert.deepEqual(record['approvers'], ['human.reviewer']);
  });
});

describe('signApprovalAuditRecord / verifyApprovalAuditRecord', () => {
  it('signs with the §A8 envelope (D5) and verifies', () => {
    const record = signed();
    // Cross-checked with Python: sorted-key compact JSON of EXPECTED_RECORD, hashlib, `cryptography` Ed25519.
    assert.deepEqual(record['signature'], {
      alg: 'ed25519',
      key_id: KEY_ID,
      sig: 'tQ/1S70syWdfmBN4x8YEKZMjCZNayItnSpMgNWAPbF7G+Crfh3cyANiQ5kJgeKM3rNI0bt71mKH26lzbWGZ+BQ==',
      signed_digest: '682a8ea7b4692488169348e4d3fd80c05996db880302490ac2cfe945e921aaac',
    });
    assert.deepEqual(verifyApprovalAuditRecord(record, VERIFY_KEY), {
      ok: true,
      traceId: TRACE_ID,
      keyId: KEY_ID,
      signatureStatus: 'verified',
      checks: [
        { name: 'schema', ok: true },
        { name: 'signature', ok: true },
      ],
      error: '',
    });
  });

  it('verifies after a JSON round trip of the 2-space file form', () => {
    assert.equal(verifyApprovalAuditRecord(JSON.parse(`${JSON.stringify(signed(), null, 2)}\n`), VERIFY_KEY).ok, true);
  });

  for (const [member, value] of [
    ['approved', false],
    ['valid_approvals', 3],
    ['approvers', ['alice']],
    ['created_at', '2026-02-18T00:00:01Z'],
  ] as const) {
    it(`fails with signed_digest mismatch when ${member} is tampered with`, () => {
      const report = verifyApprovalAuditRecord({ ...signed(), [member]: value }, VERIFY_KEY);
      assert.equal(report.ok, false);
      assert.equal(report.signatureStatus, 'failed');
      assert.equal(report.error, 'signed_digest mismatch');
      assert.deepEqual(report.checks, [
        { name: 'schema', ok: true },
        { name: 'signature', ok: false, detail: 'signed_digest mismatch' },
      ]);
    });
  }

  it('fails when an entry is tampered with (valid flipped)', () => {
    const record = signed();
    const entries = (record['entries'] as JsonObject[]).map((e) => (e['token_id'] === 'tok_c' ? { ...e, valid: true } : e));
    assert.equal(verifyApprovalAuditRecord({ ...record, entries }, VERIFY_KEY).error, 'signed_digest mismatch');
  });

  it('rejects a member outside the schema before checking the signature', () => {
    const report = verifyApprovalAuditRecord({ ...signed(), reason_codes: ['approval_granted'] }, VERIFY_KEY);
    assert.deepEqual(report, {
      ok: false,
      traceId: TRACE_ID,
      keyId: KEY_ID,
      signatureStatus: 'failed',
      checks: [{ name: 'schema', ok: false, detail: '/: must NOT have additional properties (`reason_codes`)' }],
      error: 'approval audit schema validation failed: /: must NOT have additional properties (`reason_codes`)',
    });
  });

  it('rejects an extra member inside an entry', () => {
    const record = signed();
    const entries = (record['entries'] as JsonObject[]).map((e, i) => (i === 0 ? { ...e, note: 'x' } : e));
    assert.equal(
      verifyApprovalAuditRecord({ ...record, entries }, VERIFY_KEY).error,
      'approval audit schema validation failed: /entries/0: must NOT have additional properties (`note`)',
    );
  });

  it('reports a missing signature', () => {
    const report = verifyApprovalAuditRecord(buildApprovalAuditRecord(input()), VERIFY_KEY);
    assert.equal(report.ok, false);
    assert.equal(report.error, 'approval audit signature missing');
    assert.equal(report.keyId, VERIFY_KEY.keyId);
  });

  it('fails with key id mismatch for another key', () => {
    const report = verifyApprovalAuditRecord(signed(), OTHER_KEY);
    assert.equal(report.error, 'key id mismatch');
    assert.equal(report.keyId, KEY_ID);
  });

  it('re-renders timestamps keeping their offsets before digesting (§A8 step 2)', () => {
    const record = signApprovalAuditRecord({ ...buildApprovalAuditRecord(input()), created_at: '2026-02-18T01:00:00+01:00' }, SIGNING_KEY);
    assert.equal(record['created_at'], '2026-02-18T01:00:00+01:00');
    assert.equal(verifyApprovalAuditRecord({ ...record, created_at: '2026-02-18T01:00:00.000+01:00' }, VERIFY_KEY).ok, true);
    assert.equal(verifyApprovalAuditRecord({ ...record, created_at: '2026-02-18T00:00:00Z' }, VERIFY_KEY).error, 'signed_digest mismatch');
  });

  it('returns a failed report for non-object input without throwing', () => {
    const report = verifyApprovalAuditRecord('audit', VERIFY_KEY);
    assert.equal(report.ok, false);
    assert.equal(report.error, 'approval audit schema validation failed: /: must be object');
    assert.equal(report.traceId, '');
  });
});
