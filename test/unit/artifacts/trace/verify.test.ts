import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildTraceRecord, signTrace } from '../../../../src/artifacts/trace/build.js';
import { applyTraceMemberRules } from '../../../../src/artifacts/trace/member-rules.js';
import { verifyTrace } from '../../../../src/artifacts/trace/verify.js';
import { parsePrivateKeyText, parsePublicKeyText, signingKeyFromSeed, verifyKeyOf } from '../../../../src/crypto/keys.js';
import { canonicalize } from '../../../../src/jcs/canonicalize.js';
import { parseTimestamp } from '../../../../src/runtime/timestamp.js';
import type { JsonObject } from '../../../../src/schema/v1/json-types.js';
import { normalizeIntent, prepareIntent } from '../../../../src/schema/v1/intent.js';

const vectors = join(process.cwd(), 'test/fixtures/vectors/gait-v1');
const KEY_ID = '8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52';
const signingKey = parsePrivateKeyText(readFileSync(join(vectors, 'keys/approval_private.key'), 'utf8'));
const verifyKey = parsePublicKeyText(readFileSync(join(vectors, 'keys/approval_public.key'), 'utf8'));
const otherKey = verifyKeyOf(signingKeyFromSeed(new Uint8Array(32).fill(7)));

const rawIntent = JSON.parse(readFileSync(join(vectors, 'integration/intent.json'), 'utf8')) as Record<string, unknown>;

function signedTrace(): JsonObject {
  const record = buildTraceRecord({
    intent: prepareIntent(normalizeIntent({ ...rawIntent, context: { ...(rawIntent['context'] as object), session_id: 's-1' } })),
    verdict: 'block',
    violations: ['external_target'],
    reasonCodes: ['blocked_external'],
    policyDigest: 'f4581f55c41a3ee69b316c95f66fbfc293ae7f06e6458491e3ca232dfb26608c',
    intentDigest: '74d4a052fd27c63f110e0879f227215aed15a8e522946d38a2fb515374fbafa8',
    argsDigest: '1bb68c85c9c51b9b733114cb635626545b38b115a266f1ce490655bb2fbfa3ff',
    producerVersion: '0.0.0-test',
    observedAt: parseTimestamp('2026-02-05T00:00:01.25Z'),
    correlationId: 'cid-1',
    latencyMs: 3.5,
  });
  return signTrace(record, signingKey);
}

describe('verifyTrace', () => {
  it('verifies a trace signed with the Gait test key pair', () => {
    const trace = signedTrace();
    const signature = trace['signature'] as Record<string, unknown>;
    // Literals cross-checked with Python (sorted-key JSON + hashlib, `cryptography` Ed25519 verify).
    assert.deepEqual(signature, {
      alg: 'ed25519',
      key_id: KEY_ID,
      sig: 'Q6tQQttX/avI6DC7lsFEB4r78ZK7xfKZgG8arqbbsxXXj0BcBKIE7sNVx9oL9CRL9NbgKMo+xHItHk0xBIvyBQ==',
      signed_digest: '93c5b97ecd653c41860b56e24ebfcdf88e4f5bd2be7b615f1a91cf0dbe307d4d',
    });
    assert.equal(trace['event_id'], '91188bb92a771475c2530a82');
    assert.deepEqual(verifyTrace(trace, verifyKey), {
      ok: true,
      traceId: '9a714d67a491c4bd98dd7983',
      verdict: 'block',
      keyId: KEY_ID,
      signatureStatus: 'verified',
      checks: [
        { name: 'schema', ok: true },
        { name: 'signature', ok: true },
      ],
      error: '',
    });
  });

  it('verifies after a JSON round trip of the 2-space file form', () => {
    const text = `${JSON.stringify(signedTrace(), null, 2)}\n`;
    assert.equal(verifyTrace(JSON.parse(text), verifyKey).ok, true);
  });

  for (const [member, value] of [
    ['verdict', 'allow'],
    ['tool_name', 'tool.read'],
    ['correlation_id', 'cid-2'],
    ['latency_ms', 4],
    ['observed_at', '2026-02-05T00:00:02Z'],
    ['violations', []],
  ] as const) {
    it(`fails with signed_digest mismatch when ${member} is tampered with`, () => {
      const report = verifyTrace({ ...signedTrace(), [member]: value }, verifyKey);
      assert.equal(report.ok, false);
      assert.equal(report.signatureStatus, 'failed');
      assert.equal(report.error, 'signed_digest mismatch');
      assert.deepEqual(report.checks, [
        { name: 'schema', ok: true },
        { name: 'signature', ok: false, detail: 'signed_digest mismatch' },
      ]);
    });
  }

  it('fails when a nested member is tampered with', () => {
    const trace = signedTrace();
    const relationship = trace['relationship'] as JsonObject;
    const tampered = { ...trace, relationship: { ...relationship, parent_ref: { kind: 'session', id: 's-2' } } };
    assert.equal(verifyTrace(tampered, verifyKey).error, 'signed_digest mismatch');
  });

  it('fails with key id mismatch for another key', () => {
    const report = verifyTrace(signedTrace(), otherKey);
    assert.equal(report.ok, false);
    assert.equal(report.error, 'key id mismatch');
    assert.equal(report.keyId, KEY_ID);
  });

  it('rejects a member outside the schema before checking the signature (D6)', () => {
    const report = verifyTrace({ ...signedTrace(), reason_codes: ['blocked_external'] }, verifyKey);
    assert.deepEqual(report, {
      ok: false,
      traceId: '9a714d67a491c4bd98dd7983',
      verdict: 'block',
      keyId: KEY_ID,
      signatureStatus: 'failed',
      checks: [{ name: 'schema', ok: false, detail: '/: must NOT have additional properties (`reason_codes`)' }],
      error: 'trace schema validation failed: /: must NOT have additional properties (`reason_codes`)',
    });
  });

  it('reports a missing signature', () => {
    const { signature: _signature, ...unsigned } = signedTrace();
    const report = verifyTrace(unsigned, verifyKey);
    assert.equal(report.ok, false);
    assert.equal(report.error, 'trace signature missing');
    assert.equal(report.keyId, verifyKey.keyId);
    assert.deepEqual(report.checks, [
      { name: 'schema', ok: true },
      { name: 'signature', ok: false, detail: 'trace signature missing' },
    ]);
  });

  it('returns a failed report for non-object input without throwing', () => {
    const report = verifyTrace('not a trace', verifyKey);
    assert.equal(report.ok, false);
    assert.equal(report.error, 'trace schema validation failed: /: must be object');
    assert.equal(report.traceId, '');
  });

  it('re-renders timestamps canonically before digesting (§A8 step 2)', () => {
    const trace = signedTrace();
    // Same instant and offset, non-canonical fraction: a Go decoder re-renders it as the signer did.
    const report = verifyTrace({ ...trace, observed_at: '2026-02-05T00:00:01.250000Z' }, verifyKey);
    assert.equal(report.ok, true, report.error);
  });

  it('ignores empty omit-empty members, as a Go decoder re-encoding the record would', () => {
    const report = verifyTrace({ ...signedTrace(), approval_token_ref: '', context_ref_count: 0, matched_rule_ids: [] }, verifyKey);
    assert.equal(report.ok, true, report.error);
  });

  it('fails for every position when one character is replaced by a different letter or digit', () => {
    const text = JSON.stringify(signedTrace());
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] === '7' ? '8' : '7';
      const mutated = text.slice(0, i) + ch + text.slice(i + 1);
      let parsed: unknown;
      try {
        parsed = JSON.parse(mutated);
      } catch {
        continue;
      }
      assert.equal(verifyTrace(parsed, verifyKey).ok, false, `position ${i} (${text.slice(Math.max(0, i - 10), i + 10)})`);
    }
  });

  it('accepts no single-character change of the serialized trace that alters signed content', () => {
    const trace = signedTrace();
    const text = JSON.stringify(trace);
    const original = canonicalize(applyTraceMemberRules(trace));
    const originalSig = trace['signature'] as Record<string, string>;
    fc.assert(
      fc.property(fc.nat({ max: text.length - 1 }), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }), (index, ch) => {
        fc.pre(text[index] !== ch);
        const mutated = text.slice(0, index) + ch + text.slice(index + 1);
        let parsed: unknown;
        try {
          parsed = JSON.parse(mutated);
        } catch {
          return; // parse failure
        }
        const report = verifyTrace(parsed, verifyKey);
        if (!report.ok) return;
        // Accepted only when the change is semantically neutral: same rebuilt record and same envelope
        // (timestamps re-rendered canonically, e.g. `t`/`z` case; base64 padding bits of `sig`).
        const record = parsed as JsonObject;
        const sig = record['signature'] as Record<string, string>;
        assert.equal(canonicalize(applyTraceMemberRules(record)), original);
        assert.equal(sig['signed_digest'], originalSig['signed_digest']);
        assert.equal(sig['key_id'], originalSig['key_id']);
        assert.deepEqual(Buffer.from(sig['sig'] ?? '', 'base64'), Buffer.from(originalSig['sig'] ?? '', 'base64'));
      }),
      { numRuns: 2000 },
    );
  });
});
