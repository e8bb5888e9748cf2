/**
 * Pin: the gate.md §A13 exit-code table (STYLE.md §4 "exit codes are API"), literally. Each exit is
 * produced by a real in-process CLI run where one exists, and through the mapping functions of
 * src/transports/cli/exit.ts (and the error renderer) for the rest.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorCategory } from '../../src/errors/codes.js';
import { GaitError } from '../../src/errors/error.js';
import type { Verdict } from '../../src/policy/model.js';
import { envelopeDefaults, EXIT, exitCodeForCategory, exitCodeForVerdict } from '../../src/transports/cli/exit.js';
import { toErrorReport } from '../../src/transports/cli/output.js';
import { gait, jsonLine, V4_PRIVATE_KEY, workspace } from '../e2e/support.js';

/** §A13: exit → [error_code, error_category, hint] */
const A13: Readonly<Record<number, readonly [string, string, string]>> = {
  1: ['internal_failure', 'internal_failure', 'retry after checking local environment and logs'],
  2: ['verification_failed', 'verification_failed', 're-run verify after checking artifact integrity'],
  3: ['policy_blocked', 'policy_blocked', 'inspect reason_codes and adjust policy or intent'],
  4: ['approval_required', 'approval_required', 'provide a valid approval token and retry'],
  5: ['regress_failed', 'internal_failure', 'retry after checking local environment and logs'],
  6: ['invalid_input', 'invalid_input', 'check command usage and input schema'],
  7: ['dependency_missing', 'dependency_missing', 'install or configure the missing dependency and retry'],
  8: ['unsafe_operation', 'internal_failure', 'pass explicit unsafe flags only for approved replay paths'],
};

const CATEGORY_EXIT: Readonly<Record<string, number>> = {
  invalid_input: 6,
  verification_failed: 2,
  internal_failure: 1,
  io_failure: 1,
  state_contention: 1,
  network_transient: 1,
  network_permanent: 1,
  dependency_missing: 7,
  unsafe_blocked: 8,
};

const EVAL = ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json', '--key-mode', 'prod', '--private-key', V4_PRIVATE_KEY];

/** The §A13 envelope members of an error output. */
function envelopeOf(out: Record<string, unknown>): readonly unknown[] {
  return [out['error_code'], out['error_category'], out['hint'], out['retryable']];
}

describe('pin: §A13 exit codes (mapping functions)', () => {
  it('EXIT names the nine codes 0–8', () => {
    assert.deepEqual(
      { ...EXIT },
      { ok: 0, internal: 1, verificationFailed: 2, blocked: 3, approvalRequired: 4, regressFailed: 5, invalidInput: 6, dependencyMissing: 7, unsafeOperation: 8 },
    );
  });

  for (const [exit, [code, category, hint]] of Object.entries(A13)) {
    it(`exit ${exit} → error_code ${code}, error_category ${category}`, () => {
      assert.deepEqual({ ...envelopeDefaults(Number(exit)) }, { error_code: code, error_category: category, hint });
    });
  }

  it('categories map to exits with an exhaustive switch', () => {
    for (const [category, exit] of Object.entries(CATEGORY_EXIT)) {
      assert.equal(exitCodeForCategory(category as ErrorCategory), exit, category);
    }
  });

  it('verdicts have their own mapping: allow/dry_run 0, block 3, require_approval 4, unknown most restrictive (D1)', () => {
    const verdicts: Record<string, number> = { allow: 0, dry_run: 0, block: 3, require_approval: 4, permit: 3 };
    for (const [verdict, exit] of Object.entries(verdicts)) assert.equal(exitCodeForVerdict(verdict as Verdict), exit, verdict);
  });

  it('classified errors without a CLI path: state_contention (retryable), dependency_missing, unsafe_operation', () => {
    const cases: readonly (readonly [GaitError, number, readonly unknown[]])[] = [
      [new GaitError('storage_contention', 'state file is locked'), 1, ['internal_failure', 'state_contention', A13[1]?.[2], true]],
      [new GaitError('internal_dependency_missing', 'cedar is not installed'), 7, [...(A13[7] ?? []), false]],
      [new GaitError('internal_unsafe_operation', 'replay needs --unsafe'), 8, [...(A13[8] ?? []), false]],
    ];
    for (const [err, exit, envelope] of cases) {
      const report = toErrorReport(err, 'cid');
      assert.equal(report.exitCode, exit, err.code);
      assert.deepEqual(envelopeOf(report.envelope), envelope, err.code);
    }
  });
});

describe('pin: §A13 exit codes (real CLI runs)', () => {
  it('0 allow, 3 block, 4 require_approval from gate eval; no error envelope on decisions', async () => {
    const expected: Readonly<Record<string, number>> = { allow: 0, block: 3, require_approval: 4, dry_run: 0 };
    for (const [verdict, exit] of Object.entries(expected)) {
      const t = workspace();
      writeFileSync(join(t.cwd, 'policy.yaml'), `default_verdict: ${verdict}\n`);
      const run = await gait(t, ...EVAL);
      assert.equal(run.code, exit, verdict);
      const out = jsonLine(run);
      assert.equal(out['ok'], true);
      assert.deepEqual(envelopeOf(out), [undefined, undefined, undefined, undefined]);
    }
  });

  it('6 invalid_input from a usage error', async () => {
    const run = await gait(workspace(), 'gate', 'eval', '--json');
    assert.equal(run.code, 6);
    assert.deepEqual(envelopeOf(jsonLine(run)), [...(A13[6] ?? []), false]);
  });

  it('2 verification_failed from trace verify of a tampered trace', async () => {
    const t = workspace();
    await gait(t, ...EVAL, '--trace-out', 't.json');
    const trace = JSON.parse(readFileSync(join(t.cwd, 't.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(t.cwd, 't.json'), JSON.stringify({ ...trace, verdict: 'allow' }));
    const tampered = await gait(t, 'trace', 'verify', 't.json', '--json', '--private-key', V4_PRIVATE_KEY);
    assert.equal(tampered.code, 2);
    assert.equal(jsonLine(tampered)['ok'], false);
    // The §A13 members for exit 2 are missing from this output: see the todo in test/e2e/trace-verify.test.ts.
  });

  it('1 io_failure from a trace path under a regular file', async () => {
    const t = workspace();
    writeFileSync(join(t.cwd, 'blocker'), 'x');
    const run = await gait(t, ...EVAL, '--trace-out', 'blocker/t.json');
    assert.equal(run.code, 1);
    const out = jsonLine(run);
    assert.deepEqual(envelopeOf(out), ['internal_failure', 'io_failure', A13[1]?.[2], false]);
    assert.match(String(out['error']), /^cannot write `\S*blocker\/t\.json`: a parent path component is not a directory$/);
  });

  it('1 internal_failure from an unexpected failure whose message names a lock (§A12.1)', async () => {
    const t = workspace({ clock: { now: () => { throw new Error('state lock timeout'); } } });
    const run = await gait(t, ...EVAL);
    assert.equal(run.code, 1);
    assert.deepEqual(envelopeOf(jsonLine(run)), [...(A13[1] ?? []), false]);
  });

  it('1 internal_failure for every unclassified failure, never the usage code 6 (ADR 0003)', async () => {
    const t = workspace({ clock: { now: () => { throw new Error('boom'); } } });
    const run = await gait(t, ...EVAL);
    assert.equal(run.code, 1);
    assert.deepEqual(envelopeOf(jsonLine(run)), [...(A13[1] ?? []), false]);
  });
});
