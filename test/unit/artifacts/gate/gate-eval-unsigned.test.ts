/** `runGateEvalUnsigned()`: the gate pipeline stopped before its trace record is built and signed. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { runGateEval, runGateEvalUnsigned } from '../../../../src/artifacts/gate/gate-eval.js';
import { buildTraceRecord, signTrace } from '../../../../src/artifacts/trace/build.js';
import { loadPolicy } from '../../../../src/api/policy.js';
import { signingKeyFromSeed } from '../../../../src/crypto/keys.js';
import { fixedClock } from '../../../../src/runtime/clock.js';
import { normalizeIntent } from '../../../../src/schema/v1/intent.js';

const KEY = signingKeyFromSeed(new Uint8Array(createHash('sha256').update('gait gate unsigned test key v1').digest()));
const NOW = { seconds: 1_770_249_600, nanos: 0, offsetMinutes: 0 } as const;
const POLICY = loadPolicy(
  'default_verdict: allow\nrules:\n  - {name: approve-delete, effect: require_approval, match: {tool_names: [tool.delete]}, reason_codes: [delete_needs_approval]}\n',
);

function intent(toolName: string) {
  return normalizeIntent({
    tool_name: toolName,
    args: { path: '/w/a.txt' },
    targets: [{ kind: 'path', value: '/w/a.txt', operation: 'delete' }],
    arg_provenance: [{ arg_path: '$.path', source: 'user' }],
    context: { identity: 'alice', workspace: '/w', risk_class: 'high' },
  });
}

const OPTIONS = { evaluationTime: NOW, clock: fixedClock(NOW), producerVersion: '0.1.0-test', correlationId: 'cid-unsigned' };

describe('runGateEvalUnsigned()', () => {
  for (const tool of ['tool.read', 'tool.delete']) {
    it(`${tool}: signing buildTraceRecord(traceInput) gives runGateEval's trace byte for byte`, () => {
      const unsigned = runGateEvalUnsigned(POLICY, intent(tool), OPTIONS);
      const signed = runGateEval(POLICY, intent(tool), { ...OPTIONS, signingKey: KEY, simulate: false });
      assert.equal(JSON.stringify(signTrace(buildTraceRecord(unsigned.traceInput), KEY)), JSON.stringify(signed.trace));
      assert.deepEqual([unsigned.verdict, unsigned.reasonCodes, unsigned.violations], [signed.verdict, signed.reasonCodes, signed.violations]);
    });
  }

  it('require_approval without tokens: the approval step ran, the outcome is not granted', () => {
    const unsigned = runGateEvalUnsigned(POLICY, intent('tool.delete'), OPTIONS);
    assert.equal(unsigned.verdict, 'require_approval');
    assert.deepEqual(unsigned.reasonCodes, ['approval_token_missing', 'delete_needs_approval', 'destructive_apply_requires_approval']);
    assert.deepEqual(unsigned.violations, ['approval_not_granted']);
    assert.equal(unsigned.approval?.granted, false);
    assert.equal(unsigned.traceInput.approvalTokenRef, '');
  });

  it('an allowed intent has no approval step and traces its own outcome', () => {
    const unsigned = runGateEvalUnsigned(POLICY, intent('tool.read'), OPTIONS);
    assert.equal(unsigned.approval, undefined);
    assert.deepEqual([unsigned.traceInput.verdict, unsigned.traceInput.reasonCodes], ['allow', ['default_allow']]);
    assert.equal(unsigned.traceInput.intent, unsigned.decision.intent);
  });
});
