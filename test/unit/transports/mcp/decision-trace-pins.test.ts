/**
 * The MCP decision path signs each decision's trace once (mcp-and-export.md §4 steps 6-8, §5.6):
 * gate pipeline, MCP server trust and the emergency stop assemble one unsigned record, then one
 * Ed25519 signature. The expected traces below were computed with the earlier code, which signed
 * the gate's trace and re-signed it after trust and after the emergency stop (`signaturesBefore`);
 * the single-signature path must reproduce them byte for byte. One pin was changed deliberately
 * since: the trace of an intent that cannot be prepared (`intentUnpreparedEmergencyStopped`) now
 * binds a valid intent digest and the final outcome, and verifies; every pinned trace verifies.
 */
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { verifyKeyOf } from '../../../../src/crypto/keys.js';
import { verifyTrace } from '../../../../src/api/trace.js';
import { runGateEval } from '../../../../src/artifacts/gate/gate-eval.js';
import { loadPolicy } from '../../../../src/api/policy.js';
import { fixedClock } from '../../../../src/runtime/clock.js';
import { normalizeIntent } from '../../../../src/schema/v1/intent.js';
import { intentDigest } from '../../../../src/schema/v1/intent-digest.js';
import { CASE_KEY, countingKey, decideCase, PLAIN_POLICY, PROXY_CASES, SERVE_CASES, serveCase, traceFacts } from './decision-cases.js';
import type { ProxyCaseName, ServeCaseName } from './decision-cases.js';

interface Pinned {
  readonly trace: Record<string, string>;
  readonly reasonCodes: readonly string[];
  readonly violations: readonly string[];
  /** Ed25519 signatures per decision before single signing (trace, trust re-sign, stop re-sign, approval audit) */
  readonly signaturesBefore: number;
}

/** `gait mcp proxy` decisions (`decideToolCall`, stepping clock, producer version `0.1.0-test`). */
const PROXY_PINS: Record<ProxyCaseName, Pinned> = {
  plainAllow: {
    trace: {
      trace_id: '5b4ff182b44828c2d4df90a7',
      verdict: 'allow',
      signed_digest: 'e5d68cb92067e9e222f4556eeba99a7820871f41f5c2390d3456a0f06c955ec8',
      sig: 'nunhdHchvMUHVXvlvl/Wfe+bbHc0wf08vQrrAkVl3NTC9WodMGVh5vi/65Iv0zMxLXYe1HXdT0XD92+ukdBdCw==',
      json_sha256: '4ce520eba3a1b8e1f7dae7ab352a326f10fbb745b376fdabbd57bdcb72ea749a',
    },
    reasonCodes: ['default_allow'],
    violations: [],
    signaturesBefore: 1,
  },
  trustBlock: {
    trace: {
      trace_id: 'e3f8903e1654561be0c20b23',
      verdict: 'block',
      signed_digest: '2cd0ef1dcef31482d203d1e13fb2c9ee5f70f0b3028af4f83b5d5454528f36d6',
      sig: 'AiDEkPS3TlkRVV0gTf+56yY9skySug3s0umqY+YDJY1qIRtiDiF5RZ9DcP2u6ZaKF3VWQP5k3NCmvHHBP0VvDw==',
      json_sha256: '79c8fb25cfde9e9d37ba4bf6e3ae5a02fcc1adab243ae2376c474d7b7f6dbe3e',
    },
    reasonCodes: ['default_allow', 'mcp_trust_server_unknown'],
    violations: ['mcp_trust_policy'],
    signaturesBefore: 2,
  },
  trustAllow: {
    trace: {
      trace_id: '12a61ae436a944b331e8dcbc',
      verdict: 'allow',
      signed_digest: 'a48e7d443077adae5c49d1934e51f2978d374ec6852199e186cb1ac6e211954f',
      sig: 'sm5NHLKNEPei6P/8ntgqKaR8cO0wUoTn0bCjmEICkW6bghSHBSUZWCFZdQ84IvEqv7aI8LuPEVYWBIavBZnNBA==',
      json_sha256: 'ede65c1041ef28480422a38b303295e343d48f12eee774b74772fe0fc528613b',
    },
    reasonCodes: ['default_allow', 'mcp_trust_verified'],
    violations: [],
    signaturesBefore: 2,
  },
  trustEmergencyStopped: {
    trace: {
      trace_id: '0aff8679f5821c612c702bef',
      verdict: 'block',
      signed_digest: 'f7ce3a300d892e57a9c799cba45d975ab8ed4db97cb33401d40b9f45b1437ab0',
      sig: 'pW6yuVf5J+UQEYDA2bfj+pETWZJWUSxXtMIteNPpcu4hSRoTu9REAtkWrcwCbsxs8wi/cjoZ5IIYOztQZ98QAg==',
      json_sha256: 'a631494b3acc279a5764b769ddc24c9627798c4f4ee073391761440da74fdc72',
    },
    reasonCodes: ['default_allow', 'emergency_stop_preempted', 'mcp_trust_verified'],
    violations: ['emergency_stop_active'],
    signaturesBefore: 3,
  },
  plainEmergencyStopped: {
    trace: {
      trace_id: 'd5e679cb0ba6ed3ce6224e23',
      verdict: 'block',
      signed_digest: '07a9d612f0f6ba3f1ececb60c7cd6cfaacb5ef933c34d259c6bbf821850ecf90',
      sig: 'DWAzpXn/hq2hdToF65Kl3DxiS3q2DunDnhnN5+ki61SGnS1qYSW+y4QI4zgXA/nHsmRLqGWH0mOqRk7hor84Aw==',
      json_sha256: '91ce2e497962baaddab0b0c2f936e25b1645069498bde8dadee4842ba8ed5059',
    },
    reasonCodes: ['default_allow', 'emergency_stop_preempted'],
    violations: ['emergency_stop_active'],
    signaturesBefore: 2,
  },
  trustBlockJobUnavailable: {
    trace: {
      trace_id: '0aff8679f5821c612c702bef',
      verdict: 'block',
      signed_digest: '0d9587e1aeae5298896ff725c7ede00d7ae44f11e58ad3d1b4a8126979f28c75',
      sig: 'PUhbZYwP96EIYHp49HZWqQ4G6dvOXxdVIsJ//Qie9ymdmtXF5L93Emvpm+brqPh9gNwA+UvwIJkno7CfQS1DCw==',
      json_sha256: '4f112e591bc6fc98607c7f57698e449f753fa41acd17bdc0b52c2994e468ab2f',
    },
    reasonCodes: ['default_allow', 'emergency_stop_state_unavailable', 'mcp_trust_server_unknown'],
    violations: ['emergency_stop_active', 'mcp_trust_policy'],
    signaturesBefore: 3,
  },
  trustRequireApproval: {
    trace: {
      trace_id: 'dd6ebc77ae2e6d65e097acce',
      verdict: 'require_approval',
      signed_digest: '5a9c6a9fbfee8b373df3831998a61645cfe99ca7efcaeac32a3df080dd0c4248',
      sig: 'TV0l6NZmux4VY1ciEro5JT6KW8QAYS68haDMt8h0UKY+ZhWLzwANqaORASETqlqRFE3jj65wgp/gPIjQa4lHDw==',
      json_sha256: '0243f6ab6e733d987d059f34a8850631e9b7128ba11b23138a0ac99d60201cb1',
    },
    reasonCodes: ['approval_token_missing', 'delete_needs_approval', 'mcp_trust_verified'],
    violations: ['approval_not_granted'],
    signaturesBefore: 3,
  },
  envelopeEmergencyStopped: {
    trace: {
      trace_id: '2dc42c3367396cbebe61fbce',
      verdict: 'block',
      signed_digest: 'a16c3c1b1ff8f60233887b84fb1b407ca8f519a84b231926e9f4330aab814c6e',
      sig: 'an2gInz085M+7dUwkKpRAATUqwHrkI5J1TQP5hefSpGCEtzZ1RJKCtC7+LcSvDCNyUNysKB5YUH2+cPfSYO2BQ==',
      json_sha256: '1b8be8fe4cc874549b14654d0e04d599edb3a42879a62b1cb86bc1b810d8b9d8',
    },
    reasonCodes: ['default_allow', 'emergency_stop_preempted', 'mcp_trust_verified'],
    violations: ['emergency_stop_active'],
    signaturesBefore: 3,
  },
};

/**
 * `gait mcp serve` decisions (`/v1/evaluate`, fixed clock). The service stamps `producer_version`
 * with GAIT_VERSION, so these pins move with the package version.
 */
const SERVE_PINS: Record<ServeCaseName, Pinned> = {
  intentTrustBlockJobUnavailable: {
    trace: {
      trace_id: '0aff8679f5821c612c702bef',
      verdict: 'block',
      signed_digest: '63b534c036135406112d3690f16172d97518f8955e93310d73917eb06da349d9',
      sig: '3JBeMkIzeC1oMZs8RPr1mECjcqAt8E4dGOdUf4vEvHjGrL2O1rhJCgCjxqcx1UOu1Q0MwSys6B/RS+m0TCk+Cw==',
      json_sha256: 'af19f6c421e9d28307622e8b3168c0e77834948c8ea8c3fee3ae91d2a6a258a0',
    },
    reasonCodes: ['default_allow', 'emergency_stop_state_unavailable', 'mcp_trust_identifier_missing'],
    violations: ['emergency_stop_active', 'mcp_trust_policy'],
    signaturesBefore: 3,
  },
  intentTrustEmergencyStopped: {
    trace: {
      trace_id: '53c566d5aa5dee6263e9d1ec',
      verdict: 'block',
      signed_digest: '1a65d50c6262d03232e61b68412b83c1c45a127dfca7e2da71b93c0c4835eee8',
      sig: 'v3/s7qvf/26TzLgMhl2j322ogev4kvbdg6Q9Ib9+28N6whNqauppI8UrLf4WffEtI+B4DWQj85dxLTfx11J8DQ==',
      json_sha256: '0b7336611b93402632439ddd38ff3e9e83fc1419ee935ec5b981d1a8ba65282e',
    },
    reasonCodes: ['default_allow', 'emergency_stop_preempted', 'mcp_trust_identifier_missing'],
    violations: ['emergency_stop_active'],
    signaturesBefore: 3,
  },
  // Changed deliberately: this trace used to carry `intent_digest: ''` (it did not verify:
  // `/intent_digest: must match pattern "^[a-fA-F0-9]{64}$"`) and the pre-stop outcome. It now binds
  // the digest of the normalized intent as received and shows the emergency stop.
  intentUnpreparedEmergencyStopped: {
    trace: {
      trace_id: '7615f2dfb14661dd9d621d59',
      verdict: 'block',
      signed_digest: 'edd9c5eb6c4aff1f222e7705cb3e4cfa7471ff50e76bbd0a83e560f101995888',
      sig: 'FGZs+TaBvIVi/kKjfB9c2E9gHP8EFsM/UxYabN2N0/pN4RXRrZNC06kEcj8VeqxiSguJpbZz06wuHg/pmtlfCQ==',
      json_sha256: '2d31839f367e434252f190a1ebe8bcebbc9bf01af89260b81620f1a91fd1ad3a',
    },
    reasonCodes: ['emergency_stop_preempted', 'fail_closed_intent_invalid', 'mcp_trust_identifier_missing'],
    violations: ['emergency_stop_active', 'intent_not_evaluable'],
    signaturesBefore: 2,
  },
  callTrustEmergencyStopped: {
    trace: {
      trace_id: '0aff8679f5821c612c702bef',
      verdict: 'block',
      signed_digest: '63cae0e6cdf31ab97c3a5fb9506ce8b78ee686af3effca740cc178fc5b3a23c1',
      sig: 'QGVK2YI15STumNcB0aW5w/GL71hu13As4QNMNfcCnomGRy1JFVPlJbDAY1H/dGyQ1CKzI5v+4iVZUOkRg4N+BA==',
      json_sha256: '564b2043501ba01bc49edc212bb3f2026db48d44d8a3db17d0e3e898287b70f3',
    },
    reasonCodes: ['default_allow', 'emergency_stop_preempted', 'mcp_trust_verified'],
    violations: ['emergency_stop_active'],
    signaturesBefore: 3,
  },
};

const VERIFY_KEY = verifyKeyOf(CASE_KEY);
const START = { seconds: 1_770_249_600, nanos: 0, offsetMinutes: 0 } as const;
const DELETE_INTENT = {
  tool_name: 'tool.delete',
  args: { path: '/w/a.txt' },
  targets: [{ kind: 'path', value: '/w/a.txt', operation: 'delete' }],
  arg_provenance: [{ arg_path: '$.path', source: 'user' }],
  context: { identity: 'alice', workspace: '/w', risk_class: 'high' },
};

describe('decideToolCall() trace (pinned)', () => {
  for (const [name, pin] of Object.entries(PROXY_PINS) as [ProxyCaseName, Pinned][]) {
    it(`${name}: the signed trace and outcome are unchanged`, () => {
      const d = decideCase(PROXY_CASES[name]);
      assert.deepEqual(traceFacts(d.result.trace), pin.trace);
      assert.equal(d.result.traceId, pin.trace['trace_id']);
      assert.equal(d.result.traceDigest, pin.trace['signed_digest']);
      assert.deepEqual(d.result.reasonCodes, pin.reasonCodes);
      assert.deepEqual(d.result.violations, pin.violations);
      assert.equal(verifyTrace(d.result.trace, VERIFY_KEY).ok, true);
    });
  }

  it('the emergency-stopped cases report the stop, the others do not', () => {
    const stopped = (Object.keys(PROXY_CASES) as ProxyCaseName[]).filter((n) => decideCase(PROXY_CASES[n]).emergencyStopped);
    assert.deepEqual(stopped, ['trustEmergencyStopped', 'plainEmergencyStopped', 'trustBlockJobUnavailable', 'envelopeEmergencyStopped']);
    assert.deepEqual(decideCase(PROXY_CASES.trustBlockJobUnavailable).warnings, ['job_status_unavailable=no such file']);
  });
});

describe('decision service /v1/evaluate trace (pinned)', () => {
  for (const [name, pin] of Object.entries(SERVE_PINS) as [ServeCaseName, Pinned][]) {
    it(`${name}: the written trace and the response are unchanged`, async () => {
      const { body, trace } = await serveCase(SERVE_CASES[name]);
      assert.equal(trace['producer_version'], '0.1.0', 'GAIT_VERSION changed: recompute SERVE_PINS');
      assert.deepEqual(traceFacts(trace), pin.trace);
      assert.equal(body['trace_id'], pin.trace['trace_id']);
      assert.equal(body['trace_digest'], pin.trace['signed_digest']);
      assert.deepEqual(body['reason_codes'], pin.reasonCodes);
      assert.deepEqual(body['violations'], pin.violations);
      const report = verifyTrace(trace, VERIFY_KEY);
      assert.deepEqual([report.ok, report.error, report.signatureStatus], [true, '', 'verified']);
    });
  }

  it('an intent that cannot be prepared: the trace binds the received intent, shows the stop and verifies', async () => {
    const { body, trace } = await serveCase(SERVE_CASES.intentUnpreparedEmergencyStopped);
    // the digest of the normalized intent as received (what `policy test` reports; gate.md §A3.6)
    const received = 'bd03c69fa268b5d6bded0f97bba3a7446475c96c5afc52693a5fd395518f0f55';
    assert.equal(trace['intent_digest'], received);
    assert.equal(intentDigest(normalizeIntent(SERVE_CASES.intentUnpreparedEmergencyStopped.body.intent)), received);
    // trace_id = first 24 hex of sha256("<policy_digest>:<intent_digest>:<final verdict>") (gate.md §A1.2)
    const id = createHash('sha256').update(`${String(trace['policy_digest'])}:${received}:block`).digest('hex').slice(0, 24);
    assert.deepEqual([trace['trace_id'], trace['verdict'], trace['violations']], [id, 'block', ['emergency_stop_active', 'intent_not_evaluable']]);
    assert.deepEqual(
      [body['intent_digest'], body['run_id'], body['verdict'], body['exit_code'], body['trace_id']],
      [received, 'run_mcp_bd03c69fa268', 'block', 3, id],
    );
    assert.deepEqual(verifyTrace(trace, VERIFY_KEY).checks, [
      { name: 'schema', ok: true },
      { name: 'signature', ok: true },
    ]);
  });
});

describe('one Ed25519 signature per MCP decision', () => {
  for (const name of Object.keys(PROXY_PINS) as ProxyCaseName[]) {
    it(`decideToolCall ${name}: 1 signature (was ${PROXY_PINS[name].signaturesBefore})`, () => {
      const counted = countingKey(CASE_KEY);
      const d = decideCase(PROXY_CASES[name], counted.key);
      assert.equal(counted.count(), 1);
      assert.deepEqual(traceFacts(d.result.trace), PROXY_PINS[name].trace);
    });
  }

  for (const name of Object.keys(SERVE_PINS) as ServeCaseName[]) {
    it(`/v1/evaluate ${name}: 1 signature (was ${SERVE_PINS[name].signaturesBefore})`, async () => {
      const counted = countingKey(CASE_KEY);
      const { trace } = await serveCase(SERVE_CASES[name], counted.key);
      assert.equal(counted.count(), 1);
      assert.deepEqual(traceFacts(trace), SERVE_PINS[name].trace);
    });
  }

  it('the counting key counts every signature: two decisions are two', () => {
    const counted = countingKey(CASE_KEY);
    decideCase(PROXY_CASES.plainAllow, counted.key);
    decideCase(PROXY_CASES.trustAllow, counted.key);
    assert.equal(counted.count(), 2);
  });

  it('the counting key sees non-trace signatures: runGateEval of a require_approval intent signs trace and approval audit', () => {
    const counted = countingKey(CASE_KEY);
    const result = runGateEval(loadPolicy(PLAIN_POLICY), normalizeIntent(DELETE_INTENT), {
      evaluationTime: START,
      clock: fixedClock(START),
      signingKey: counted.key,
      producerVersion: '0.1.0-test',
      correlationId: 'cid-single-sign',
      simulate: false,
    });
    assert.equal(result.verdict, 'require_approval');
    assert.notEqual(result.approvalAudit, undefined);
    assert.equal(counted.count(), 2);
  });
});
