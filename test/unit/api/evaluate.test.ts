/** The library's `loadPolicy` / `parseIntent` / `evaluate` (src/api): literal verdicts and digests. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, isGaitError, loadPolicy, parseIntent } from '../../../src/index.js';

const VECTORS = join(process.cwd(), 'test/fixtures/vectors/gait-v1/integration');
const POLICY_TEXT = readFileSync(join(VECTORS, 'policy.yaml'), 'utf8');
const INTENT_RAW = JSON.parse(readFileSync(join(VECTORS, 'intent.json'), 'utf8')) as Record<string, unknown>;
const AT = '2026-02-05T00:00:00Z';

describe('loadPolicy()', () => {
  it('compiles YAML text and reports the Gait v1 policy_digest (V2)', () => {
    assert.equal(loadPolicy(POLICY_TEXT).digest, 'f4581f55c41a3ee69b316c95f66fbfc293ae7f06e6458491e3ca232dfb26608c');
  });
  it('accepts an already-parsed object (V1)', () => {
    assert.equal(loadPolicy({ default_verdict: 'require_approval' }).digest, '07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9');
  });
  it('names the file, line and column of an unknown field', () => {
    assert.throws(
      () => loadPolicy('default_verdict: allow\nrules:\n  - name: r\n    effect: allow\n    tool_nmae: x\n', { file: 'p.yaml' }),
      (err: unknown) => isGaitError(err, 'policy_parse') && err.location?.file === 'p.yaml' && err.location.line === 5,
    );
  });
  it('refuses a policy that enables a feature not built yet (phase rule)', () => {
    const text = 'rules:\n  - name: r\n    effect: allow\n    rate_limit: {requests: 5}\n';
    assert.throws(() => loadPolicy(text), (err: unknown) => isGaitError(err, 'input_unsupported_feature'));
  });
});

describe('evaluate()', () => {
  const policy = loadPolicy(POLICY_TEXT);

  it('decides a raw intent (V3): block, reasons, violations, intent digest', () => {
    const d = evaluate(policy, INTENT_RAW, { evaluationTime: AT });
    assert.equal(d.verdict, 'block');
    assert.deepEqual(d.reasonCodes, ['blocked_external']);
    assert.deepEqual(d.violations, ['external_target']);
    assert.equal(d.matchedRule, 'block-external-host');
    assert.equal(d.intentDigest, '74d4a052fd27c63f110e0879f227215aed15a8e522946d38a2fb515374fbafa8');
  });

  it('gives the same decision for a parsed intent, which is frozen', () => {
    const intent = parseIntent(INTENT_RAW);
    assert.equal(Object.isFrozen(intent), true);
    assert.equal(Object.isFrozen(intent.context), true);
    const d = evaluate(policy, intent, { evaluationTime: new Date('2026-02-05T00:00:00Z') });
    assert.equal(d.intentDigest, '74d4a052fd27c63f110e0879f227215aed15a8e522946d38a2fb515374fbafa8');
    assert.equal(d.verdict, 'block');
  });

  it('does not trust a hand-made object shaped like a normalized intent', () => {
    const forged = { ...parseIntent(INTENT_RAW) };
    assert.throws(() => evaluate(loadPolicy('default_verdict: allow\n'), forged), (err: unknown) => isGaitError(err, 'input_intent'));
  });

  it('falls through to the default verdict with default_<verdict>', () => {
    const other = { ...INTENT_RAW, tool_name: 'tool.read' };
    const d = evaluate(policy, other, { evaluationTime: AT });
    assert.deepEqual([d.verdict, d.reasonCodes, d.matchedRule], ['allow', ['default_allow'], '']);
  });

  it('blocks an unnormalizable high-risk intent under fail-closed instead of throwing', () => {
    const failClosed = loadPolicy('default_verdict: allow\nfail_closed:\n  enabled: true\n');
    const d = evaluate(failClosed, { ...INTENT_RAW, tool_name: '  ' }, { evaluationTime: AT });
    assert.deepEqual([d.verdict, d.reasonCodes, d.violations], ['block', ['fail_closed_intent_invalid'], ['intent_not_evaluable']]);
    assert.equal(d.intent, undefined);
  });

  it('throws input_intent for an invalid intent when fail-closed does not apply', () => {
    assert.throws(
      () => evaluate(policy, { ...INTENT_RAW, tool_name: '' }, { evaluationTime: AT }),
      (err: unknown) => isGaitError(err, 'input_intent') && err.message === 'tool_name is required',
    );
  });

  it('rejects an unparsable evaluation time', () => {
    assert.throws(() => evaluate(policy, INTENT_RAW, { evaluationTime: 'yesterday' }), (err: unknown) => isGaitError(err, 'input_usage'));
    assert.throws(() => evaluate(policy, INTENT_RAW, { evaluationTime: new Date(Number.NaN) }), (err: unknown) => isGaitError(err, 'input_usage'));
  });
});
