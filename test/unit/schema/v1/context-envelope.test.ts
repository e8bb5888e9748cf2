/**
 * Context envelopes (gate.md §B2): decoding, normalization, `context_set_digest` and the schema file.
 * Expected digests are literals computed outside gait (JCS by hand, SHA-256 with sha256sum) and are
 * re-derived here with the `canonicalize` npm package + node:crypto, never with our own digest code.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import oracle from 'canonicalize';
import { isGaitError } from '../../../../src/errors/error.js';
import { formatTimestamp } from '../../../../src/runtime/timestamp.js';
import {
  assertVerifiedContextEnvelope,
  contextSetDigest,
  isParsedContextEnvelope,
  parseContextEnvelope,
  toContextEnvelopeWire,
} from '../../../../src/schema/v1/context-envelope.js';
import type { ContextEnvelope } from '../../../../src/schema/v1/context-envelope.js';
import { SCHEMAS } from '../../../../src/schema/generated/schemas.js';

const TESTDATA = join(process.cwd(), 'test/fixtures/vectors/gait-v1/schema-testdata');
const ONES = '1'.repeat(64);
const TWOS = '2'.repeat(64);

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function load(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(TESTDATA, name), 'utf8')) as Record<string, unknown>;
}

function record(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ref_id: 'ctx_001',
    source_type: 'doc_store',
    source_locator: 'docs://a',
    query_digest: ONES,
    content_digest: TWOS,
    retrieved_at: '2026-02-14T00:00:00Z',
    redaction_mode: 'reference',
    immutability: 'immutable',
    ...extra,
  };
}

function envelope(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { context_set_id: 'ctx_set_demo', records: [record()], ...extra };
}

function rejects(raw: unknown, message: string, path?: string): void {
  assert.throws(
    () => parseContextEnvelope(raw),
    (e: unknown) => {
      assert.ok(isGaitError(e, 'artifact_invalid'), `expected artifact_invalid, got ${String(e)}`);
      assert.equal(e.message, message);
      if (path !== undefined) assert.equal(e.details['path'], path);
      return true;
    },
  );
}

/** Two records written out of order, with whitespace, upper case and an offset to normalize. */
const MESSY = {
  schema_id: 'gait.context.envelope',
  created_at: '2026-02-14T01:00:00+01:00',
  context_set_id: ' ctx_set_demo ',
  evidence_mode: ' Required ',
  records: [
    {
      ref_id: ' ctx_002 ',
      source_type: 'doc_store',
      source_locator: ' docs://b',
      query_digest: 'A'.repeat(64),
      content_digest: ` ${'B'.repeat(64)} `,
      retrieved_at: '2026-02-13T23:50:00Z',
      redaction_mode: 'reference ',
      immutability: ' Immutable ',
    },
    {
      ref_id: 'ctx_001',
      source_type: 'doc_store',
      source_locator: 'docs://a',
      query_digest: ONES,
      content_digest: TWOS,
      retrieved_at: '2026-02-14T00:00:00.500+00:00',
      redaction_mode: 'reference',
      immutability: '',
      sensitivity_label: 'internal',
      freshness_sla_seconds: 600,
      retrieval_params: { q: ' x ', k: 3 },
    },
  ],
};

/** JCS of the normalized MESSY records, written by hand (keys in UTF-16 order, no whitespace). */
const MESSY_RECORDS_JCS =
  '[{"content_digest":"2222222222222222222222222222222222222222222222222222222222222222","freshness_sla_seconds":600,' +
  '"immutability":"unknown","query_digest":"1111111111111111111111111111111111111111111111111111111111111111",' +
  '"redaction_mode":"reference","ref_id":"ctx_001","retrieval_params":{"k":3,"q":" x "},' +
  '"retrieved_at":"2026-02-14T00:00:00.5Z","sensitivity_label":"internal","source_locator":"docs://a","source_type":"doc_store"},' +
  '{"content_digest":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","immutability":"immutable",' +
  '"query_digest":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","redaction_mode":"reference",' +
  '"ref_id":"ctx_002","retrieved_at":"2026-02-13T23:50:00Z","source_locator":"docs://b","source_type":"doc_store"}]';
/** sha256sum of MESSY_RECORDS_JCS. */
const MESSY_DIGEST = 'cdb6c3fa7d2a5b230b0fc337b85a92ddb174795e44c8086e357317cb55beb37f';
/** sha256sum of `[]`. */
const EMPTY_DIGEST = '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945';

describe('parseContextEnvelope(): normalization (gate.md §B2)', () => {
  const env = parseContextEnvelope(MESSY);

  it('defaults and checks schema constants, created_at in UTC, producer_version default', () => {
    assert.equal(env.schemaId, 'gait.context.envelope');
    assert.equal(env.schemaVersion, '1.0.0');
    assert.equal(formatTimestamp(env.createdAt), '2026-02-14T00:00:00Z');
    assert.equal(env.producerVersion, '0.0.0-dev');
    assert.equal(env.contextSetId, 'ctx_set_demo');
    assert.equal(env.evidenceMode, 'required');
  });

  it('normalizes and sorts records by (ref_id, source_type, source_locator, content_digest)', () => {
    assert.deepEqual(
      env.records.map((r) => [r.refId, r.sourceLocator, r.redactionMode, r.immutability, formatTimestamp(r.retrievedAt)]),
      [
        ['ctx_001', 'docs://a', 'reference', 'unknown', '2026-02-14T00:00:00.5Z'],
        ['ctx_002', 'docs://b', 'reference', 'immutable', '2026-02-13T23:50:00Z'],
      ],
    );
    assert.equal(env.records[1]?.queryDigest, 'a'.repeat(64));
    assert.equal(env.records[1]?.contentDigest, 'b'.repeat(64));
    assert.deepEqual(env.records[0]?.retrievalParams, { q: ' x ', k: 3 }, 'free object kept as written');
  });

  it('computes context_set_digest = DigestJCS(records) (oracle: canonicalize + sha256)', () => {
    const wire = toContextEnvelopeWire(env);
    assert.equal(oracle(wire['records']), MESSY_RECORDS_JCS);
    assert.equal(sha256(MESSY_RECORDS_JCS), MESSY_DIGEST);
    assert.equal(env.contextSetDigest, MESSY_DIGEST);
    assert.equal(contextSetDigest(env.records), MESSY_DIGEST);
  });

  it('accepts a matching supplied digest in any case and with whitespace', () => {
    assert.equal(parseContextEnvelope({ ...MESSY, context_set_digest: ` ${MESSY_DIGEST.toUpperCase()} ` }).contextSetDigest, MESSY_DIGEST);
  });

  it('no records: the digest of [] and evidence_mode best_effort by default', () => {
    const e = parseContextEnvelope({ context_set_id: 'x' });
    assert.deepEqual(e.records, []);
    assert.equal(sha256(oracle([]) ?? ''), EMPTY_DIGEST);
    assert.equal(e.contextSetDigest, EMPTY_DIGEST);
    assert.equal(e.evidenceMode, 'best_effort');
    assert.equal(formatTimestamp(e.createdAt), '1980-01-01T00:00:00Z');
    assert.equal(formatTimestamp(parseContextEnvelope({ context_set_id: 'x', created_at: '0001-01-01T00:00:00Z' }).createdAt), '1980-01-01T00:00:00Z');
  });

  it('unset retrieved_at becomes 1980-01-01T00:00:00Z; omit-empty members drop out of the digest', () => {
    const empty = { retrieved_at: null, sensitivity_label: '', freshness_sla_seconds: 0, retrieval_params: {} };
    const e = parseContextEnvelope(envelope({ records: [record(empty)] }));
    const jcs =
      '[{"content_digest":"2222222222222222222222222222222222222222222222222222222222222222","immutability":"immutable",' +
      '"query_digest":"1111111111111111111111111111111111111111111111111111111111111111","redaction_mode":"reference",' +
      '"ref_id":"ctx_001","retrieved_at":"1980-01-01T00:00:00Z","source_locator":"docs://a","source_type":"doc_store"}]';
    assert.equal(oracle(toContextEnvelopeWire(e)['records']), jcs);
    assert.equal(e.contextSetDigest, sha256(jcs));
  });

  it('maps member names case-insensitively, exact case winning (gate.md §A1.4)', () => {
    const e = parseContextEnvelope({ Context_Set_ID: 'upper', context_set_id: 'exact', EVIDENCE_MODE: 'required' });
    assert.equal(e.contextSetId, 'exact');
    assert.equal(e.evidenceMode, 'required');
  });

  it('keeps a non-empty producer_version and treats null as absent', () => {
    const e = parseContextEnvelope(envelope({ producer_version: '1.2.3', evidence_mode: null, records: null }));
    assert.equal(e.producerVersion, '1.2.3');
    assert.equal(e.evidenceMode, 'best_effort');
    assert.equal(e.contextSetDigest, EMPTY_DIGEST);
  });

  it('is idempotent: parsing the wire form again gives the same envelope', () => {
    const again = parseContextEnvelope(toContextEnvelopeWire(env));
    assert.deepEqual(toContextEnvelopeWire(again), toContextEnvelopeWire(env));
  });

  it('returns a frozen, trusted value', () => {
    assert.equal(Object.isFrozen(env), true);
    assert.equal(Object.isFrozen(env.records[0]), true);
    assert.equal(isParsedContextEnvelope(env), true);
    assert.equal(isParsedContextEnvelope({ ...env }), false);
  });

  it('refuses a lone surrogate in a record instead of repairing it (ADR 0005)', () => {
    for (const bad of [record({ source_locator: 'docs://\ud800x' }), record({ retrieval_params: { '\udc00': 1 } })]) {
      assert.throws(
        () => parseContextEnvelope(envelope({ records: [bad] })),
        (e: unknown) => isGaitError(e, 'jcs_invalid_value'),
      );
    }
  });
});

describe('parseContextEnvelope(): decoding errors (`parse context envelope: …`)', () => {
  it('rejects a non-object', () => {
    rejects([], 'parse context envelope: context envelope must be a JSON object');
    rejects(null, 'parse context envelope: context envelope must be a JSON object');
  });
  it('rejects unknown members at the top level and in records', () => {
    rejects(envelope({ signature: {} }), 'parse context envelope: unknown member `signature`', 'signature');
    rejects(envelope({ records: [record({ extra: 1 })] }), 'parse context envelope: unknown member `records[0].extra`', 'records[0].extra');
  });
  it('rejects wrong member types', () => {
    rejects(envelope({ context_set_id: 5 }), 'parse context envelope: context_set_id must be a string', 'context_set_id');
    rejects(envelope({ records: {} }), 'parse context envelope: records must be an array', 'records');
    rejects(envelope({ records: [7] }), 'parse context envelope: records[0] must be an object', 'records[0]');
    rejects(envelope({ records: [record({ freshness_sla_seconds: 1.5 })] }), 'parse context envelope: records[0].freshness_sla_seconds must be an integer');
    rejects(envelope({ records: [record({ retrieval_params: [] })] }), 'parse context envelope: records[0].retrieval_params must be an object');
  });
  it('rejects a bad timestamp', () => {
    rejects(envelope({ created_at: 'yesterday' }), 'parse context envelope: created_at must be an RFC 3339 timestamp, got `yesterday`', 'created_at');
    rejects(
      envelope({ records: [record({ retrieved_at: 3 })] }),
      'parse context envelope: records[0].retrieved_at must be an RFC 3339 timestamp string',
    );
  });
});

describe('parseContextEnvelope(): normalization errors', () => {
  it('checks the schema constants', () => {
    rejects(envelope({ schema_id: 'gait.context.other' }), 'unsupported context envelope schema_id: gait.context.other', 'schema_id');
    rejects(envelope({ schema_version: '1.0.1' }), 'unsupported context envelope schema_version: 1.0.1', 'schema_version');
  });
  it('requires context_set_id', () => {
    rejects(envelope({ context_set_id: '  ' }), 'context_set_id is required', 'context_set_id');
    rejects({}, 'context_set_id is required');
  });
  it('checks evidence_mode', () => {
    rejects(envelope({ evidence_mode: 'strict' }), 'context evidence mode must be best_effort or required', 'evidence_mode');
  });
  it('checks every record', () => {
    for (const field of ['ref_id', 'source_type', 'source_locator', 'redaction_mode']) {
      rejects(
        envelope({ records: [record(), record({ [field]: ' ' })] }),
        'context record fields ref_id/source_type/source_locator/redaction_mode are required',
        'records[1]',
      );
    }
    rejects(envelope({ records: [record({ query_digest: 'abc' })] }), 'context record digests must be sha256 hex', 'records[0]');
    rejects(envelope({ records: [record({ content_digest: undefined })] }), 'context record digests must be sha256 hex', 'records[0]');
    rejects(envelope({ records: [record({ immutability: 'frozen' })] }), 'context record immutability must be unknown|mutable|immutable');
    rejects(envelope({ records: [record({ freshness_sla_seconds: -1 })] }), 'context record freshness_sla_seconds must be >= 0');
  });
  it('checks a supplied context_set_digest', () => {
    rejects(envelope({ context_set_digest: 'sha256:abc' }), 'context_set_digest must be sha256 hex', 'context_set_digest');
    rejects(envelope({ context_set_digest: 'a'.repeat(64) }), 'context_set_digest mismatch', 'context_set_digest');
  });
  it('the Gait v1 valid sample is schema-valid but not self-consistent (its digest is a placeholder)', () => {
    rejects(load('context_envelope_valid.json'), 'context_set_digest mismatch');
    const { context_set_digest: _placeholder, ...rest } = load('context_envelope_valid.json');
    const e = parseContextEnvelope(rest);
    assert.equal(e.contextSetDigest, '8c3deb5e350ef67c69d900d59f5a535f9913f4fdb4fc1333e4df4d8ebda49ec5');
    assert.equal(e.contextSetDigest, sha256(oracle(toContextEnvelopeWire(e)['records']) ?? ''));
  });
  it('the Gait v1 invalid sample fails on its empty context_set_id', () => {
    rejects(load('context_envelope_invalid.json'), 'context_set_id is required');
  });
});

describe('assertVerifiedContextEnvelope()', () => {
  const env = parseContextEnvelope(MESSY);
  it('trusts parsed envelopes and re-checks hand-built ones', () => {
    assertVerifiedContextEnvelope(env);
    assertVerifiedContextEnvelope({ ...env });
    const forged: ContextEnvelope = { ...env, contextSetDigest: 'c'.repeat(64) };
    assert.throws(
      () => assertVerifiedContextEnvelope(forged),
      (e: unknown) => isGaitError(e, 'artifact_invalid') && e.message === 'verify context envelope: context_set_digest mismatch',
    );
    const badMode = { ...env, evidenceMode: 'strict' } as unknown as ContextEnvelope;
    assert.throws(
      () => assertVerifiedContextEnvelope(badMode),
      (e: unknown) => isGaitError(e, 'artifact_invalid') && e.message === 'verify context envelope: context evidence mode must be best_effort or required',
    );
  });
});

describe('schemas/v1/context/envelope.schema.json (gait.context.envelope)', () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormatsModule.default(ajv, ['date-time']);
  const validate = ajv.compile(SCHEMAS['gait.context.envelope']);

  it('accepts context_envelope_valid.json', () => {
    assert.equal(validate(load('context_envelope_valid.json')), true, JSON.stringify(validate.errors));
  });
  it('rejects context_envelope_invalid.json (empty context_set_id)', () => {
    assert.equal(validate(load('context_envelope_invalid.json')), false);
    assert.deepEqual(
      validate.errors?.map((e) => `${e.instancePath} ${e.message ?? ''}`),
      ['/context_set_id must NOT have fewer than 1 characters'],
    );
  });
  it('accepts the normalized wire form gait writes', () => {
    const wire = toContextEnvelopeWire(parseContextEnvelope(MESSY));
    assert.equal(validate(wire), true, JSON.stringify(validate.errors));
  });
  it('rejects unknown members (closed objects)', () => {
    const sample = load('context_envelope_valid.json');
    assert.equal(validate({ ...sample, extra: 1 }), false);
    const records = sample['records'] as Record<string, unknown>[];
    assert.equal(validate({ ...sample, records: [{ ...records[0], extra: 1 }] }), false);
  });
});
