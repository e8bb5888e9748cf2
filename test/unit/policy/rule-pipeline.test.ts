import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileRulePipeline, failedRuleOutcome } from '../../../src/policy/rule-pipeline.js';
import type { DataflowRule, EndpointRule } from '../../../src/policy/model.js';
import { parseTimestamp } from '../../../src/runtime/timestamp.js';
import type { AgentIdentity } from '../../../src/schema/v1/intent-types.js';
import { EVAL_TIME, makeIntent, makeRule, makeTarget } from './fixtures.js';

const ctx = { evaluationTime: EVAL_TIME };
const external = [{ argPath: '$.body', source: 'external' as const, sourceRef: '', integrityDigest: '' }];

function dataflow(d: Partial<DataflowRule> = {}): DataflowRule {
  return {
    enabled: true,
    taintedSources: ['external', 'tool_output'],
    destinationKinds: [],
    destinationValues: [],
    destinationOperations: [],
    action: 'require_approval',
    reasonCode: 'dataflow_tainted_destination',
    violation: 'tainted_dataflow',
    ...d,
  };
}

function endpoint(e: Partial<EndpointRule> = {}): EndpointRule {
  return {
    enabled: true,
    pathAllowlist: [],
    pathDenylist: [],
    domainAllowlist: [],
    domainDenylist: [],
    egressClasses: [],
    action: 'block',
    destructiveAction: '',
    reasonCode: 'endpoint_constraint_violation',
    violation: 'endpoint_constraint_violation',
    ...e,
  };
}

function agent(a: Partial<AgentIdentity> = {}): AgentIdentity {
  return {
    lifecycleStates: ['approved'],
    owner: 'team-a',
    manifestDigest: 'a'.repeat(64),
    publisher: 'Acme',
    source: 'registry',
    issuedAt: null,
    approvedAt: null,
    expiresAt: parseTimestamp('2026-03-01T00:00:00Z'),
    revoked: false,
    ...a,
  };
}

describe('compileRulePipeline() basics', () => {
  it('uses the rule reasons and violations', () => {
    const run = compileRulePipeline(makeRule({ effect: 'block', reasonCodes: ['blocked_external'], violations: ['external_target'] }));
    assert.deepEqual(run(makeIntent(), ctx), { effect: 'block', reasons: ['blocked_external'], violations: ['external_target'], minApprovals: 0 });
  });
  it('falls back to matched_rule_<sanitized name>', () => {
    const run = compileRulePipeline(makeRule({ name: 'Allow Safe-Read', effect: 'allow' }));
    assert.deepEqual(run(makeIntent(), ctx).reasons, ['matched_rule_allow_safe_read']);
  });
  it('require_approval with min_approvals 0 yields 1; configured value kept', () => {
    assert.equal(compileRulePipeline(makeRule({ effect: 'require_approval' }))(makeIntent(), ctx).minApprovals, 1);
    assert.equal(compileRulePipeline(makeRule({ effect: 'require_approval', minApprovals: 3 }))(makeIntent(), ctx).minApprovals, 3);
  });
  it('failedRuleOutcome() blocks with the rule reasons', () => {
    assert.deepEqual(failedRuleOutcome(makeRule({ name: 'r', effect: 'allow', violations: ['v'] })), {
      effect: 'block', reasons: ['matched_rule_r'], violations: ['v'], minApprovals: 0,
    });
  });
});

describe('dataflow step (D10)', () => {
  it('triggers on tainted provenance and a default egress target kind', () => {
    const run = compileRulePipeline(makeRule({ effect: 'allow', reasonCodes: ['ok'], dataflow: dataflow() }));
    assert.deepEqual(run(makeIntent({ argProvenance: external }), ctx), {
      effect: 'require_approval', reasons: ['dataflow_tainted_destination', 'ok'], violations: ['tainted_dataflow'], minApprovals: 1,
    });
  });
  it('does not trigger without tainted provenance', () => {
    const run = compileRulePipeline(makeRule({ effect: 'allow', reasonCodes: ['ok'], dataflow: dataflow() }));
    assert.equal(run(makeIntent(), ctx).effect, 'allow');
  });
  it('never downgrades a block rule (D10)', () => {
    const run = compileRulePipeline(makeRule({ effect: 'block', reasonCodes: ['b'], dataflow: dataflow() }));
    assert.deepEqual(run(makeIntent({ argProvenance: external }), ctx), {
      effect: 'block', reasons: ['b', 'dataflow_tainted_destination'], violations: ['tainted_dataflow'], minApprovals: 0,
    });
  });
  it('destination filters must all hold on one target', () => {
    const run = compileRulePipeline(makeRule({ dataflow: dataflow({ destinationKinds: ['path'], destinationOperations: ['write'], action: 'block' }) }));
    const split = [makeTarget({ kind: 'path', value: '/a', operation: 'read' }), makeTarget({ kind: 'host', operation: 'write' })];
    assert.equal(run(makeIntent({ argProvenance: external, targets: split }), ctx).effect, 'allow');
    const one = [makeTarget({ kind: 'path', value: '/a', operation: 'write', endpointClass: 'fs.write', endpointDomain: '' })];
    assert.equal(run(makeIntent({ argProvenance: external, targets: one }), ctx).effect, 'block');
  });
  it('with no filters a path target is not egress', () => {
    const run = compileRulePipeline(makeRule({ dataflow: dataflow() }));
    const targets = [makeTarget({ kind: 'path', value: '/a', endpointClass: 'fs.read', endpointDomain: '' })];
    assert.equal(run(makeIntent({ argProvenance: external, targets }), ctx).effect, 'allow');
  });
});

describe('endpoint step', () => {
  const pathTarget = (value: string) => makeTarget({ kind: 'path', value, endpointClass: 'fs.write', endpointDomain: '' });
  it('path denylist', () => {
    const run = compileRulePipeline(makeRule({ reasonCodes: ['ok'], endpoint: endpoint({ pathDenylist: ['/etc/**'] }) }));
    assert.deepEqual(run(makeIntent({ targets: [pathTarget('/etc/passwd')] }), ctx), {
      effect: 'block',
      reasons: ['endpoint_constraint_violation', 'endpoint_path_denied', 'ok'],
      violations: ['endpoint_constraint_violation', 'endpoint_path_denied'],
      minApprovals: 0,
    });
    assert.equal(run(makeIntent({ targets: [pathTarget('/tmp/x')] }), ctx).effect, 'allow');
  });
  it('path allowlist', () => {
    const run = compileRulePipeline(makeRule({ reasonCodes: ['ok'], endpoint: endpoint({ pathAllowlist: ['/tmp/*'], action: 'require_approval' }) }));
    assert.deepEqual(run(makeIntent({ targets: [pathTarget('/var/x')] }), ctx), {
      effect: 'require_approval',
      reasons: ['endpoint_constraint_violation', 'endpoint_path_not_allowlisted', 'ok'],
      violations: ['endpoint_constraint_violation', 'endpoint_path_not_allowlisted'],
      minApprovals: 1,
    });
    assert.equal(run(makeIntent({ targets: [pathTarget('/tmp/x')] }), ctx).effect, 'allow');
  });
  it('domain deny and allow lists', () => {
    const deny = compileRulePipeline(makeRule({ reasonCodes: ['ok'], endpoint: endpoint({ domainDenylist: ['*.external.com'], reasonCode: 'egress_denied', violation: 'egress' }) }));
    assert.deepEqual(deny(makeIntent(), ctx), {
      effect: 'block', reasons: ['egress_denied', 'endpoint_domain_denied', 'ok'], violations: ['egress', 'endpoint_domain_denied'], minApprovals: 0,
    });
    const allow = compileRulePipeline(makeRule({ reasonCodes: ['ok'], endpoint: endpoint({ domainAllowlist: ['api.internal'] }) }));
    assert.deepEqual(allow(makeIntent(), ctx).reasons, ['endpoint_constraint_violation', 'endpoint_domain_not_allowlisted', 'ok']);
  });
  it('egress classes', () => {
    const run = compileRulePipeline(makeRule({ reasonCodes: ['ok'], endpoint: endpoint({ egressClasses: ['net.dns'] }) }));
    assert.deepEqual(run(makeIntent(), ctx).violations, ['endpoint_constraint_violation', 'endpoint_egress_class_not_allowed']);
    assert.equal(run(makeIntent({ targets: [pathTarget('/tmp/a')] }), ctx).effect, 'allow');
  });
  it('destructive_action escalates on a destructive target', () => {
    const run = compileRulePipeline(makeRule({ effect: 'allow', reasonCodes: ['ok'], endpoint: endpoint({ action: 'require_approval', destructiveAction: 'block' }) }));
    const targets = [makeTarget({ kind: 'path', value: '/a', operation: 'delete', endpointClass: 'fs.delete', endpointDomain: '', destructive: true })];
    assert.deepEqual(run(makeIntent({ targets }), ctx), {
      effect: 'block',
      reasons: ['destructive_apply_requires_approval', 'endpoint_constraint_violation', 'endpoint_destructive_operation', 'ok'],
      violations: ['destructive_operation', 'endpoint_constraint_violation'],
      minApprovals: 0,
    });
  });
});

describe('agent identity step', () => {
  const run = (rule: Parameters<typeof makeRule>[0], context: Parameters<typeof makeIntent>[0]) =>
    compileRulePipeline(makeRule({ reasonCodes: ['ok'], ...rule }))(makeIntent(context), ctx);
  it('require_declared_agent without agent → agent_unknown / agent_identity_missing', () => {
    assert.deepEqual(run({ requireDeclaredAgent: true }, {}), {
      effect: 'block', reasons: ['agent_unknown', 'ok'], violations: ['agent_identity_missing'], minApprovals: 0,
    });
    assert.equal(run({ requireDeclaredAgent: true }, { context: { agentId: 'a1', agentIdentity: agent() } }).effect, 'allow');
  });
  it('denied ids and revoked identities → agent_revoked', () => {
    assert.deepEqual(run({ deniedAgentIds: ['a1'] }, { context: { agentId: 'a1' } }).reasons, ['agent_revoked', 'ok']);
    assert.deepEqual(run({ requireAgentOwner: true }, { context: { agentId: 'a1', agentIdentity: agent({ revoked: true }) } }).violations, ['agent_revoked']);
  });
  it('allowed ids → agent_unknown / agent_not_declared', () => {
    assert.deepEqual(run({ allowedAgentIds: ['a2'] }, { context: { agentId: 'a1' } }).violations, ['agent_not_declared']);
    assert.equal(run({ allowedAgentIds: ['a2'] }, { context: { agentId: 'a2' } }).effect, 'allow');
  });
  it('owner, lifecycle states, manifest', () => {
    assert.deepEqual(run({ requireAgentOwner: true }, { context: { agentIdentity: agent({ owner: '' }) } }).reasons, ['agent_owner_missing', 'ok']);
    assert.deepEqual(run({ requiredAgentLifecycleStates: ['approved', 'production'] }, { context: { agentIdentity: agent() } }).reasons, [
      'agent_lifecycle_state_invalid', 'ok',
    ]);
    assert.deepEqual(run({ requiredAgentLifecycleStates: ['approved'] }, { context: { agentIdentity: agent({ lifecycleStates: ['Approved'] }) } }).reasons, [
      'agent_lifecycle_state_invalid', 'ok',
    ]);
    assert.deepEqual(run({ requiredAgentManifestDigest: 'b'.repeat(64) }, { context: { agentIdentity: agent() } }).reasons, ['agent_manifest_mismatch', 'ok']);
    assert.equal(run({ allowedAgentManifestPublishers: ['acme'], allowedAgentManifestSources: ['registry'] }, { context: { agentIdentity: agent() } }).effect, 'allow');
    assert.deepEqual(run({ allowedAgentManifestSources: ['git'] }, { context: { agentIdentity: agent() } }).reasons, ['agent_manifest_mismatch', 'ok']);
  });
  it('require_unexpired_agent compares expires_at with the evaluation time', () => {
    assert.equal(run({ requireUnexpiredAgent: true }, { context: { agentIdentity: agent() } }).effect, 'allow');
    assert.deepEqual(run({ requireUnexpiredAgent: true }, { context: { agentIdentity: agent({ expiresAt: EVAL_TIME }) } }).reasons, ['agent_expired', 'ok']);
    assert.deepEqual(run({ requireUnexpiredAgent: true }, { context: { agentIdentity: agent({ expiresAt: null }) } }).reasons, ['agent_expired', 'ok']);
    assert.deepEqual(run({ requireUnexpiredAgent: true }, {}).reasons, ['agent_expired', 'ok']);
    const later = compileRulePipeline(makeRule({ requireUnexpiredAgent: true }))(makeIntent({ context: { agentIdentity: agent() } }), {
      evaluationTime: parseTimestamp('2026-03-01T00:00:01Z'),
    });
    assert.equal(later.effect, 'block');
  });
});

describe('destructive escalation', () => {
  const destructive = [makeTarget({ kind: 'path', value: '/a', operation: 'delete', endpointClass: 'fs.delete', endpointDomain: '', destructive: true })];
  it('apply phase: allow becomes require_approval', () => {
    const out = compileRulePipeline(makeRule({ reasonCodes: ['ok'] }))(makeIntent({ targets: destructive }), ctx);
    assert.deepEqual(out, { effect: 'require_approval', reasons: ['destructive_apply_requires_approval', 'ok'], violations: [], minApprovals: 1 });
  });
  it('plan phase: allow becomes dry_run', () => {
    const out = compileRulePipeline(makeRule({ reasonCodes: ['ok'] }))(makeIntent({ targets: destructive, context: { phase: 'plan' } }), ctx);
    assert.deepEqual(out, { effect: 'dry_run', reasons: ['ok', 'plan_phase_non_destructive'], violations: [], minApprovals: 0 });
  });
  it('never lowers a block', () => {
    const out = compileRulePipeline(makeRule({ effect: 'block', reasonCodes: ['b'] }))(makeIntent({ targets: destructive }), ctx);
    assert.equal(out.effect, 'block');
  });
});
