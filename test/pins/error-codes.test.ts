/**
 * Pin: the error-code table of src/errors/codes.ts (STYLE.md §4) as literals: every code, its category,
 * whether it is retryable (gate.md §A13: only network_transient and state_contention) and its exit code.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, isRetryableCategory } from '../../src/errors/codes.js';
import type { ErrorCategory, ErrorCode } from '../../src/errors/codes.js';
import { GaitError } from '../../src/errors/error.js';
import { toErrorReport } from '../../src/transports/cli/output.js';

/** code → [category, exit code] */
const CODES: Readonly<Record<string, readonly [string, number]>> = {
  input_usage: ['invalid_input', 6],
  input_json: ['invalid_input', 6],
  input_encoding: ['invalid_input', 6],
  input_too_large: ['invalid_input', 6],
  input_empty: ['invalid_input', 6],
  input_path: ['invalid_input', 6],
  input_intent: ['invalid_input', 6],
  input_unsupported_feature: ['invalid_input', 6],
  input_time: ['invalid_input', 6],
  input_tool_call: ['invalid_input', 6],
  policy_parse: ['invalid_input', 6],
  policy_invalid: ['invalid_input', 6],
  policy_legacy: ['invalid_input', 6],
  policy_profile: ['invalid_input', 6],
  jcs_invalid_value: ['invalid_input', 6],
  sig_key_invalid: ['invalid_input', 6],
  sig_key_missing: ['invalid_input', 6],
  storage_key_exists: ['invalid_input', 6],
  sig_invalid_envelope: ['invalid_input', 6],
  artifact_invalid: ['invalid_input', 6],
  artifact_verification_failed: ['verification_failed', 2],
  artifact_zip_invalid: ['verification_failed', 2],
  artifact_zip_unsafe: ['verification_failed', 2],
  artifact_zip_limit: ['verification_failed', 2],
  storage_io: ['io_failure', 1],
  storage_contention: ['state_contention', 1],
  export_io: ['io_failure', 1],
  internal_dependency_missing: ['dependency_missing', 7],
  internal_unsafe_operation: ['unsafe_blocked', 8],
  internal_failure: ['internal_failure', 1],
};

const CATEGORIES = [
  'invalid_input',
  'verification_failed',
  'internal_failure',
  'io_failure',
  'state_contention',
  'network_transient',
  'network_permanent',
  'dependency_missing',
  'unsafe_blocked',
];

describe('pin: error codes (src/errors/codes.ts)', () => {
  it('has exactly the pinned codes, in table order', () => {
    assert.deepEqual(Object.keys(ERROR_CODES), Object.keys(CODES));
  });

  for (const [code, [category, exit]] of Object.entries(CODES)) {
    it(`${code} → ${category}, exit ${exit}`, () => {
      assert.equal(ERROR_CODES[code as ErrorCode].category, category);
      const err = new GaitError(code as ErrorCode, 'x');
      assert.equal(err.category, category);
      assert.equal(err.retryable, category === 'state_contention');
      assert.equal(typeof err.hint === 'string' && err.hint !== '', true, 'every code has a default hint');
      assert.equal(toErrorReport(err, 'cid').exitCode, exit);
    });
  }

  it('only network_transient and state_contention are retryable (§A13)', () => {
    assert.deepEqual(
      CATEGORIES.filter((c) => isRetryableCategory(c as ErrorCategory)),
      ['state_contention', 'network_transient'],
    );
  });

  it(
    'every code carries a STYLE.md §3 layer prefix',
    () => {
      const prefixes = /^(input|policy|jcs|sig|artifact|approval|storage|export|transport|internal)_/;
      assert.deepEqual(Object.keys(ERROR_CODES).filter((c) => !prefixes.test(c)), []);
    },
  );
});
