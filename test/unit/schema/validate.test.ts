import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { validateRecord } from '../../../src/schema/validate.js';
import type { RecordSchemaId } from '../../../src/schema/validate.js';

const vectors = join(process.cwd(), 'test', 'fixtures', 'vectors', 'gait-v1');
const testdata = join(vectors, 'schema-testdata');

const PREFIXES: Record<string, RecordSchemaId> = {
  gate_intent_request: 'gait.gate.intent_request',
  gate_policy: 'gait.gate.policy',
  gate_result: 'gait.gate.result',
  gate_trace_record: 'gait.gate.trace',
};

function load(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(testdata, name), 'utf8')) as Record<string, unknown>;
}

const samples = readdirSync(testdata)
  .sort()
  .flatMap((file) => {
    const prefix = Object.keys(PREFIXES).find((p) => file.startsWith(`${p}_`));
    return prefix === undefined ? [] : [{ file, schemaId: PREFIXES[prefix]! }];
  });

describe('validateRecord: Gait v1 schema-testdata', () => {
  it('covers all 19 gate_* samples', () => {
    assert.equal(samples.length, 19);
  });
  for (const { file, schemaId } of samples) {
    const shouldPass = file.endsWith('_valid.json');
    it(`${shouldPass ? 'accepts' : 'rejects'} ${file}`, () => {
      const result = validateRecord(schemaId, load(file));
      assert.equal(result.ok, shouldPass, result.errors.join('; '));
      assert.equal(result.errors.length === 0, shouldPass);
    });
  }
});

describe('validateRecord: error strings', () => {
  it('names an extra trace member', () => {
    const trace = { ...load('gate_trace_record_valid.json'), reason_codes: ['x'] };
    assert.deepEqual(validateRecord('gait.gate.trace', trace), {
      ok: false,
      errors: ['/: must NOT have additional properties (`reason_codes`)'],
    });
  });

  it('rejects an extra member inside a nested trace object (closed objects, D6)', () => {
    const trace = {
      ...load('gate_trace_record_skill_valid.json'),
      skill_provenance: { skill_name: 's', source: 'r', publisher: 'p', extra: 1 },
    };
    assert.deepEqual(validateRecord('gait.gate.trace', trace).errors, [
      '/skill_provenance: must NOT have additional properties (`extra`)',
    ]);
  });

  it('reports an empty signature key id with its instance path', () => {
    const trace = {
      ...load('gate_trace_record_valid.json'),
      signature: { alg: 'ed25519', key_id: '', sig: 'Zm9v', signed_digest: 'a'.repeat(64) },
    };
    assert.deepEqual(validateRecord('gait.gate.trace', trace).errors, [
      '/signature/key_id: must NOT have fewer than 1 characters',
    ]);
  });

  it('lists every missing required member (allErrors)', () => {
    assert.deepEqual(validateRecord('gait.gate.trace', load('gate_trace_record_invalid.json')).errors, [
      "/: must have required property 'intent_digest'",
      "/: must have required property 'policy_digest'",
    ]);
  });

  it('checks date-time formats', () => {
    const trace = { ...load('gate_trace_record_valid.json'), observed_at: '2026-02-05 00:00:00' };
    assert.deepEqual(validateRecord('gait.gate.trace', trace).errors, ['/observed_at: must match format "date-time"']);
  });

  it('rejects a non-object value without throwing', () => {
    assert.deepEqual(validateRecord('gait.gate.result', 'nope'), { ok: false, errors: ['/: must be object'] });
    assert.equal(validateRecord('gait.gate.trace', null).ok, false);
  });

  it('rejects a schema_version other than 1.0.0', () => {
    const result = { ...load('gate_result_valid.json'), schema_version: '1.0.1' };
    assert.deepEqual(validateRecord('gait.gate.result', result).errors, ['/schema_version: must match pattern "^1\\.0\\.0$"']);
  });
});

describe('validateRecord: policy files', () => {
  for (const file of ['integration/policy.yaml', 'approval-token-valid/policy.yaml']) {
    it(`accepts ${file}`, () => {
      const policy: unknown = parseYaml(readFileSync(join(vectors, file), 'utf8'));
      const result = validateRecord('gait.gate.policy', policy);
      assert.equal(result.ok, true, result.errors.join('; '));
    });
  }

  it('rejects a rule without effect or action', () => {
    const policy = { rules: [{ name: 'r', match: { tool_names: ['tool.read'] } }] };
    assert.equal(validateRecord('gait.gate.policy', policy).ok, false);
    assert.equal(validateRecord('gait.gate.policy', { rules: [{ name: 'r', action: 'allow' }] }).ok, true);
  });

  it('rejects an unknown match key', () => {
    const policy = { rules: [{ name: 'r', effect: 'allow', match: { tool: 'x' } }] };
    assert.deepEqual(validateRecord('gait.gate.policy', policy).errors, [
      '/rules/0/match: must NOT have additional properties (`tool`)',
    ]);
  });
});
