import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gradeExpectedExitCode, gradeSchemaValidation } from '../../../../src/artifacts/regress/graders-evidence.js';
import { stubTypeOf } from '../../../../src/artifacts/runpack/replay.js';
import type { Fixture } from '../../../../src/artifacts/regress/types.js';
import { evidence, evidenceIntent, evidenceResult, loaded } from './helpers.js';

const FIXTURE: Fixture = { name: 'f', runId: 'run_demo', runpack: 'runpack.zip', intents: 'intents.jsonl', expectedDecisions: [], expectedReplayExitCode: 0 };

describe('gradeSchemaValidation()', () => {
  it('passes a complete runpack and counts its records', () => {
    const e = evidence({ intents: [evidenceIntent('i1', 'tool.a', '1'.repeat(64))], results: [evidenceResult('i1')] });
    assert.deepEqual(gradeSchemaValidation(loaded(e)), {
      grader: 'schema_validation',
      status: 'pass',
      reasonCodes: [],
      details: { missing_files: [], hash_mismatches: 0, intent_records: 1, result_records: 1, reference_receipts: 3 },
    });
  });

  it('names every integrity and schema problem', () => {
    const e = evidence({
      missingFiles: ['refs.json'],
      hashMismatches: 2,
      undeclaredFiles: ['extra.txt'],
      manifestSchemaVersion: '2.0.0',
      runSchemaId: 'x',
      refs: { schemaId: '', schemaVersion: '1.0.0', contextSetDigest: '', contextEvidenceMode: '', receiptCount: 0 },
      intents: [{ ...evidenceIntent('i1', 't', ''), schemaId: 'gait.other' }],
      results: [{ ...evidenceResult('i1'), schemaVersion: '0.9' }],
    });
    const g = gradeSchemaValidation(loaded(e));
    assert.equal(g.status, 'fail');
    assert.deepEqual(g.reasonCodes, [
      'missing_files',
      'hash_mismatch',
      'undeclared_files',
      'manifest_schema_invalid',
      'run_schema_invalid',
      'refs_schema_invalid',
      'intent_schema_invalid',
      'result_schema_invalid',
    ]);
    assert.deepEqual(g.details['undeclared_files'], ['extra.txt']);
  });

  it('carries the read failure reason', () => {
    const g = gradeSchemaValidation({ ok: false, reason: 'missing_files', error: 'missing runpack files: run.json', missingFiles: ['run.json'] });
    assert.deepEqual(g.reasonCodes, ['missing_files']);
    assert.deepEqual(g.details, { error: 'missing runpack files: run.json', missing_files: ['run.json'], hash_mismatches: 0 });
  });
});

describe('gradeExpectedExitCode()', () => {
  it('is 0 when every intent has a result or a stub class', () => {
    const e = evidence({ intents: [evidenceIntent('i1', 'tool.search', ''), evidenceIntent('i2', 'http.fetch', '')], results: [evidenceResult('i1')] });
    assert.deepEqual(gradeExpectedExitCode(loaded(e), FIXTURE), {
      grader: 'expected_exit_code',
      status: 'pass',
      reasonCodes: [],
      details: { expected_exit_code: 0, actual_exit_code: 0 },
    });
  });

  it('is 2 with missing results, failing an expectation of 0', () => {
    const e = evidence({ intents: [evidenceIntent('i1', 'tool.search', ''), evidenceIntent('i2', 'tool.summarize', '')], results: [] });
    assert.deepEqual(gradeExpectedExitCode(loaded(e), FIXTURE), {
      grader: 'expected_exit_code',
      status: 'fail',
      reasonCodes: ['unexpected_exit_code'],
      details: { expected_exit_code: 0, actual_exit_code: 2, missing_results: ['i1', 'i2'] },
    });
    assert.equal(gradeExpectedExitCode(loaded(e), { ...FIXTURE, expectedReplayExitCode: 2 }).status, 'pass');
  });

  it('fails with replay_error on duplicate ids or an unreadable runpack', () => {
    const dup = evidence({ intents: [evidenceIntent('i1', 'a', ''), evidenceIntent('i1', 'b', '')] });
    assert.deepEqual(gradeExpectedExitCode(loaded(dup), FIXTURE).reasonCodes, ['replay_error']);
    assert.equal(gradeExpectedExitCode(loaded(dup), FIXTURE).details['error'], 'duplicate intent_id in runpack: i1');
    assert.deepEqual(gradeExpectedExitCode({ ok: false, reason: 'runpack_parse_error', error: 'x' }, FIXTURE).reasonCodes, ['replay_error']);
  });
});

describe('stubTypeOf() (shared with gait run replay)', () => {
  it('classifies by substring, first class wins', () => {
    assert.deepEqual(['HTTP.get', 'fs.write', 'sql.query', 'kafka.publish', 'url_write', 'tool.search'].map(stubTypeOf), ['http', 'file', 'db', 'queue', 'http', undefined]);
  });
});
