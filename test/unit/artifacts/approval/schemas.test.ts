import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildApprovalAuditRecord, signApprovalAuditRecord } from '../../../../src/artifacts/approval/audit.js';
import { mintApprovalToken } from '../../../../src/artifacts/approval/mint.js';
import { validateApprovalRecord } from '../../../../src/artifacts/approval/schema-check.js';
import type { ApprovalSchemaId } from '../../../../src/artifacts/approval/schema-check.js';
import { SCHEMAS } from '../../../../src/schema/generated/schemas.js';
import { parseDuration } from '../../../../src/runtime/duration.js';
import { parseTimestamp } from '../../../../src/runtime/timestamp.js';
import { POLICY_DIGEST, SIGNING_KEY, VALID, validTokenFile, VECTORS, vectorJson } from './vectors.js';

const PREFIXES: Record<string, ApprovalSchemaId> = {
  gate_approval_token: 'gait.gate.approval_token',
  gate_approval_audit_record: 'gait.gate.approval_audit_record',
};

const samples = readdirSync(join(VECTORS, 'schema-testdata'))
  .sort()
  .flatMap((file) => {
    const prefix = Object.keys(PREFIXES).find((p) => file.startsWith(`${p}_`));
    return prefix === undefined ? [] : [{ file, schemaId: PREFIXES[prefix]! }];
  });

describe('approval schemas: Gait v1 schema-testdata', () => {
  it('covers the five gate_approval_* samples', () => {
    assert.deepEqual(
      samples.map((s) => s.file),
      [
        'gate_approval_audit_record_invalid.json',
        'gate_approval_audit_record_relationship_valid.json',
        'gate_approval_audit_record_valid.json',
        'gate_approval_token_invalid.json',
        'gate_approval_token_valid.json',
      ],
    );
  });

  for (const { file, schemaId } of samples) {
    const shouldPass = file.endsWith('_valid.json');
    it(`${shouldPass ? 'accepts' : 'rejects'} ${file}`, () => {
      const result = validateApprovalRecord(schemaId, vectorJson(`schema-testdata/${file}`));
      assert.equal(result.ok, shouldPass, result.errors.join('; '));
    });
  }
});

describe('approval schemas: ids and our own records', () => {
  it('use the gait.dev $id pattern (SCHEMA_IDS.md)', () => {
    assert.equal(SCHEMAS['gait.gate.approval_token'].$id, 'https://gait.dev/schemas/v1/gate/approval_token.schema.json');
    assert.equal(
      SCHEMAS['gait.gate.approval_audit_record'].$id,
      'https://gait.dev/schemas/v1/gate/approval_audit_record.schema.json',
    );
  });

  it('accept the V5 token file and a minted token with every optional member', () => {
    assert.deepEqual(validateApprovalRecord('gait.gate.approval_token', validTokenFile()).errors, []);
    const { record } = mintApprovalToken(
      {
        intentDigest: VALID.intentDigest,
        policyDigest: POLICY_DIGEST,
        delegationBindingDigest: 'c'.repeat(64),
        ttlNanos: parseDuration('30m'),
        scope: ['tool:tool.write'],
        approverIdentity: 'alice',
        reasonCode: 'ticket-1',
        maxTargets: 1,
        maxOps: 2,
        producerVersion: '',
        createdAt: parseTimestamp(VALID.createdAt),
      },
      SIGNING_KEY,
    );
    assert.deepEqual(validateApprovalRecord('gait.gate.approval_token', record).errors, []);
  });

  it('reject token members outside the schema and a negative max_ops', () => {
    assert.deepEqual(validateApprovalRecord('gait.gate.approval_token', { ...validTokenFile(), note: 'x' }).errors, [
      '/: must NOT have additional properties (`note`)',
    ]);
    assert.deepEqual(validateApprovalRecord('gait.gate.approval_token', { ...validTokenFile(), max_ops: -1 }).errors, [
      '/max_ops: must be >= 0',
    ]);
  });

  it('accept a signed audit record with and without entries (signature allowed, D5)', () => {
    const base = {
      createdAt: parseTimestamp('2026-02-18T00:00:00Z'),
      producerVersion: '0.0.0-dev',
      traceId: '5f0e1d2c3b4a596877665544',
      toolName: 'tool.write',
      intentDigest: VALID.intentDigest,
      policyDigest: POLICY_DIGEST,
      requiredApprovals: 1,
    };
    const empty = signApprovalAuditRecord(buildApprovalAuditRecord({ ...base, entries: [] }), SIGNING_KEY);
    assert.deepEqual(validateApprovalRecord('gait.gate.approval_audit_record', empty).errors, []);
    const one = buildApprovalAuditRecord({
      ...base,
      entries: [
        {
          tokenId: 't',
          approverIdentity: 'a',
          reasonCode: 'r',
          scope: ['tool:tool.write'],
          expiresAt: parseTimestamp('2026-02-18T01:00:00Z'),
          valid: false,
          errorCode: 'approval_token_replayed',
        },
      ],
    });
    assert.deepEqual(validateApprovalRecord('gait.gate.approval_audit_record', one).errors, []);
  });

  it('reject an uppercase audit digest (lowercase hex64, §A10)', () => {
    const record = vectorJson('schema-testdata/gate_approval_audit_record_valid.json');
    assert.deepEqual(
      validateApprovalRecord('gait.gate.approval_audit_record', { ...record, policy_digest: 'B'.repeat(64) }).errors,
      ['/policy_digest: must match pattern "^[a-f0-9]{64}$"'],
    );
  });
});
