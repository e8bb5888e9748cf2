import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compilePolicy } from '../../../src/policy/compile.js';
import { evaluate, evaluateRaw } from '../../../src/policy/evaluate.js';
import { parsePolicyYaml } from '../../../src/policy/parse.js';
import { isGaitError } from '../../../src/errors/error.js';
import { EVAL_TIME, makeFailClosed, makeIntent, makePolicy, makeRule, makeTarget } from './fixtures.js';

const options = { evaluationTime: EVAL_TIME };
const vectors = new URL('../../fixtures/vectors/gait-v1/', import.meta.url);

function read(rel: string): string {
  return readFileSync(new URL(rel, vectors), 'utf8');
}

describe('evaluateRaw() Gait integration vector', () => {
  it('blocks with the rule reasons and reproduces both digests', () => {
    const compiled = compilePolicy(parsePolicyYaml(read('integration/policy.yaml')));
    const d = evaluateRaw(compiled, JSON.parse(read('integration/intent.json')), options);
    assert.equal(d.verdict, 'block');
    assert.deepEqual(d.reasonCodes, ['blocked_external']);
    assert.deepEqual(d.violations, ['external_target']);
    assert.equal(d.matchedRule, 'block-external-host');
    assert.equal(d.policyDigest, 'f4581f55c41a3ee69b316c95f66fbfc293ae7f06e6458491e3ca232dfb26608c');
    assert.equal(d.intentDigest, '74d4a052fd27c63f110e0879f227215aed15a8e522946d38a2fb515374fbafa8');
    assert.equal(d.minApprovals, 0);
    assert.deepEqual(d.diagnostics, []);
  });
  it('approval-token-valid: default require_approval with min_approvals 1', () => {
    const compiled = compilePolicy(parsePolicyYaml(read('approval-token-valid/policy.yaml')));
    const d = evaluateRaw(compiled, JSON.parse(read('approval-token-valid/intent.json')), options);
    assert.equal(d.verdict, 'require_approval');
    assert.deepEqual(d.reasonCodes, ['default_require_approval']);
    assert.deepEqual(d.violations, []);
    assert.equal(d.matchedRule, '');
    assert.equal(d.minApprovals, 1);
    assert.equal(d.policyDigest, '07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9');
    assert.equal(d.intentDigest, '4b53bb79e35105ac9170963ac6f84ed0ed15530c68f06a46fc1233c5ec766913');
  });
});

describe('evaluate() default path', () => {
  for (const verdict of ['allow', 'block', 'dry_run', 'require_approval'] as const) {
    it(`default ${verdict} → default_${verdict}`, () => {
      const d = evaluate(compilePolicy(makePolicy({ defaultVerdict: verdict })), makeIntent(), options);
      assert.equal(d.verdict, verdict);
      assert.deepEqual(d.reasonCodes, [`default_${verdict}`]);
      assert.deepEqual(d.violations, []);
      assert.equal(d.minApprovals, verdict === 'require_approval' ? 1 : 0);
      assert.equal(d.matchedRule, '');
    });
  }
  it('applies no destructive escalation on the default path', () => {
    const targets = [makeTarget({ kind: 'path', value: '/a', operation: 'delete', endpointClass: 'fs.delete', endpointDomain: '', destructive: true })];
    const d = evaluate(compilePolicy(makePolicy({ defaultVerdict: 'allow' })), makeIntent({ targets }), options);
    assert.equal(d.verdict, 'allow');
    assert.deepEqual(d.reasonCodes, ['default_allow']);
  });
});

describe('evaluate() priority tiers (§A5.5)', () => {
  it('two rules with the same priority: most restrictive wins, merge only from the winners', () => {
    const policy = makePolicy({
      defaultVerdict: 'allow',
      rules: [
        makeRule({ name: 'a-approve', priority: 5, effect: 'require_approval', minApprovals: 2, requireDistinctApprovers: true, reasonCodes: ['needs_review'], violations: ['v_a'], brokerReference: 'ref-a' }),
        makeRule({ name: 'b-block', priority: 5, effect: 'block', reasonCodes: ['blocked'], violations: ['v_b'], brokerReference: 'ref-b', brokerScopes: ['write'] }),
        makeRule({ name: 'c-allow-later', priority: 9, effect: 'allow', reasonCodes: ['never_reached'] }),
      ],
    });
    const d = evaluate(compilePolicy(policy), makeIntent(), options);
    assert.equal(d.verdict, 'block');
    assert.deepEqual(d.reasonCodes, ['blocked']);
    assert.deepEqual(d.violations, ['v_b']);
    assert.equal(d.matchedRule, 'a-approve,b-block');
    assert.equal(d.minApprovals, 0);
    assert.equal(d.requireDistinctApprovers, false);
    assert.equal(d.brokerReference, 'ref-b');
    assert.deepEqual(d.brokerScopes, ['write']);
  });
  it('require_approval tier keeps max min_approvals and ORs distinct approvers', () => {
    const policy = makePolicy({
      defaultVerdict: 'block',
      rules: [
        makeRule({ name: 'r1', priority: 1, effect: 'require_approval', minApprovals: 2, requireDistinctApprovers: true, reasonCodes: ['x'], brokerReference: 'zz' }),
        makeRule({ name: 'r2', priority: 1, effect: 'require_approval', minApprovals: 0, reasonCodes: ['y'], brokerReference: 'aa' }),
        makeRule({ name: 'r3', priority: 1, effect: 'allow', reasonCodes: ['z'] }),
      ],
    });
    const d = evaluate(compilePolicy(policy), makeIntent(), options);
    assert.equal(d.verdict, 'require_approval');
    assert.deepEqual(d.reasonCodes, ['x', 'y']);
    assert.equal(d.minApprovals, 2);
    assert.equal(d.requireDistinctApprovers, true);
    assert.equal(d.matchedRule, 'r1,r2,r3');
    assert.equal(d.brokerReference, 'aa,zz');
  });
  it('a lower-priority rule is not reached once a tier matched', () => {
    const policy = makePolicy({
      defaultVerdict: 'block',
      rules: [
        makeRule({ name: 'allow-write', priority: 10, effect: 'allow', match: { toolNames: ['tool.write'] }, reasonCodes: ['ok'] }),
        makeRule({ name: 'block-all', priority: 20, effect: 'block', reasonCodes: ['nope'] }),
      ],
    });
    const d = evaluate(compilePolicy(policy), makeIntent(), options);
    assert.equal(d.verdict, 'allow');
    assert.deepEqual(d.reasonCodes, ['ok']);
    assert.equal(d.matchedRule, 'allow-write');
    const other = evaluate(compilePolicy(policy), makeIntent({ toolName: 'tool.read' }), options);
    assert.equal(other.verdict, 'block');
    assert.equal(other.matchedRule, 'block-all');
  });
  it('a non-matching first rule does not fix the tier', () => {
    const policy = makePolicy({
      rules: [
        makeRule({ name: 'r1', priority: 1, effect: 'block', match: { toolNames: ['tool.delete'] } }),
        makeRule({ name: 'r2', priority: 2, effect: 'allow' }),
      ],
    });
    assert.equal(evaluate(compilePolicy(policy), makeIntent(), options).matchedRule, 'r2');
  });
});

describe('evaluate() fail-closed pre-check', () => {
  it('blocks before rules when required fields are missing', () => {
    const policy = makePolicy({
      defaultVerdict: 'allow',
      failClosed: makeFailClosed({ enabled: true, riskClasses: ['critical', 'high'], requiredFields: ['arg_provenance', 'targets'] }),
      rules: [makeRule({ name: 'allow-all', effect: 'allow' })],
    });
    const d = evaluate(compilePolicy(policy), makeIntent({ targets: [], argProvenance: [] }), options);
    assert.equal(d.verdict, 'block');
    assert.deepEqual(d.reasonCodes, ['fail_closed_missing_arg_provenance', 'fail_closed_missing_targets']);
    assert.deepEqual(d.violations, ['missing_arg_provenance', 'missing_targets']);
    assert.equal(d.matchedRule, '');
    assert.notEqual(d.intentDigest, '');
  });
});

describe('evaluate() defensive rule handling', () => {
  it('a throwing rule fails closed to block and is reported in diagnostics', () => {
    const compiled = compilePolicy(makePolicy({ defaultVerdict: 'allow', rules: [makeRule({ name: 'boom', effect: 'allow', reasonCodes: ['ok'] })] }));
    const broken = {
      ...compiled,
      rules: compiled.rules.map((r) => ({ ...r, run: () => { throw new Error('kaput'); } })),
    };
    const d = evaluate(broken, makeIntent(), options);
    assert.equal(d.verdict, 'block');
    assert.deepEqual(d.reasonCodes, ['ok']);
    assert.deepEqual(d.diagnostics, ['rule `boom`: evaluation failed, rule fails closed to block: kaput']);
    const badMatch = { ...compiled, rules: compiled.rules.map((r) => ({ ...r, matches: () => { throw new Error('bad'); } })) };
    const d2 = evaluate(badMatch, makeIntent(), options);
    assert.equal(d2.verdict, 'block');
    assert.deepEqual(d2.diagnostics, ['rule `boom`: match failed, rule fails closed to block: bad']);
  });
});

describe('evaluateRaw() invalid intents', () => {
  const failClosedYaml = 'default_verdict: allow\nfail_closed:\n  enabled: true\n';
  it('fail_closed_intent_invalid for a malformed high-risk intent', () => {
    const compiled = compilePolicy(parsePolicyYaml(failClosedYaml));
    const d = evaluateRaw(compiled, { tool_name: '', context: { identity: 'a', workspace: '/w', risk_class: ' HIGH ' } }, options);
    assert.equal(d.verdict, 'block');
    assert.deepEqual(d.reasonCodes, ['fail_closed_intent_invalid']);
    assert.deepEqual(d.violations, ['intent_not_evaluable']);
    assert.equal(d.intent, undefined);
    assert.equal(d.intentDigest, '');
    assert.deepEqual(d.diagnostics, ['tool_name is required']);
  });
  it('rethrows input_intent when fail-closed does not apply', () => {
    const compiled = compilePolicy(parsePolicyYaml(failClosedYaml));
    assert.throws(
      () => evaluateRaw(compiled, { tool_name: '', context: { identity: 'a', workspace: '/w', risk_class: 'low' } }, options),
      (e) => isGaitError(e, 'input_intent') && e.message === 'tool_name is required',
    );
  });
  it('always refuses script intents (input_unsupported_feature)', () => {
    const compiled = compilePolicy(parsePolicyYaml(failClosedYaml));
    const raw = { tool_name: 'x', script: { steps: [{ tool_name: 'a' }] }, context: { identity: 'a', workspace: '/w', risk_class: 'high' } };
    assert.throws(() => evaluateRaw(compiled, raw, options), (e) => isGaitError(e, 'input_unsupported_feature'));
  });
});

describe('compilePolicy() Part B refusal', () => {
  it('refuses a policy enabling Part B features and lists all of them', () => {
    const yaml = [
      'default_verdict: allow',
      'rules:',
      '  - name: x',
      '    effect: allow',
      '    require_broker_credential: true',
      '    freeze_window: {timezone: UTC, windows: [{start: "2026-01-01T00:00:00", end: "2026-01-02T00:00:00"}]}',
    ].join('\n');
    assert.throws(
      () => compilePolicy(parsePolicyYaml(yaml)),
      (e) =>
        isGaitError(e, 'input_unsupported_feature') &&
        e.message ===
          'policy enables features not supported yet: rule `x`: credential_broker (gate.md §B4); rule `x`: freeze_window (gate.md §B8)' &&
        JSON.stringify(e.details) === JSON.stringify({ features: ['rule `x`: credential_broker (gate.md §B4)', 'rule `x`: freeze_window (gate.md §B8)'] }),
    );
  });
});
