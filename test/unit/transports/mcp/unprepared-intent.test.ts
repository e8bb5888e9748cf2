/**
 * An intent that cannot be prepared on an MCP path (gate.md §A5.2 step 2: fail-closed `block`,
 * `fail_closed_intent_invalid` / `intent_not_evaluable`, no prepared digest): `runMcpEval`, which
 * proxy, serve and tool calls share, still signs a trace that verifies. It binds the digest of the
 * normalized intent as received and records the final outcome, emergency stop included. Tool calls
 * carry no context-evidence claims (mcp-and-export.md §1.1), so through `decideToolCall` every
 * intent is prepared and the reported digest is the gate's.
 */
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JobStopState } from '../../../../src/artifacts/mcp/emergency-stop.js';
import { runMcpEval } from '../../../../src/artifacts/mcp/evaluate-call.js';
import { loadPolicy } from '../../../../src/api/policy.js';
import { verifyTrace } from '../../../../src/api/trace.js';
import { verifyKeyOf } from '../../../../src/crypto/keys.js';
import { normalizeIntent } from '../../../../src/schema/v1/intent.js';
import { CASE_KEY, decideCase, ENVELOPE, PROXY_CASES, steppingClock, TRUST, TRUST_POLICY } from './decision-cases.js';
import type { ProxyCaseName } from './decision-cases.js';

const VERIFY_KEY = verifyKeyOf(CASE_KEY);

/** critical (fail-closed) and claiming a context set the startup envelope does not hold */
const CLAIMING_INTENT = {
  tool_name: 'tool.read',
  args: { path: '/w/a.txt' },
  targets: [{ kind: 'path', value: '/w/a.txt', operation: 'read' }],
  arg_provenance: [{ arg_path: '$.path', source: 'user' }],
  context: { identity: 'alice', workspace: '/w', risk_class: 'critical', session_id: 'sess-1', job_id: 'job-1', context_set_digest: 'a'.repeat(64) },
};

/** DigestJCS of the normalized CLAIMING_INTENT (as `gait policy test` reports it) */
const RECEIVED_DIGEST = 'bd03c69fa268b5d6bded0f97bba3a7446475c96c5afc52693a5fd395518f0f55';
const POLICY_DIGEST = '07d33fc11841a13d47edb3af5e7ad8b82b8b4928a2c840413b6d4860af6a43a8';

function decide(job: JobStopState): ReturnType<typeof runMcpEval> {
  return runMcpEval({
    settings: {
      compiled: loadPolicy(TRUST_POLICY),
      trustSnapshot: TRUST,
      contextEnvelope: ENVELOPE,
      signingKey: CASE_KEY,
      clock: steppingClock(),
      correlationId: 'cid-unprepared',
      producerVersion: '0.1.0-test',
      jobState: () => job,
    },
    intent: normalizeIntent(CLAIMING_INTENT),
    server: { serverId: 'fs', serverName: 'Filesystem', publisher: '', source: '' },
  });
}

interface Expected {
  readonly reasonCodes: readonly string[];
  readonly violations: readonly string[];
  readonly stopped: boolean;
  readonly warnings: readonly string[];
}

const CASES: [string, JobStopState, Expected][] = [
  ['job running', { status: 'running' }, { reasonCodes: ['fail_closed_intent_invalid', 'mcp_trust_verified'], violations: ['intent_not_evaluable'], stopped: false, warnings: [] }],
  [
    'job emergency-stopped',
    { status: 'stopped' },
    { reasonCodes: ['emergency_stop_preempted', 'fail_closed_intent_invalid', 'mcp_trust_verified'], violations: ['emergency_stop_active', 'intent_not_evaluable'], stopped: true, warnings: [] },
  ],
  [
    'job status unreadable',
    { status: 'unavailable', error: 'no such file' },
    {
      reasonCodes: ['emergency_stop_state_unavailable', 'fail_closed_intent_invalid', 'mcp_trust_verified'],
      violations: ['emergency_stop_active', 'intent_not_evaluable'],
      stopped: true,
      warnings: ['job_status_unavailable=no such file'],
    },
  ],
];

describe('runMcpEval() with an intent that cannot be prepared', () => {
  for (const [name, job, expected] of CASES) {
    it(`${name}: block, the trace binds the received intent, records the final outcome and verifies`, () => {
      const out = decide(job);
      const r = out.result;
      assert.equal(r.gate.decision.intent, undefined, 'the intent was not prepared');
      assert.equal(r.gate.decision.intentDigest, '');
      assert.deepEqual([r.verdict, r.reasonCodes, r.violations, out.emergencyStopped, out.warnings], ['block', expected.reasonCodes, expected.violations, expected.stopped, expected.warnings]);
      assert.equal(r.intentDigest, RECEIVED_DIGEST);
      assert.equal(r.trace['intent_digest'], RECEIVED_DIGEST);
      assert.equal(r.trace['policy_digest'], POLICY_DIGEST);
      assert.deepEqual([r.trace['verdict'], r.trace['violations']], ['block', expected.violations]);
      const id = createHash('sha256').update(`${POLICY_DIGEST}:${RECEIVED_DIGEST}:block`).digest('hex').slice(0, 24);
      assert.deepEqual([r.traceId, r.trace['trace_id']], [id, id]);
      assert.equal(id, '7615f2dfb14661dd9d621d59');
      const report = verifyTrace(r.trace, VERIFY_KEY);
      assert.deepEqual([report.ok, report.error, report.signatureStatus], [true, '', 'verified']);
    });
  }
});

describe('decideToolCall(): tool calls are always prepared', () => {
  for (const name of Object.keys(PROXY_CASES) as ProxyCaseName[]) {
    it(`${name}: the reported intent digest is the prepared intent's, and the trace verifies`, () => {
      const d = decideCase(PROXY_CASES[name]);
      assert.notEqual(d.result.gate.decision.intent, undefined);
      assert.match(d.result.intentDigest, /^[0-9a-f]{64}$/);
      assert.equal(d.result.intentDigest, d.result.gate.decision.intentDigest);
      assert.equal(d.result.trace['intent_digest'], d.result.intentDigest);
      assert.equal(verifyTrace(d.result.trace, VERIFY_KEY).ok, true);
    });
  }
});

describe('runGateEval (library): an intent that cannot be prepared', () => {
  it('signs a trace that binds the received intent digest and verifies', async () => {
    const { runGateEval } = await import('../../../../src/artifacts/gate/gate-eval.js');
    const result = runGateEval(loadPolicy(TRUST_POLICY), normalizeIntent(CLAIMING_INTENT), {
      evaluationTime: steppingClock().now(),
      clock: steppingClock(),
      signingKey: CASE_KEY,
      producerVersion: '0.1.0-test',
      correlationId: 'cid-lib',
      simulate: false,
      contextEnvelope: ENVELOPE,
    });
    assert.equal(result.verdict, 'block');
    assert.equal(result.trace['intent_digest'], RECEIVED_DIGEST);
    assert.equal(verifyTrace(result.trace, VERIFY_KEY).ok, true);
  });
});
