import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixtureJson, parseFixture } from '../../../../src/artifacts/regress/fixture.js';
import type { Fixture } from '../../../../src/artifacts/regress/types.js';

const FIXTURE: Fixture = {
  name: 'run_demo',
  runId: 'run_demo',
  runpack: 'runpack.zip',
  intents: 'intents.jsonl',
  policy: '../../policy.yaml',
  baselinePolicyDigest: 'b'.repeat(64),
  expectedDecisions: [
    { intentId: 'intent_1', toolName: 'tool.search', argsDigest: '1'.repeat(64), verdict: 'allow', reasonCodes: ['demo_tool_allowed'], violations: [], intentDigest: 'c'.repeat(64) },
    { intentId: 'intent_2', toolName: 'tool.fetch', argsDigest: '2'.repeat(64), verdict: 'block' },
  ],
  expectedReplayExitCode: 0,
  expectedToolSequence: ['tool.search', 'tool.fetch'],
  expectedVerdictSequence: ['allow', 'block'],
  contextConformance: 'required',
  expectedContextSetDigest: 'd'.repeat(64),
};

describe('formatFixtureJson()', () => {
  it('writes 2-space JSON in the §4.1 member order, optional members only when set', () => {
    const expected = `{
  "schema_id": "gait.regress.fixture",
  "schema_version": "1.0.0",
  "name": "run_demo",
  "run_id": "run_demo",
  "runpack": "runpack.zip",
  "intents": "intents.jsonl",
  "policy": "../../policy.yaml",
  "baseline_policy_digest": "${'b'.repeat(64)}",
  "expected_decisions": [
    {
      "intent_id": "intent_1",
      "tool_name": "tool.search",
      "args_digest": "${'1'.repeat(64)}",
      "verdict": "allow",
      "reason_codes": [
        "demo_tool_allowed"
      ],
      "violations": [],
      "intent_digest": "${'c'.repeat(64)}"
    },
    {
      "intent_id": "intent_2",
      "tool_name": "tool.fetch",
      "args_digest": "${'2'.repeat(64)}",
      "verdict": "block"
    }
  ],
  "expected_replay_exit_code": 0,
  "expected_tool_sequence": [
    "tool.search",
    "tool.fetch"
  ],
  "expected_verdict_sequence": [
    "allow",
    "block"
  ],
  "context_conformance": "required",
  "expected_context_set_digest": "${'d'.repeat(64)}"
}
`;
    assert.equal(formatFixtureJson(FIXTURE), expected);
  });

  it('round-trips through parseFixture', () => {
    assert.deepEqual(parseFixture(JSON.parse(formatFixtureJson(FIXTURE)), 'fixture.json'), FIXTURE);
  });
});

describe('parseFixture()', () => {
  it('loads a Gait v1 fixture (no intents, no expected decisions) with defaults', () => {
    const v1 = { schema_id: 'gait.regress.fixture', schema_version: '1.0.0', name: 'run_demo', run_id: 'run_demo', runpack: 'runpack.zip', expected_replay_exit_code: 0, candidate_runpack: null };
    assert.deepEqual(parseFixture(v1, 'f.json'), { name: 'run_demo', runId: 'run_demo', runpack: 'runpack.zip', intents: 'intents.jsonl', expectedDecisions: [], expectedReplayExitCode: 0 });
  });

  it('normalizes verdict aliases and matches members case-insensitively (gate.md §A1.4)', () => {
    const f = parseFixture(
      { Name: 'a', RUN_ID: 'r', expected_decisions: [{ intent_id: 'i', verdict: 'Denied' }], expected_verdict_sequence: ['OK', 'blocked'] },
      'f.json',
    );
    assert.equal(f.expectedDecisions[0]?.verdict, 'block');
    assert.deepEqual(f.expectedVerdictSequence, ['allow', 'block']);
  });

  it('rejects wrong schemas, missing identity, bad verdicts and context modes', () => {
    assert.throws(() => parseFixture([], 'f.json'), { code: 'artifact_invalid', message: 'invalid regress fixture `f.json`: must be a JSON object' });
    assert.throws(() => parseFixture({ schema_id: 'gait.x', name: 'a', run_id: 'r' }, 'f.json'), /unsupported schema_id `gait.x`/);
    assert.throws(() => parseFixture({ run_id: 'r' }, 'f.json'), /invalid regress fixture `f.json`: name is required/);
    assert.throws(() => parseFixture({ name: 'a' }, 'f.json'), /run_id is required/);
    assert.throws(() => parseFixture({ name: 'a', run_id: 'r', expected_decisions: [{ intent_id: 'i', verdict: 'meh' }] }, 'f.json'), /invalid verdict `meh` in f.json expected_decisions\[0\]/);
    assert.throws(() => parseFixture({ name: 'a', run_id: 'r', expected_decisions: [{ verdict: 'allow' }] }, 'f.json'), /expected_decisions\[0\].intent_id is required/);
    assert.throws(() => parseFixture({ name: 'a', run_id: 'r', context_conformance: 'always' }, 'f.json'), /context_conformance must be required or none, got `always`/);
    assert.throws(() => parseFixture({ name: 'a', run_id: 'r', evaluation_time: 'yesterday' }, 'f.json'), /evaluation_time must be an RFC 3339 timestamp, got `yesterday`/);
    assert.throws(() => parseFixture({ name: 'a', run_id: 'r', expected_replay_exit_code: '0' }, 'f.json'), { code: 'artifact_invalid', message: 'expected_replay_exit_code must be an integer' });
  });
});
