/** Binding a context envelope to the prepared intent (gate.md §A3.6 step 2, §B2 "Binding"). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isGaitError } from '../../../../src/errors/error.js';
import { parseTimestamp } from '../../../../src/runtime/timestamp.js';
import {
  bindContextEnvelope,
  contextAgeSecondsAt,
  stripContextEvidence,
  wholeSecondsBetween,
} from '../../../../src/schema/v1/context-binding.js';
import { parseContextEnvelope } from '../../../../src/schema/v1/context-envelope.js';
import type { ContextEnvelope } from '../../../../src/schema/v1/context-envelope.js';
import { normalizeIntent, prepareIntent, prepareIntentDetailed, toIntentWire } from '../../../../src/schema/v1/intent.js';
import { intentDigest, toIntentDigestObject } from '../../../../src/schema/v1/intent-digest.js';
import type { Intent } from '../../../../src/schema/v1/intent-types.js';

const at = parseTimestamp;
const ONES = '1'.repeat(64);
const TWOS = '2'.repeat(64);

function record(refId: string, retrievedAt: string): Record<string, unknown> {
  return {
    ref_id: refId,
    source_type: 'doc_store',
    source_locator: `docs://${refId}`,
    query_digest: ONES,
    content_digest: TWOS,
    retrieved_at: retrievedAt,
    redaction_mode: 'reference',
    immutability: 'immutable',
  };
}

/** ctx_b retrieved 2026-02-13T23:50:00Z, ctx_a at 2026-02-14T00:00:00.5Z, ctx_a listed twice. */
const ENVELOPE = parseContextEnvelope({
  context_set_id: 'set-1',
  created_at: '2026-02-14T00:05:00Z',
  evidence_mode: 'required',
  records: [
    record('ctx_b', '2026-02-13T23:50:00Z'),
    record('ctx_a', '2026-02-14T00:00:00.5Z'),
    { ...record('ctx_a', '2026-02-14T00:00:00.5Z'), source_type: 'web' },
  ],
});
const NO_RECORDS = parseContextEnvelope({ context_set_id: 'set-2', created_at: '2026-02-14T01:00:00+01:00' });
const NOW = at('2026-02-14T00:10:00Z');

function intent(context: Record<string, unknown> = {}): Intent {
  return normalizeIntent({ tool_name: 'tool.read', context: { identity: 'alice', workspace: '/w', risk_class: 'high', ...context } });
}

function mismatch(fn: () => unknown, message: string, path: string): void {
  assert.throws(fn, (e: unknown) => isGaitError(e, 'input_intent') && e.message === message && e.details['path'] === path);
}

describe('contextAgeSecondsAt()', () => {
  it('is the largest whole-second age over the records (599.5 s truncates to 599; 1200 wins)', () => {
    assert.equal(contextAgeSecondsAt(ENVELOPE, NOW), 1200);
    assert.equal(contextAgeSecondsAt(ENVELOPE, at('2026-02-14T00:00:01.4Z')), 601);
  });
  it('counts a future retrieved_at as 0', () => {
    assert.equal(contextAgeSecondsAt(ENVELOPE, at('2026-02-13T23:00:00Z')), 0);
    assert.equal(contextAgeSecondsAt(ENVELOPE, at('2026-02-13T23:55:00Z')), 300, 'ctx_a is in the future, ctx_b is 300 s old');
  });
  it('uses created_at when there are no records (offset converted), future → 0', () => {
    assert.equal(contextAgeSecondsAt(NO_RECORDS, NOW), 600);
    assert.equal(contextAgeSecondsAt(NO_RECORDS, at('2026-02-13T00:00:00Z')), 0);
  });
  it('wholeSecondsBetween borrows a second for the nanosecond part', () => {
    assert.equal(wholeSecondsBetween(at('2026-02-14T00:00:00.9Z'), at('2026-02-14T00:00:01.1Z')), 0);
    assert.equal(wholeSecondsBetween(at('2026-02-14T00:00:00.1Z'), at('2026-02-14T00:00:02.1Z')), 2);
    assert.equal(wholeSecondsBetween(at('2026-02-14T00:00:00Z'), at('2026-02-14T00:00:00Z')), 0);
  });
});

describe('bindContextEnvelope()', () => {
  it('sets digest, mode, sorted unique context_refs and auth_context.context_age_seconds', () => {
    const bound = bindContextEnvelope(intent({ auth_context: { provider: 'oidc' } }), ENVELOPE, NOW);
    assert.equal(bound.context.contextSetDigest, ENVELOPE.contextSetDigest);
    assert.equal(bound.context.contextEvidenceMode, 'required');
    assert.deepEqual(bound.context.contextRefs, ['ctx_a', 'ctx_b']);
    assert.deepEqual(bound.context.authContext, { provider: 'oidc', context_age_seconds: 1200 });
  });

  it('replaces the claimed refs and age, and creates auth_context when absent', () => {
    const claimed = intent({ context_refs: ['forged'], auth_context: { context_age_seconds: 1 } });
    const bound = bindContextEnvelope(claimed, ENVELOPE, NOW);
    assert.deepEqual(bound.context.contextRefs, ['ctx_a', 'ctx_b']);
    assert.deepEqual(bound.context.authContext, { context_age_seconds: 1200 });
    assert.deepEqual(bindContextEnvelope(intent(), NO_RECORDS, NOW).context.authContext, { context_age_seconds: 600 });
    assert.deepEqual(bindContextEnvelope(intent(), NO_RECORDS, NOW).context.contextRefs, [], 'no records: context_refs absent');
  });

  it('accepts claims equal to the envelope (digest case-insensitively)', () => {
    const base = intent({ context_set_digest: ENVELOPE.contextSetDigest, context_evidence_mode: 'Required' });
    assert.equal(bindContextEnvelope(base, ENVELOPE, NOW).context.contextSetDigest, ENVELOPE.contextSetDigest);
    const upper: Intent = { ...base, context: { ...base.context, contextSetDigest: ENVELOPE.contextSetDigest.toUpperCase() } };
    assert.equal(bindContextEnvelope(upper, ENVELOPE, NOW).context.contextSetDigest, ENVELOPE.contextSetDigest);
  });

  it('rejects contradicting claims with the spec messages', () => {
    mismatch(
      () => bindContextEnvelope(intent({ context_set_digest: 'c'.repeat(64) }), ENVELOPE, NOW),
      'context envelope digest does not match context.context_set_digest',
      'context.context_set_digest',
    );
    mismatch(
      () => bindContextEnvelope(intent({ context_evidence_mode: 'best_effort' }), ENVELOPE, NOW),
      'context envelope evidence mode does not match context.context_evidence_mode',
      'context.context_evidence_mode',
    );
    mismatch(
      () => bindContextEnvelope(intent({ context_evidence_mode: 'required' }), NO_RECORDS, NOW),
      'context envelope evidence mode does not match context.context_evidence_mode',
      'context.context_evidence_mode',
    );
  });

  it('re-verifies a hand-built envelope', () => {
    const forged: ContextEnvelope = { ...ENVELOPE, contextSetDigest: 'd'.repeat(64) };
    assert.throws(
      () => bindContextEnvelope(intent(), forged, NOW),
      (e: unknown) => isGaitError(e, 'artifact_invalid') && e.message === 'verify context envelope: context_set_digest mismatch',
    );
  });

  it('digests the bound context members (gate.md §A3.5) and stays idempotent under re-normalization', () => {
    const bound = bindContextEnvelope(intent({ auth_context: { provider: 'oidc' } }), ENVELOPE, NOW);
    assert.deepEqual(toIntentDigestObject(bound)['context'], {
      identity: 'alice',
      workspace: '/w',
      risk_class: 'high',
      phase: 'apply',
      auth_context: { provider: 'oidc', context_age_seconds: 1200 },
      context_refs: ['ctx_a', 'ctx_b'],
      context_set_digest: ENVELOPE.contextSetDigest,
      context_evidence_mode: 'required',
    });
    assert.equal(intentDigest(normalizeIntent(toIntentWire(bound))), intentDigest(bound));
  });
});

describe('prepareIntent() / prepareIntentDetailed() with and without an envelope', () => {
  const claimed = intent({
    context_set_digest: ENVELOPE.contextSetDigest,
    context_evidence_mode: 'required',
    context_refs: ['r1'],
    auth_context: { context_age_seconds: 5, provider: 'oidc' },
  });

  it('without an envelope: claims stripped, context source empty (unchanged behaviour)', () => {
    const prepared = prepareIntentDetailed(claimed);
    assert.equal(prepared.contextSource, '');
    assert.deepEqual(prepared.intent, stripContextEvidence(claimed));
    assert.deepEqual(prepareIntent(claimed), prepared.intent);
    assert.equal(prepared.intent.context.contextSetDigest, '');
    assert.equal(prepared.intent.context.contextEvidenceMode, '');
    assert.deepEqual(prepared.intent.context.contextRefs, []);
    assert.deepEqual(prepared.intent.context.authContext, { provider: 'oidc' });
  });

  it('with an envelope: bound, context source `context_envelope`', () => {
    const prepared = prepareIntentDetailed(claimed, ENVELOPE, NOW);
    assert.equal(prepared.contextSource, 'context_envelope');
    assert.deepEqual(prepared.intent.context.contextRefs, ['ctx_a', 'ctx_b']);
    assert.deepEqual(prepared.intent.context.authContext, { provider: 'oidc', context_age_seconds: 1200 });
    assert.deepEqual(prepareIntent(claimed, ENVELOPE, NOW), prepared.intent);
    assert.equal(claimed.context.contextRefs[0], 'r1', 'input not mutated');
  });

  it('an envelope without an evaluation time is a programming error', () => {
    assert.throws(() => prepareIntentDetailed(claimed, ENVELOPE), (e: unknown) => isGaitError(e, 'internal_failure'));
  });
});
