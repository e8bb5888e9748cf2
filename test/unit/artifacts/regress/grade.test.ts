import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gradeFixture, sortGraderResults } from '../../../../src/artifacts/regress/grade.js';
import type { FixtureInput } from '../../../../src/artifacts/regress/grade.js';
import type { Fixture } from '../../../../src/artifacts/regress/types.js';
import { DEMO_ARGS_DIGESTS, DEMO_POLICY_YAML, DEMO_TOOLS, DRIFTED_POLICY_YAML, demoIntent, evidence, evidenceIntent, evidenceResult, loaded, policyOf } from './helpers.js';

const IDS = ['intent_1', 'intent_2', 'intent_3'];

function demoFixture(overrides: Partial<Fixture> = {}): Fixture {
  return {
    name: 'run_demo',
    runId: 'run_demo',
    runpack: 'runpack.zip',
    intents: 'intents.jsonl',
    expectedDecisions: IDS.map((intentId, i) => ({
      intentId,
      toolName: DEMO_TOOLS[i] as string,
      argsDigest: DEMO_ARGS_DIGESTS[i] as string,
      verdict: 'allow' as const,
      reasonCodes: ['demo_tool_allowed'],
      violations: [],
    })),
    expectedReplayExitCode: 0,
    expectedToolSequence: [...DEMO_TOOLS],
    expectedVerdictSequence: ['allow', 'allow', 'allow'],
    ...overrides,
  };
}

function input(policyYaml: string, overrides: Partial<FixtureInput> = {}): FixtureInput {
  return {
    fixture: demoFixture(),
    lines: IDS.map((intentId, i) => ({ intentId, intent: demoIntent(i) })),
    runpack: loaded(
      evidence({
        intents: IDS.map((id, i) => evidenceIntent(id, DEMO_TOOLS[i] as string, DEMO_ARGS_DIGESTS[i] as string)),
        results: IDS.map((id) => evidenceResult(id)),
      }),
    ),
    candidate: { state: 'absent' },
    policy: policyOf(policyYaml),
    ...overrides,
  };
}

const OPTIONS = { enforce: false, allowRuntimeDrift: false };

function summary(results: ReturnType<typeof gradeFixture>): [string, string, readonly string[]][] {
  return sortGraderResults(results).map((g) => [g.name, g.status, g.reasonCodes]);
}

describe('gradeFixture()', () => {
  it('passes every grader when the current policy decides as recorded', () => {
    assert.deepEqual(summary(gradeFixture(input(DEMO_POLICY_YAML), OPTIONS)), [
      ['run_demo/expected_exit_code', 'pass', []],
      ['run_demo/gate_replay', 'pass', ['gate_replay_match']],
      ['run_demo/schema_validation', 'pass', []],
      ['run_demo/trajectory', 'pass', ['trajectory_match']],
    ]);
  });

  it('fails gate_replay and trajectory when a policy change turns a recorded allow into block', () => {
    const results = gradeFixture(input(DRIFTED_POLICY_YAML), OPTIONS);
    assert.deepEqual(summary(results), [
      ['run_demo/expected_exit_code', 'pass', []],
      ['run_demo/gate_replay', 'fail', ['unexpected_reason_codes', 'unexpected_verdict']],
      ['run_demo/schema_validation', 'pass', []],
      ['run_demo/trajectory', 'fail', ['unexpected_verdict_sequence']],
    ]);
    const replay = results.find((g) => g.grader === 'gate_replay');
    const decisions = replay?.details['decisions'] as Record<string, unknown>[];
    assert.deepEqual(
      decisions.map((d) => [d['intent_id'], d['tool_name'], d['expected_verdict'], d['actual_verdict'], d['actual_reason_codes'], d['mismatches']]),
      [
        ['intent_1', 'tool.search', 'allow', 'allow', ['demo_tool_allowed'], undefined],
        ['intent_2', 'tool.fetch', 'allow', 'block', ['default_block'], ['unexpected_verdict', 'unexpected_reason_codes']],
        ['intent_3', 'tool.summarize', 'allow', 'allow', ['demo_tool_allowed'], undefined],
      ],
    );
    assert.equal(replay?.details['fixture'], 'run_demo');
    assert.equal(replay?.details['run_id'], 'run_demo');
    const trajectory = results.find((g) => g.grader === 'trajectory');
    assert.deepEqual(trajectory?.details, { mismatch_index: 1, expected: 'allow', actual: 'block', fixture: 'run_demo', run_id: 'run_demo' });
  });

  it('fails gate_replay with fixture_intents_missing when the fixture has no intents.jsonl (a Gait v1 fixture)', () => {
    const { expectedToolSequence: _t, expectedVerdictSequence: _v, ...v1 } = demoFixture({ expectedDecisions: [] });
    const results = gradeFixture(input(DEMO_POLICY_YAML, { lines: undefined, fixture: v1 }), OPTIONS);
    assert.deepEqual(summary(results).find(([n]) => n === 'run_demo/gate_replay'), ['run_demo/gate_replay', 'fail', ['fixture_intents_missing']]);
  });

  it('reports lines without expectations, expectations without lines and evidence mismatches', () => {
    const lines = [
      { intentId: 'intent_1', intent: demoIntent(0) },
      { intentId: 'intent_2', intent: { ...demoIntent(1), args: { url: 'https://elsewhere.example' } } },
      { intentId: 'intent_9', intent: demoIntent(2) },
    ];
    const results = gradeFixture(input(DEMO_POLICY_YAML, { lines, fixture: demoFixture({ expectedToolSequence: [], expectedVerdictSequence: [] }) }), OPTIONS);
    assert.deepEqual(summary(results).find(([n]) => n.endsWith('gate_replay')), [
      'run_demo/gate_replay',
      'fail',
      ['fixture_evidence_mismatch', 'fixture_expectation_missing', 'fixture_intent_missing'],
    ]);
  });

  it('turns a bad evaluation time into grader_error on the replay graders', () => {
    const results = gradeFixture(input(DEMO_POLICY_YAML, { fixture: demoFixture({ evaluationTime: 'not a time' }) }), OPTIONS);
    const replay = results.find((g) => g.grader === 'gate_replay');
    assert.deepEqual(replay?.reasonCodes, ['grader_error']);
    assert.match(String(replay?.details['error']), /not a time/);
  });

  it('fails schema_validation and expected_exit_code on a runpack that could not be read', () => {
    const results = gradeFixture(input(DEMO_POLICY_YAML, { runpack: { ok: false, reason: 'hash_mismatch', error: 'runpack hash mismatch', hashMismatches: 1 } }), OPTIONS);
    assert.deepEqual(summary(results).filter(([n]) => !n.endsWith('trajectory')), [
      ['run_demo/expected_exit_code', 'fail', ['replay_error']],
      ['run_demo/gate_replay', 'pass', ['gate_replay_match']],
      ['run_demo/schema_validation', 'fail', ['hash_mismatch']],
    ]);
  });

  it('runs diff only with a candidate and context_conformance only when asked', () => {
    const base = input(DEMO_POLICY_YAML);
    const names = (r: ReturnType<typeof gradeFixture>): string[] => r.map((g) => g.grader);
    assert.deepEqual(names(gradeFixture(base, OPTIONS)), ['schema_validation', 'expected_exit_code', 'gate_replay', 'trajectory']);
    assert.deepEqual(names(gradeFixture(base, { enforce: true, allowRuntimeDrift: false })).slice(4), ['context_conformance']);
    const withCandidate = { ...base, fixture: demoFixture({ candidateRunpack: 'candidate.zip' }) };
    assert.deepEqual(names(gradeFixture(withCandidate, OPTIONS)).slice(4), ['diff']);
  });
});
