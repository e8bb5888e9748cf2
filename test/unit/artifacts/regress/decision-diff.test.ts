import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decisionDiffLine, groupVerdictChanges, toDecisionDiffJson } from '../../../../src/artifacts/regress/decision-diff.js';

describe('groupVerdictChanges()', () => {
  it('groups verdict changes by tool, transition and candidate reasons; drops reason-only changes', () => {
    const groups = groupVerdictChanges([
      { source: 'b.json', toolName: 'tool.write', baselineVerdict: 'allow', candidateVerdict: 'block', candidateReasonCodes: ['write_blocked'] },
      { source: 'run.zip#intent_2', toolName: 'tool.fetch', baselineVerdict: 'allow', candidateVerdict: 'block', candidateReasonCodes: ['default_block'] },
      { source: 'a.json', toolName: 'tool.write', baselineVerdict: 'allow', candidateVerdict: 'block', candidateReasonCodes: ['write_blocked'] },
      { source: 'c.json', toolName: 'tool.write', baselineVerdict: 'allow', candidateVerdict: 'allow', candidateReasonCodes: ['other'] },
      { source: 'd.json', toolName: 'tool.write', baselineVerdict: 'block', candidateVerdict: 'require_approval', candidateReasonCodes: [] },
    ]);
    assert.deepEqual(groups.map(toDecisionDiffJson), [
      { tool_name: 'tool.fetch', baseline_verdict: 'allow', candidate_verdict: 'block', candidate_reason_codes: ['default_block'], count: 1, calls: ['run.zip#intent_2'] },
      { tool_name: 'tool.write', baseline_verdict: 'allow', candidate_verdict: 'block', candidate_reason_codes: ['write_blocked'], count: 2, calls: ['a.json', 'b.json'] },
      { tool_name: 'tool.write', baseline_verdict: 'block', candidate_verdict: 'require_approval', candidate_reason_codes: [], count: 1, calls: ['d.json'] },
    ]);
    assert.deepEqual(groups.map(decisionDiffLine), [
      'tool.fetch: allow -> block (default_block) x1',
      'tool.write: allow -> block (write_blocked) x2',
      'tool.write: block -> require_approval x1',
    ]);
  });
});
