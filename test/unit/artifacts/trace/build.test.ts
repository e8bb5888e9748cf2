import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSignedTrace, buildTraceRecord, signTrace, traceId } from '../../../../src/artifacts/trace/build.js';
import { signingKeyFromSeed } from '../../../../src/crypto/keys.js';
import type { JsonObject } from '../../../../src/schema/v1/json-types.js';
import type { TraceInput } from '../../../../src/artifacts/trace/types.js';
import { parseTimestamp, ZERO_TIME } from '../../../../src/runtime/timestamp.js';
import { normalizeIntent, prepareIntent } from '../../../../src/schema/v1/intent.js';
import { validateRecord } from '../../../../src/schema/validate.js';

const POLICY_DIGEST = 'f4581f55c41a3ee69b316c95f66fbfc293ae7f06e6458491e3ca232dfb26608c';
const INTENT_DIGEST = '74d4a052fd27c63f110e0879f227215aed15a8e522946d38a2fb515374fbafa8';
const ARGS_DIGEST = '1bb68c85c9c51b9b733114cb635626545b38b115a266f1ce490655bb2fbfa3ff';
const TRACE_ID = '9a714d67a491c4bd98dd7983';

const integrationIntent = JSON.parse(
  readFileSync(join(process.cwd(), 'test/fixtures/vectors/gait-v1/integration/intent.json'), 'utf8'),
) as Record<string, unknown>;

function input(raw: Record<string, unknown>, overrides: Partial<TraceInput> = {}): TraceInput {
  return {
    intent: prepareIntent(normalizeIntent(raw)),
    verdict: 'block',
    violations: ['external_target'],
    reasonCodes: ['blocked_external'],
    policyDigest: POLICY_DIGEST,
    intentDigest: INTENT_DIGEST,
    argsDigest: ARGS_DIGEST,
    producerVersion: '0.0.0-test',
    observedAt: ZERO_TIME,
    correlationId: '',
    latencyMs: 0,
    ...overrides,
  };
}

const MINIMAL_RELATIONSHIP = {
  entity_refs: [
    { kind: 'agent', id: 'alice' },
    { kind: 'policy', id: POLICY_DIGEST },
    { kind: 'tool', id: 'tool.write' },
    { kind: 'trace', id: TRACE_ID },
  ],
  policy_ref: { policy_id: 'gait.gate.policy', policy_version: '1.0.0', policy_digest: POLICY_DIGEST },
  agent_chain: [{ identity: 'alice', role: 'requester' }],
  edges: [
    { kind: 'calls', from: { kind: 'agent', id: 'alice' }, to: { kind: 'tool', id: 'tool.write' } },
    { kind: 'governed_by', from: { kind: 'tool', id: 'tool.write' }, to: { kind: 'policy', id: POLICY_DIGEST } },
  ],
  related_entity_ids: [TRACE_ID, 'alice', POLICY_DIGEST, 'tool.write'],
};

describe('traceId', () => {
  it('reproduces the Gait integration vector (final verdict block)', () => {
    assert.equal(traceId(POLICY_DIGEST, INTENT_DIGEST, 'block'), TRACE_ID);
  });
});

describe('buildTraceRecord', () => {
  it('builds the minimal trace of the integration vector with exactly the v1 members', () => {
    const record = buildTraceRecord(input(integrationIntent));
    assert.deepEqual(record, {
      schema_id: 'gait.gate.trace',
      schema_version: '1.0.0',
      created_at: '2026-02-05T00:00:00Z',
      observed_at: '0001-01-01T00:00:00Z',
      producer_version: '0.0.0-test',
      trace_id: TRACE_ID,
      event_id: '477f239fc17425af177aa4bb',
      tool_name: 'tool.write',
      args_digest: ARGS_DIGEST,
      intent_digest: INTENT_DIGEST,
      policy_digest: POLICY_DIGEST,
      policy_id: 'gait.gate.policy',
      policy_version: '1.0.0',
      verdict: 'block',
      violations: ['external_target'],
      relationship: MINIMAL_RELATIONSHIP,
    });
    assert.deepEqual(validateRecord('gait.gate.trace', record), { ok: true, errors: [] });
  });

  it('never puts reason codes into the record (D9)', () => {
    const record = buildTraceRecord(input(integrationIntent, { reasonCodes: ['blocked_external', 'delegation_granted'] }));
    assert.equal('reason_codes' in record, false);
  });

  it('keeps observed_at under the zero-time rule and renders the wall clock in UTC', () => {
    const zero = buildTraceRecord(input(integrationIntent));
    assert.equal(zero['observed_at'], '0001-01-01T00:00:00Z');
    const later = buildTraceRecord(
      input(integrationIntent, {
        observedAt: parseTimestamp('2026-02-05T12:00:01.500+02:00'),
        correlationId: ' cid-1 ',
        latencyMs: 12.5,
        approvalTokenRef: 'tok-1',
        producerVersion: '',
      }),
    );
    assert.equal(later['observed_at'], '2026-02-05T10:00:01.5Z');
    assert.equal(later['event_id'], '29d3567876f2849504b09c16');
    assert.equal(later['correlation_id'], 'cid-1');
    assert.equal(later['latency_ms'], 12.5);
    assert.equal(later['approval_token_ref'], 'tok-1');
    assert.equal(later['producer_version'], '0.0.0-dev');
  });

  it('uses the final verdict for trace_id and omits empty violations and negative latency', () => {
    const record = buildTraceRecord(input(integrationIntent, { verdict: 'allow', violations: [], latencyMs: -3 }));
    assert.equal(record['trace_id'], traceId(POLICY_DIGEST, INTENT_DIGEST, 'allow'));
    assert.notEqual(record['trace_id'], TRACE_ID);
    assert.equal('violations' in record, false);
    assert.equal('latency_ms' in record, false);
  });

  it('sorts and de-duplicates violations', () => {
    const record = buildTraceRecord(input(integrationIntent, { violations: ['b', 'a', 'b', ' '] }));
    assert.deepEqual(record['violations'], ['a', 'b']);
  });

  it('copies the prepared context members, agent identity (zero-time rule) and session parent', () => {
    const raw = {
      ...integrationIntent,
      context: {
        identity: 'alice',
        workspace: '/repo/gait',
        risk_class: 'high',
        agent_id: 'agent-7',
        agent_identity: { owner: 'team-a' },
        run_id: 'run-1',
        session_id: 'sess-1',
        credential_ref: 'ref:cred',
        credential_source: 'aws_sts',
        credential_access_type: 'jit',
        credential_ttl_seconds: 300,
        approval_ref: 'CHG-1',
        context_set_digest: 'a'.repeat(64),
      },
    };
    const record = buildTraceRecord(input(raw));
    assert.equal(record['agent_id'], 'agent-7');
    assert.deepEqual(record['agent_identity'], {
      owner: 'team-a',
      issued_at: '0001-01-01T00:00:00Z',
      approved_at: '0001-01-01T00:00:00Z',
      expires_at: '0001-01-01T00:00:00Z',
    });
    assert.equal(record['run_id'], 'run-1');
    assert.equal(record['credential_ref'], 'ref:cred');
    assert.equal(record['credential_source'], 'aws_sts');
    assert.equal(record['credential_access_type'], 'jit');
    assert.equal(record['credential_ttl_seconds'], 300);
    assert.equal(record['approval_ref'], 'CHG-1');
    // the prepared intent strips unbound context-evidence claims (§A3.6)
    assert.equal('context_set_digest' in record, false);
    assert.equal('context_ref_count' in record, false);
    assert.deepEqual((record['relationship'] as Record<string, unknown>)['parent_ref'], { kind: 'session', id: 'sess-1' });
    assert.deepEqual(validateRecord('gait.gate.trace', record), { ok: true, errors: [] });
  });

  it('adds delegation_ref and the delegation relationship when the intent has a delegation', () => {
    const raw = {
      ...integrationIntent,
      delegation: {
        requester_identity: 'agent.specialist',
        scope_class: 'Write',
        token_refs: ['tok-b', 'tok-a'],
        chain: [{ delegator_identity: 'agent.lead', delegate_identity: 'agent.specialist', scope_class: 'write', token_ref: 'tok-a' }],
      },
    };
    const record = buildTraceRecord(
      input(raw, { reasonCodes: ['delegation_granted', 'blocked_external', 'delegation_granted'] }),
    );
    assert.deepEqual(record['delegation_ref'], {
      delegation_token_ref: 'tok-a',
      requester_identity: 'agent.specialist',
      delegation_depth: 1,
      scope_class: 'write',
      chain_digest: 'efddb84d2f0e50fc8581fb99dd4746c99fb4d40fd315723ca0a1d8ccadd9d506',
      reason_codes: ['delegation_granted'],
    });
    const relationship = record['relationship'] as Record<string, unknown>;
    assert.deepEqual(relationship['agent_chain'], [
      { identity: 'agent.specialist', role: 'delegate' },
      { identity: 'agent.lead', role: 'delegator' },
      { identity: 'agent.specialist', role: 'requester' },
    ]);
    assert.deepEqual(relationship['edges'], [
      { kind: 'calls', from: { kind: 'agent', id: 'alice' }, to: { kind: 'tool', id: 'tool.write' } },
      { kind: 'delegates_to', from: { kind: 'agent', id: 'agent.lead' }, to: { kind: 'agent', id: 'agent.specialist' } },
      { kind: 'governed_by', from: { kind: 'tool', id: 'tool.write' }, to: { kind: 'policy', id: POLICY_DIGEST } },
    ]);
    assert.equal('reason_codes' in record, false);
    assert.deepEqual(validateRecord('gait.gate.trace', record), { ok: true, errors: [] });
  });

  it('prefers valid delegation token ids over token_refs', () => {
    const raw = { ...integrationIntent, delegation: { requester_identity: 'alice', token_refs: ['tok-a'] } };
    const record = buildTraceRecord(input(raw, { delegationTokenRef: 'dt-1,dt-2' }));
    assert.equal((record['delegation_ref'] as Record<string, unknown>)['delegation_token_ref'], 'dt-1,dt-2');
  });

  it('copies skill provenance with the v1 member rules', () => {
    const raw = { ...integrationIntent, skill_provenance: { skill_name: 'safe-curl', source: 'Registry', publisher: 'acme' } };
    const record = buildTraceRecord(input(raw));
    assert.deepEqual(record['skill_provenance'], { skill_name: 'safe-curl', source: 'registry', publisher: 'acme' });
  });
});

describe('signTrace over built records', () => {
  const key = signingKeyFromSeed(new Uint8Array(32).fill(3));
  const deepCopy = (v: JsonObject): JsonObject => JSON.parse(JSON.stringify(v)) as JsonObject;

  it('signs a built record exactly as an equal record it did not build, and leaves it as it was', () => {
    const record = buildTraceRecord(input(integrationIntent, { observedAt: parseTimestamp('2026-02-05T12:00:01.5Z') }));
    const before = JSON.stringify(record);
    const signed = signTrace(record, key);
    assert.equal(JSON.stringify(signed), JSON.stringify(signTrace(deepCopy(record), key)));
    assert.equal(JSON.stringify(record), before);
    assert.equal('signature' in record, false);
  });

  it('buildSignedTrace gives exactly signTrace(buildTraceRecord(…)), member order included', () => {
    const observedAt = parseTimestamp('2026-02-05T12:00:01.5Z');
    const cases: TraceInput[] = [
      input(integrationIntent, { observedAt }),
      input(integrationIntent, { verdict: 'allow', violations: [], reasonCodes: [], latencyMs: 2.5, correlationId: ' c-1 ' }),
      input({ ...integrationIntent, tool_name: 'tool.x\ud800' }, { observedAt, producerVersion: ' ', approvalTokenRef: 'tok' }),
    ];
    for (const c of cases) {
      const expected = JSON.stringify(signTrace(buildTraceRecord(c), key));
      const signed = buildSignedTrace(c, key);
      assert.equal(JSON.stringify(signed), expected);
      assert.deepEqual(Object.keys(signed).slice(-1), ['signature']);
    }
    // Pinned from the two-pass signer as it was before `buildSignedTrace` existed.
    assert.deepEqual(buildSignedTrace(cases[0] as TraceInput, key)['signature'], {
      alg: 'ed25519',
      key_id: 'b62e867fa2f33afe62d5d6b1642e1621d543307846b2a57b897e710919b76709',
      sig: 'uqWaDqlRtz/0n1J0c0PrL7sGDE0F+6FFKWJuf94ppp7nRMuofrhRF2XOIYeu8joMkpCeliVMJa003Vp7VWq6Bw==',
      signed_digest: '47258372f81aa838824433ffd15e8140fc4e999c006c716bad8184a150a925b4',
    });
  });

  it('re-applies the member rules to a built record changed after building', () => {
    const record = buildTraceRecord(input(integrationIntent));
    const relationship = record['relationship'] as JsonObject;
    (relationship['entity_refs'] as JsonObject[])[0] = { kind: 'agent', id: 'x\ud800', extra: 1 };
    record['observed_at'] = '2026-02-05t00:00:00.500z';
    record['run_id'] = '';
    record['unknown'] = 'dropped';
    const signed = signTrace(record, key);
    assert.equal(JSON.stringify(signed), JSON.stringify(signTrace(deepCopy(record), key)));
    assert.equal(signed['observed_at'], '2026-02-05T00:00:00.5Z');
    assert.deepEqual(((signed['relationship'] as JsonObject)['entity_refs'] as JsonObject[])[0], { kind: 'agent', id: 'x\ufffd' });
    assert.equal('run_id' in signed, false);
    assert.equal('unknown' in signed, false);
  });
});
