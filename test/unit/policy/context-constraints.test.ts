/** Context constraints (gate.md §A4.3 enabling conditions, §A5.6 step 3, §B2 "Constraints", §A14). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileContextConstraints,
  contextAgeSeconds,
  contextConstraintsEnabled,
  policyRequiresContextEvidence,
} from '../../../src/policy/context-constraints.js';
import { partBFeaturesEnabled } from '../../../src/policy/part-b.js';
import { compileRulePipeline } from '../../../src/policy/rule-pipeline.js';
import type { IntentContext } from '../../../src/schema/v1/intent-types.js';
import { EVAL_TIME, makeFailClosed, makeIntent, makePolicy, makeRule } from './fixtures.js';

const DIGEST = 'c'.repeat(64);
const ctx = { evaluationTime: EVAL_TIME };

/** A prepared intent as a bound envelope leaves it. */
function bound(c: Partial<IntentContext> = {}) {
  return makeIntent({
    context: { contextSetDigest: DIGEST, contextEvidenceMode: 'required', contextRefs: ['r1'], authContext: { context_age_seconds: 30 }, ...c },
  });
}

describe('contextConstraintsEnabled() (gate.md §A4.3)', () => {
  it('is enabled by require_context_evidence, required_context_evidence_mode or max_context_age_seconds > 0', () => {
    assert.equal(contextConstraintsEnabled(makeRule()), false);
    assert.equal(contextConstraintsEnabled(makeRule({ requireContextEvidence: true, requiredContextEvidenceMode: 'required' })), true);
    assert.equal(contextConstraintsEnabled(makeRule({ requiredContextEvidenceMode: 'required' })), true);
    assert.equal(contextConstraintsEnabled(makeRule({ maxContextAgeSeconds: 1 })), true);
    assert.equal(compileContextConstraints(makeRule()), undefined);
  });
  it('is no longer a refused Part B feature', () => {
    const policy = makePolicy({ rules: [makeRule({ requireContextEvidence: true, requiredContextEvidenceMode: 'required', maxContextAgeSeconds: 60 })] });
    assert.deepEqual(partBFeaturesEnabled(policy), []);
  });
});

describe('policyRequiresContextEvidence() (gate.md §B2, approved-script fast path)', () => {
  it('is true for a rule constraint or fail_closed.required_fields: [context_evidence]', () => {
    assert.equal(policyRequiresContextEvidence(makePolicy()), false);
    assert.equal(policyRequiresContextEvidence(makePolicy({ rules: [makeRule({ maxContextAgeSeconds: 5 })] })), true);
    const failClosed = makeFailClosed({ enabled: true, riskClasses: ['high'], requiredFields: ['context_evidence'] });
    assert.equal(policyRequiresContextEvidence(makePolicy({ failClosed })), true);
    assert.equal(policyRequiresContextEvidence(makePolicy({ failClosed: makeFailClosed({ requiredFields: ['targets'] }) })), false);
  });
});

describe('contextAgeSeconds()', () => {
  const age = (value: unknown) => contextAgeSeconds({ context_age_seconds: value } as never);
  it('reads a non-negative number, truncated', () => {
    assert.equal(age(0), 0);
    assert.equal(age(42), 42);
    assert.equal(age(299.9), 299);
    assert.equal(age(-1), undefined);
    assert.equal(age(-0.5), undefined);
  });
  it('reads a string holding a non-negative integer', () => {
    assert.equal(age('42'), 42);
    assert.equal(age(' 7 '), 7);
    assert.equal(age('+5'), 5);
    assert.equal(age('-0'), 0);
    assert.equal(age('9223372036854775807'), 2 ** 63, 'int64 max, rounded to the nearest double');
    assert.equal(age('9223372036854775808'), undefined, 'beyond int64');
    assert.equal(age('-3'), undefined);
    assert.equal(age('1.5'), undefined);
    assert.equal(age('1e3'), undefined);
    assert.equal(age(''), undefined);
    assert.equal(age('ten'), undefined);
  });
  it('is undefined when missing or of another type', () => {
    assert.equal(contextAgeSeconds(undefined), undefined);
    assert.equal(contextAgeSeconds({ provider: 'oidc' }), undefined);
    assert.equal(age(true), undefined);
    assert.equal(age(null), undefined);
    assert.equal(age([1]), undefined);
    assert.equal(age({ s: 1 }), undefined);
  });
});

describe('compileContextConstraints(): reason codes and violations (gate.md §B2, §A14)', () => {
  const all = compileContextConstraints(makeRule({ requireContextEvidence: true, requiredContextEvidenceMode: 'required', maxContextAgeSeconds: 60 }))!;

  it('passes a bound, fresh, required-mode intent', () => {
    assert.equal(all(bound()), undefined);
    assert.equal(all(bound({ authContext: { context_age_seconds: 60 } })), undefined, 'age equal to the maximum is fresh');
  });
  it('empty context_set_digest → context_evidence_missing + context_set_digest_missing / missing_context_evidence', () => {
    const check = compileContextConstraints(makeRule({ requireContextEvidence: true, requiredContextEvidenceMode: 'required' }))!;
    assert.deepEqual(check(bound({ contextSetDigest: '' })), {
      reasons: ['context_evidence_missing', 'context_set_digest_missing'],
      violations: ['missing_context_evidence'],
    });
  });
  it('mode not required → context_evidence_mode_mismatch / context_evidence_mode_violation', () => {
    const check = compileContextConstraints(makeRule({ requiredContextEvidenceMode: 'required' }))!;
    for (const mode of ['best_effort', ''] as const) {
      assert.deepEqual(check(bound({ contextEvidenceMode: mode })), {
        reasons: ['context_evidence_mode_mismatch'],
        violations: ['context_evidence_mode_violation'],
      });
    }
  });
  it('require_context_evidence alone implies mode required', () => {
    const check = compileContextConstraints(makeRule({ requireContextEvidence: true }))!;
    assert.deepEqual(check(bound({ contextEvidenceMode: 'best_effort' }))?.reasons, ['context_evidence_mode_mismatch']);
  });
  it('age missing, invalid or larger → context_freshness_exceeded / context_freshness_violation', () => {
    const check = compileContextConstraints(makeRule({ maxContextAgeSeconds: 60 }))!;
    const stale = { reasons: ['context_freshness_exceeded'], violations: ['context_freshness_violation'] };
    assert.deepEqual(check(bound({ authContext: { context_age_seconds: 61 } })), stale);
    assert.deepEqual(check(bound({ authContext: { context_age_seconds: 'soon' } })), stale);
    assert.deepEqual(check(bound({ authContext: undefined })), stale);
    assert.equal(check(bound({ authContext: { context_age_seconds: '60' } })), undefined);
    assert.deepEqual(
      check(bound({ contextSetDigest: '', contextEvidenceMode: '' })),
      { reasons: ['context_evidence_missing', 'context_set_digest_missing'], violations: ['missing_context_evidence'] },
      'any enabled constraint requires the digest; mode is checked only when required',
    );
  });
  it('a stripped intent (no envelope) fails every enabled constraint', () => {
    const stripped = makeIntent();
    assert.deepEqual(all(stripped), {
      reasons: ['context_evidence_missing', 'context_set_digest_missing', 'context_evidence_mode_mismatch', 'context_freshness_exceeded'],
      violations: ['missing_context_evidence', 'context_evidence_mode_violation', 'context_freshness_violation'],
    });
  });
});

describe('compileRulePipeline(): step 3 context constraints', () => {
  it('blocks an allow rule and merges the reasons with the rule reasons, sorted', () => {
    const run = compileRulePipeline(makeRule({ name: 'Read Docs', effect: 'allow', requireContextEvidence: true, requiredContextEvidenceMode: 'required' }));
    assert.deepEqual(run(makeIntent(), ctx), {
      effect: 'block',
      reasons: ['context_evidence_missing', 'context_evidence_mode_mismatch', 'context_set_digest_missing', 'matched_rule_read_docs'],
      violations: ['context_evidence_mode_violation', 'missing_context_evidence'],
      minApprovals: 0,
    });
  });
  it('leaves the rule effect alone when the constraints hold', () => {
    const run = compileRulePipeline(makeRule({ effect: 'allow', reasonCodes: ['ok'], maxContextAgeSeconds: 60 }));
    assert.deepEqual(run(bound(), ctx), { effect: 'allow', reasons: ['ok'], violations: [], minApprovals: 0 });
  });
  it('a require_approval rule becomes block (most restrictive)', () => {
    const run = compileRulePipeline(makeRule({ effect: 'require_approval', maxContextAgeSeconds: 10 }));
    const out = run(bound(), ctx);
    assert.equal(out.effect, 'block');
    assert.deepEqual(out.reasons, ['context_freshness_exceeded', 'matched_rule_rule']);
    assert.equal(out.minApprovals, 0);
  });
});
