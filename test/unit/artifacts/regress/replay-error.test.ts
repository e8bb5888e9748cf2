/**
 * An evaluator that throws during replay never passes a grader, even for a fixture that expects the
 * recorded call to have ended in `error` (a grader error must not count as pass).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gradeGateReplay, gradeTrajectory } from '../../../../src/artifacts/regress/graders-replay.js';
import type { ReplayedLine } from '../../../../src/artifacts/regress/graders-replay.js';
import type { RunpackLoad } from '../../../../src/artifacts/regress/evidence.js';
import type { ReplayedDecision } from '../../../../src/artifacts/regress/replay.js';
import type { Fixture } from '../../../../src/artifacts/regress/types.js';

const FIXTURE = {
  expectedDecisions: [{ intentId: 'intent_1', toolName: 'tool.fetch', argsDigest: 'a'.repeat(64), verdict: 'error' }],
  expectedToolSequence: ['tool.fetch'],
  expectedVerdictSequence: ['error'],
} as unknown as Fixture;
const NO_RUNPACK = { ok: false } as unknown as RunpackLoad;

function line(thrown: boolean): ReplayedLine {
  const decision: ReplayedDecision = {
    toolName: 'tool.fetch',
    argsDigest: 'a'.repeat(64),
    intentDigest: '',
    verdict: 'error',
    reasonCodes: [],
    violations: [],
    matchedRule: '',
    error: 'boom',
    thrown,
  };
  return { line: { intentId: 'intent_1', intent: {} }, decision };
}

describe('replay errors', () => {
  it('a recorded error that replays as an invalid intent (not a throw) still matches', () => {
    assert.equal(gradeGateReplay({ fixture: FIXTURE, replayed: [line(false)], runpack: NO_RUNPACK, policyDigest: 'p' }).status, 'pass');
    assert.equal(gradeTrajectory(FIXTURE, [line(false)]).status, 'pass');
  });

  it('an evaluator that threw fails gate_replay and trajectory with replay_error', () => {
    const replay = gradeGateReplay({ fixture: FIXTURE, replayed: [line(true)], runpack: NO_RUNPACK, policyDigest: 'p' });
    assert.deepEqual([replay.status, replay.reasonCodes], ['fail', ['replay_error']]);
    const trajectory = gradeTrajectory(FIXTURE, [line(true)]);
    assert.deepEqual([trajectory.status, trajectory.reasonCodes], ['fail', ['replay_error']]);
  });
});
