/** `runRegress` through the public root entry: fixtures in as bytes and text, the report out. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { generateKeyPair, loadPolicy, recordRunpack, runRegress } from '../../../src/index.js';
import type { RegressFixtureInput } from '../../../src/index.js';
import { fixedClock } from '../../../src/runtime/clock.js';
import { DRIFTED_POLICY, intentRequest, POLICY, runRecordInput, TOOLS } from '../../e2e/regress-support.js';

function digestOf(value: unknown): string {
  return createHash('sha256').update(canonicalize(value) ?? '').digest('hex');
}

function fixtureInput(): RegressFixtureInput {
  const built = recordRunpack(runRecordInput('run_demo'), { clock: fixedClock({ seconds: 0, nanos: 0, offsetMinutes: 0 }) });
  const expected = TOOLS.map((tool, i) => ({ intent_id: `intent_${i + 1}`, tool_name: tool, args_digest: digestOf(intentRequest(i)['args']), verdict: 'allow', reason_codes: ['demo_tool_allowed'] }));
  return {
    fixture: { schema_id: 'gait.regress.fixture', name: 'run_demo', run_id: 'run_demo', expected_decisions: expected, expected_replay_exit_code: 0 },
    runpack: built.bytes,
    intents: TOOLS.map((_t, i) => `${JSON.stringify({ intent_id: `intent_${i + 1}`, intent: intentRequest(i) })}\n`).join(''),
  };
}

describe('runRegress()', () => {
  it('passes under the recorded policy and fails under a drifted one, naming fixture and reason', () => {
    const input = fixtureInput();
    const pass = runRegress(loadPolicy(POLICY), [input]);
    assert.equal(pass.status, 'pass');
    assert.deepEqual(pass.graders.map((g) => g.name), ['run_demo/expected_exit_code', 'run_demo/gate_replay', 'run_demo/schema_validation', 'run_demo/trajectory']);
    assert.equal(pass.result['created_at'], '2026-02-05T00:00:00Z');
    assert.equal(pass.resultText.endsWith('}\n'), true);
    const fail = runRegress(loadPolicy(DRIFTED_POLICY), [input]);
    assert.equal(fail.status, 'fail');
    assert.equal(fail.failed, 1);
    assert.equal(fail.topFailureReason, 'unexpected_reason_codes');
    assert.deepEqual(fail.graders.filter((g) => g.status === 'fail').map((g) => [g.name, g.reasonCodes]), [['run_demo/gate_replay', ['unexpected_reason_codes', 'unexpected_verdict']]]);
    assert.match(fail.junit, /<testcase name="gate_replay" classname="run_demo" time="0">\n {6}<failure message="unexpected_reason_codes,unexpected_verdict" type="regress_failure">/);
    // a per-fixture policy wins over the one given for all
    assert.equal(runRegress(loadPolicy(DRIFTED_POLICY), [{ ...input, policy: loadPolicy(POLICY) }]).status, 'pass');
  });

  it('signs the result with a signing key', () => {
    const signingKey = generateKeyPair();
    const report = runRegress(loadPolicy(POLICY), [fixtureInput()], { signingKey, fixtureSet: 'ci' });
    const signature = report.result['signature'] as Record<string, string>;
    assert.equal(signature['key_id'], signingKey.keyId);
    assert.equal(report.fixtureSet, 'ci');
    assert.match(report.junit, /<testsuite name="gait.regress.ci" /);
  });

  it('refuses no fixtures and a runpack of another run', () => {
    assert.throws(() => runRegress(loadPolicy(POLICY), []), { code: 'artifact_invalid', message: 'no fixtures configured' });
    const input = fixtureInput();
    const other = { ...input, fixture: { ...(input.fixture as object), run_id: 'run_other' } };
    assert.throws(() => runRegress(loadPolicy(POLICY), [other]), /runpack has run_id `run_demo`, the fixture says `run_other`/);
  });
});
