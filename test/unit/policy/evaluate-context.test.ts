/**
 * `evaluate()` with context evidence (gate.md §A3.6, §A5.2–§A5.3, §B2): policies with context
 * constraints compile and evaluate; without an envelope they block, with one they are decided on the
 * envelope; `fail_closed.required_fields: [context_evidence]` passes only with a bound envelope.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isGaitError } from '../../../src/errors/error.js';
import { compilePolicy } from '../../../src/policy/compile.js';
import { evaluate, evaluateRaw } from '../../../src/policy/evaluate.js';
import { parsePolicyYaml } from '../../../src/policy/parse.js';
import { parseTimestamp } from '../../../src/runtime/timestamp.js';
import { parseContextEnvelope } from '../../../src/schema/v1/context-envelope.js';
import { normalizeIntent, prepareIntent } from '../../../src/schema/v1/intent.js';
import { intentDigest } from '../../../src/schema/v1/intent-digest.js';

const NOW = parseTimestamp('2026-02-14T00:10:00Z');

function envelope(mode: 'required' | 'best_effort', retrievedAt = '2026-02-14T00:05:00Z') {
  return parseContextEnvelope({
    context_set_id: 'set-1',
    evidence_mode: mode,
    records: [
      {
        ref_id: 'ctx_001',
        source_type: 'doc_store',
        source_locator: 'docs://policies/security.md',
        query_digest: '1'.repeat(64),
        content_digest: '2'.repeat(64),
        retrieved_at: retrievedAt,
        redaction_mode: 'reference',
        immutability: 'immutable',
      },
    ],
  });
}

const REQUIRED = envelope('required'); // 300 s old at NOW
const BEST_EFFORT = envelope('best_effort');

const RAW_INTENT = {
  tool_name: 'tool.read',
  targets: [{ kind: 'path', value: '/repo/README.md', operation: 'read' }],
  arg_provenance: [{ arg_path: '$.path', source: 'user' }],
  context: { identity: 'alice', workspace: '/repo', risk_class: 'high', auth_context: { provider: 'oidc' } },
};
const INTENT = normalizeIntent(RAW_INTENT);

function compile(yaml: string) {
  return compilePolicy(parsePolicyYaml(yaml));
}

const REQUIRE_EVIDENCE = compile(
  'default_verdict: block\nrules:\n  - {name: read-with-evidence, effect: allow, match: {tool_names: [tool.read]}, require_context_evidence: true}\n',
);
const FRESHNESS = compile(
  'default_verdict: block\nrules:\n  - {name: fresh-reads, effect: allow, match: {tool_names: [tool.read]}, max_context_age_seconds: 600}\n',
);
const FAIL_CLOSED = compile(['default_verdict: allow', 'fail_closed:', '  enabled: true', '  required_fields: [context_evidence]'].join('\n'));

describe('evaluate(): require_context_evidence (no longer refused, gate.md §B2)', () => {
  it('compiles', () => {
    assert.equal(REQUIRE_EVIDENCE.rules.length, 1);
  });

  it('blocks without an envelope: claims stripped, context_evidence_missing + context_set_digest_missing', () => {
    const claims = { context_set_digest: REQUIRED.contextSetDigest, context_evidence_mode: 'required' };
    const claimed = normalizeIntent({ ...RAW_INTENT, context: { ...RAW_INTENT.context, ...claims } });
    const d = evaluate(REQUIRE_EVIDENCE, claimed, { evaluationTime: NOW });
    assert.equal(d.verdict, 'block');
    assert.deepEqual(d.reasonCodes, [
      'context_evidence_missing',
      'context_evidence_mode_mismatch',
      'context_set_digest_missing',
      'matched_rule_read_with_evidence',
    ]);
    assert.deepEqual(d.violations, ['context_evidence_mode_violation', 'missing_context_evidence']);
    assert.equal(d.matchedRule, 'read-with-evidence');
    assert.equal(d.minApprovals, 0);
    assert.equal(d.contextSource, '');
    assert.equal(d.intent?.context.contextSetDigest, '');
  });

  it('allows with a required-mode envelope and reports context_source', () => {
    const d = evaluate(REQUIRE_EVIDENCE, INTENT, { evaluationTime: NOW, contextEnvelope: REQUIRED });
    assert.equal(d.verdict, 'allow');
    assert.deepEqual(d.reasonCodes, ['matched_rule_read_with_evidence']);
    assert.deepEqual(d.violations, []);
    assert.equal(d.contextSource, 'context_envelope');
    assert.equal(d.intent?.context.contextSetDigest, REQUIRED.contextSetDigest);
    assert.deepEqual(d.intent?.context.contextRefs, ['ctx_001']);
    assert.deepEqual(d.intent?.context.authContext, { provider: 'oidc', context_age_seconds: 300 });
    assert.equal(d.intentDigest, intentDigest(prepareIntent(INTENT, REQUIRED, NOW)));
    assert.notEqual(d.intentDigest, intentDigest(prepareIntent(INTENT)), 'the bound intent digests differently from the stripped one');
  });

  it('blocks a best_effort envelope with context_evidence_mode_mismatch only', () => {
    const d = evaluate(REQUIRE_EVIDENCE, INTENT, { evaluationTime: NOW, contextEnvelope: BEST_EFFORT });
    assert.equal(d.verdict, 'block');
    assert.deepEqual(d.reasonCodes, ['context_evidence_mode_mismatch', 'matched_rule_read_with_evidence']);
    assert.deepEqual(d.violations, ['context_evidence_mode_violation']);
  });

  it('an undefined contextEnvelope behaves like none', () => {
    assert.equal(evaluate(REQUIRE_EVIDENCE, INTENT, { evaluationTime: NOW, contextEnvelope: undefined }).verdict, 'block');
  });
});

describe('evaluate(): max_context_age_seconds', () => {
  it('blocks without an envelope (age claim stripped)', () => {
    const claimed = normalizeIntent({ ...RAW_INTENT, context: { ...RAW_INTENT.context, auth_context: { context_age_seconds: 1 } } });
    const d = evaluate(FRESHNESS, claimed, { evaluationTime: NOW });
    assert.deepEqual(d.reasonCodes, ['context_evidence_missing', 'context_freshness_exceeded', 'context_set_digest_missing', 'matched_rule_fresh_reads']);
    assert.deepEqual(d.violations, ['context_freshness_violation', 'missing_context_evidence']);
  });
  it('allows a fresh envelope (best_effort is enough) and blocks a stale one', () => {
    assert.equal(evaluate(FRESHNESS, INTENT, { evaluationTime: NOW, contextEnvelope: BEST_EFFORT }).verdict, 'allow');
    const at600 = parseTimestamp('2026-02-14T00:15:00Z');
    assert.equal(evaluate(FRESHNESS, INTENT, { evaluationTime: at600, contextEnvelope: BEST_EFFORT }).verdict, 'allow', '600 s is not above 600');
    const stale = evaluate(FRESHNESS, INTENT, { evaluationTime: parseTimestamp('2026-02-14T00:15:01Z'), contextEnvelope: BEST_EFFORT });
    assert.equal(stale.verdict, 'block');
    assert.deepEqual(stale.reasonCodes, ['context_freshness_exceeded', 'matched_rule_fresh_reads']);
    assert.deepEqual(stale.violations, ['context_freshness_violation']);
  });
  it('a record retrieved in the future has age 0', () => {
    const future = envelope('best_effort', '2026-03-01T00:00:00Z');
    const d = evaluate(FRESHNESS, INTENT, { evaluationTime: NOW, contextEnvelope: future });
    assert.equal(d.verdict, 'allow');
    assert.deepEqual(d.intent?.context.authContext, { provider: 'oidc', context_age_seconds: 0 });
  });
});

describe('evaluate(): fail_closed.required_fields: [context_evidence] (gate.md §A5.3)', () => {
  it('blocks without an envelope even when the intent claims a digest', () => {
    const claimed = normalizeIntent({ ...RAW_INTENT, context: { ...RAW_INTENT.context, context_set_digest: REQUIRED.contextSetDigest } });
    const d = evaluate(FAIL_CLOSED, claimed, { evaluationTime: NOW });
    assert.equal(d.verdict, 'block');
    assert.deepEqual(d.reasonCodes, ['context_evidence_missing']);
    assert.deepEqual(d.violations, ['missing_context_evidence']);
    assert.equal(d.contextSource, '');
  });
  it('passes with a bound envelope (then the default verdict applies)', () => {
    const d = evaluate(FAIL_CLOSED, INTENT, { evaluationTime: NOW, contextEnvelope: BEST_EFFORT });
    assert.equal(d.verdict, 'allow');
    assert.deepEqual(d.reasonCodes, ['default_allow']);
    assert.equal(d.contextSource, 'context_envelope');
  });
  it('a pre-check block with a bound envelope still reports context_source', () => {
    const policy = compile(['default_verdict: allow', 'fail_closed:', '  enabled: true', '  required_fields: [context_evidence, delegation]'].join('\n'));
    const d = evaluate(policy, INTENT, { evaluationTime: NOW, contextEnvelope: BEST_EFFORT });
    assert.deepEqual(d.reasonCodes, ['fail_closed_missing_delegation']);
    assert.equal(d.contextSource, 'context_envelope');
  });
});

describe('evaluate(): an envelope that contradicts the intent (§A5.2 step 2)', () => {
  const contradicting = normalizeIntent({ ...RAW_INTENT, context: { ...RAW_INTENT.context, context_set_digest: 'f'.repeat(64) } });

  it('under fail-closed: block with fail_closed_intent_invalid and the binding error as diagnostic', () => {
    const d = evaluate(FAIL_CLOSED, contradicting, { evaluationTime: NOW, contextEnvelope: REQUIRED });
    assert.equal(d.verdict, 'block');
    assert.deepEqual(d.reasonCodes, ['fail_closed_intent_invalid']);
    assert.deepEqual(d.violations, ['intent_not_evaluable']);
    assert.deepEqual(d.diagnostics, ['context envelope digest does not match context.context_set_digest']);
    assert.equal(d.intent, undefined);
    assert.equal(d.contextSource, '');
  });
  it('otherwise: throws input_intent with the spec message', () => {
    const mode = normalizeIntent({ ...RAW_INTENT, context: { ...RAW_INTENT.context, risk_class: 'low', context_evidence_mode: 'best_effort' } });
    assert.throws(
      () => evaluate(FAIL_CLOSED, mode, { evaluationTime: NOW, contextEnvelope: REQUIRED }),
      (e: unknown) => isGaitError(e, 'input_intent') && e.message === 'context envelope evidence mode does not match context.context_evidence_mode',
    );
  });
  it('evaluateRaw threads the envelope too', () => {
    assert.equal(evaluateRaw(REQUIRE_EVIDENCE, RAW_INTENT, { evaluationTime: NOW, contextEnvelope: REQUIRED }).verdict, 'allow');
  });
});

describe('evaluate(): no envelope, no context rules', () => {
  it('reports context_source as the empty string', () => {
    const d = evaluate(compile('default_verdict: allow\n'), INTENT, { evaluationTime: NOW });
    assert.equal(d.contextSource, '');
    assert.equal(d.verdict, 'allow');
  });
});
