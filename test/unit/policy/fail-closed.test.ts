import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFailClosed } from '../../../src/policy/fail-closed.js';
import { makeFailClosed, makeIntent, makeTarget } from './fixtures.js';

describe('compileFailClosed()', () => {
  it('does nothing when disabled', () => {
    const fc = compileFailClosed(makeFailClosed({ enabled: false, riskClasses: ['high'], requiredFields: ['targets'] }));
    assert.equal(fc.appliesTo('high'), false);
    assert.equal(fc.check(makeIntent({ targets: [] })), undefined);
  });
  it('applies only to the listed risk classes', () => {
    const fc = compileFailClosed(makeFailClosed({ enabled: true, riskClasses: ['critical', 'high'], requiredFields: ['targets'] }));
    assert.equal(fc.appliesTo('high'), true);
    assert.equal(fc.appliesTo('low'), false);
    assert.equal(fc.check(makeIntent({ targets: [], context: { riskClass: 'low' } })), undefined);
  });
  it('reports every missing required field, sorted', () => {
    const fc = compileFailClosed(
      makeFailClosed({
        enabled: true,
        riskClasses: ['high'],
        requiredFields: ['arg_provenance', 'context_evidence', 'delegation', 'endpoint_class', 'targets'],
      }),
    );
    assert.deepEqual(fc.check(makeIntent({ targets: [], argProvenance: [] })), {
      reasons: ['context_evidence_missing', 'fail_closed_missing_arg_provenance', 'fail_closed_missing_delegation', 'fail_closed_missing_targets'],
      violations: ['missing_arg_provenance', 'missing_context_evidence', 'missing_delegation', 'missing_targets'],
    });
  });
  it('flags endpoint class other (required field and always-on check)', () => {
    const fc = compileFailClosed(makeFailClosed({ enabled: true, riskClasses: ['high'], requiredFields: ['endpoint_class'] }));
    assert.deepEqual(fc.check(makeIntent({ targets: [makeTarget({ kind: 'other', endpointClass: 'other', endpointDomain: '' })] })), {
      reasons: ['fail_closed_endpoint_class_unknown', 'fail_closed_missing_endpoint_class'],
      violations: ['endpoint_class_unknown', 'missing_endpoint_class'],
    });
    const always = compileFailClosed(makeFailClosed({ enabled: true, riskClasses: ['high'] }));
    assert.deepEqual(always.check(makeIntent({ targets: [makeTarget({ kind: 'other', endpointClass: 'other' })] })), {
      reasons: ['fail_closed_endpoint_class_unknown'],
      violations: ['endpoint_class_unknown'],
    });
    assert.equal(always.check(makeIntent()), undefined);
  });
  it('reports missing high-risk context fields', () => {
    const fc = compileFailClosed(
      makeFailClosed({ enabled: true, riskClasses: ['high'], requiredHighRiskFields: ['agent_identity', 'credential_ttl_seconds', 'run_id'] }),
    );
    assert.deepEqual(fc.check(makeIntent()), {
      reasons: ['fail_closed_missing_agent_identity', 'fail_closed_missing_credential_ttl_seconds', 'fail_closed_missing_run_id'],
      violations: ['missing_agent_identity', 'missing_credential_ttl_seconds', 'missing_run_id'],
    });
    assert.equal(fc.check(makeIntent({ context: { runId: 'r1', credentialTtlSeconds: 60, agentIdentity: {
      lifecycleStates: [], owner: '', manifestDigest: '', publisher: '', source: '', issuedAt: null, approvedAt: null, expiresAt: null, revoked: false,
    } } })), undefined);
  });
});
