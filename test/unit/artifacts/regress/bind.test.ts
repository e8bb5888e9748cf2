import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bindIntents, buildExpectations, evaluateInputs, recordedVerdicts } from '../../../../src/artifacts/regress/bind.js';
import { DEMO_ARGS_DIGESTS, DEMO_POLICY_YAML, DEMO_TOOLS, demoIntent, evidenceIntent, evidenceResult, policyOf } from './helpers.js';

const POLICY = policyOf(DEMO_POLICY_YAML);
const RECORDS = [0, 1, 2].map((i) => evidenceIntent(`intent_${i + 1}`, DEMO_TOOLS[i] as string, DEMO_ARGS_DIGESTS[i] as string));

function inputs(order: number[]) {
  return order.map((i) => ({ intentId: '', intent: demoIntent(i), source: `i.jsonl line ${i + 1}` }));
}

describe('bindIntents()', () => {
  it('binds each record to the first unused intent with the same tool and args digest, in record order', () => {
    const evaluated = evaluateInputs(POLICY, inputs([2, 0, 1, 0]), undefined);
    const { bound, unbound } = bindIntents(RECORDS, evaluated, false);
    assert.deepEqual(
      bound.map((b) => [b.intentId, b.evaluated.input.source]),
      [
        ['intent_1', 'i.jsonl line 1'],
        ['intent_2', 'i.jsonl line 2'],
        ['intent_3', 'i.jsonl line 3'],
      ],
    );
    assert.equal(unbound, 1);
  });

  it('refuses a record no intent matches', () => {
    const evaluated = evaluateInputs(POLICY, inputs([0, 1]), undefined);
    assert.throws(() => bindIntents(RECORDS, evaluated, false), { code: 'input_usage', message: 'no intent request matches runpack intent intent_3' });
  });

  it('matches checkpoint records by intent digest', () => {
    const evaluated = evaluateInputs(POLICY, inputs([0]), undefined);
    const record = evidenceIntent('cp_1', 'tool.search', (evaluated[0]?.decision.intentDigest ?? '').toUpperCase());
    assert.equal(bindIntents([record], evaluated, true).bound.length, 1);
    assert.throws(() => bindIntents([record], evaluated, false), /no intent request matches runpack intent cp_1/);
  });

  it('refuses an intent that cannot be evaluated', () => {
    assert.throws(() => evaluateInputs(POLICY, [{ intentId: '', intent: { args: {} }, source: 'x line 1' }], undefined), {
      code: 'input_intent',
      message: 'x line 1: intent cannot be evaluated: tool_name is required',
    });
  });
});

describe('buildExpectations()', () => {
  const { bound } = bindIntents(RECORDS, evaluateInputs(POLICY, inputs([0, 1, 2]), undefined), false);

  it('seeds from the current policy with a warning when nothing else is known', () => {
    const e = buildExpectations(bound, new Map(), undefined);
    assert.deepEqual(e.warnings, ['expectation_seeded_from_current_policy']);
    assert.deepEqual(e.verdictSequence, ['allow', 'allow', 'allow']);
    assert.deepEqual(e.toolSequence, ['tool.search', 'tool.fetch', 'tool.summarize']);
    assert.deepEqual(e.expectedDecisions[0]?.reasonCodes, ['demo_tool_allowed']);
    assert.deepEqual(e.expectedDecisions[0]?.violations, []);
    assert.equal(e.expectedDecisions[0]?.intentDigest?.length, 64);
    assert.deepEqual(e.lines.map((l) => l.intentId), ['intent_1', 'intent_2', 'intent_3']);
  });

  it('prefers --expect, then the recorded verdict, storing reasons only when the evaluation agrees', () => {
    const recorded = recordedVerdicts([evidenceResult('intent_2', 'error', { verdict: 'blocked' }), evidenceResult('intent_2', 'ok', { verdict: 'allow' })]);
    assert.deepEqual([...recorded], [['intent_2', 'block']]);
    const e = buildExpectations(bound, recorded, undefined);
    assert.deepEqual(e.warnings, ['expectation_seeded_from_current_policy']);
    assert.deepEqual(e.expectedDecisions[1], { intentId: 'intent_2', toolName: 'tool.fetch', argsDigest: DEMO_ARGS_DIGESTS[1], verdict: 'block' });
    const forced = buildExpectations(bound, recorded, 'allow');
    assert.deepEqual(forced.warnings, []);
    assert.deepEqual(forced.verdictSequence, ['allow', 'allow', 'allow']);
  });
});
