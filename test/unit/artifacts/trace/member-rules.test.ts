/**
 * The member-rule engine (src/artifacts/trace/rules-engine.ts) returns unchanged values as they are
 * instead of copying them; these tests hold it to a plain reference rebuild (the engine's original
 * form) on arbitrary records, and pin the sharing it is allowed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyMemberRules, applyTraceMemberRules, normalizedTrace, TRACE_MEMBER_RULES } from '../../../../src/artifacts/trace/member-rules.js';
import type { MemberRules } from '../../../../src/artifacts/trace/member-rules.js';
import type { MemberRule } from '../../../../src/artifacts/trace/rules-engine.js';
import { formatTimestamp, parseTimestamp, ZERO_TIME } from '../../../../src/runtime/timestamp.js';
import type { JsonObject, JsonValue } from '../../../../src/schema/v1/json-types.js';

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value);
}

function referenceWellFormed(value: JsonValue): JsonValue {
  if (typeof value === 'string') return value.toWellFormed();
  if (Array.isArray(value)) return value.map(referenceWellFormed);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, referenceWellFormed(v)]));
  }
  return value;
}

function referenceRule(rule: MemberRule, value: JsonValue | undefined): JsonValue | undefined {
  if (rule === 'time') {
    if (value === undefined || value === null || value === '') return formatTimestamp(ZERO_TIME);
    return formatTimestamp(parseTimestamp(String(value)));
  }
  if (rule === 'always') return value === undefined ? undefined : referenceWellFormed(value);
  if (rule === 'omit') {
    const empty = value === undefined || value === null || value === '' || value === 0 || value === false;
    return empty || (Array.isArray(value) && value.length === 0) ? undefined : referenceWellFormed(value);
  }
  if ('object' in rule) return isObject(value) ? reference(value, rule.object) : undefined;
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map((item) => (isObject(item) ? reference(item, rule.objects) : referenceWellFormed(item)));
}

/** The rebuild as first written: a fresh object per level, members in rule order. */
function reference(value: JsonObject, rules: MemberRules): JsonObject {
  const out: JsonObject = {};
  for (const [name, rule] of Object.entries(rules)) {
    const member = referenceRule(rule, value[name]);
    if (member !== undefined) out[name] = member;
  }
  return out;
}

function outcome(f: () => JsonObject): string {
  try {
    // JSON.stringify escapes lone surrogates and keeps member order, so equal text is equal output.
    return JSON.stringify(f());
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

const text = fc.oneof(fc.constantFrom('', 'a', ' a ', 'x\ud800', '\udc00', '\u{1f600}'), fc.string({ maxLength: 4, unit: 'binary' }));
const time = fc.constantFrom('2026-02-05T00:00:00Z', '2026-02-05t00:00:00.120z', '2026-02-05T01:00:00+01:00', '2026-02-05T00:00:00-00:00', 'not a time', '', null);
const scalar = fc.oneof(text, fc.constantFrom(0, 1, -0, 2.5, true, false, null), time);
const node = fc.record({ kind: scalar, id: scalar, extra: scalar }, { requiredKeys: [] });
// eslint-disable-next-line no-sparse-arrays -- a hole must stay a hole through the rules
const SPARSE = [1, , 3] as unknown as JsonValue;
const member = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 3 }),
  node,
  fc.array(fc.oneof(node, scalar), { maxLength: 3 }),
  fc.constantFrom(new Date(0) as unknown as JsonValue, SPARSE),
);
const relationship = fc.record(
  {
    parent_ref: fc.oneof(node, scalar),
    entity_refs: fc.array(fc.oneof(node, scalar), { maxLength: 3 }),
    policy_ref: fc.record({ policy_id: scalar, matched_rule_ids: fc.array(text, { maxLength: 2 }) }, { requiredKeys: [] }),
    edges: fc.array(fc.record({ kind: scalar, from: node, to: node }, { requiredKeys: [] }), { maxLength: 2 }),
    related_entity_ids: fc.array(text, { maxLength: 3 }),
    unknown: scalar,
  },
  { requiredKeys: [] },
);
const agentIdentity = fc.record({ owner: scalar, issued_at: time, revoked: scalar, lifecycle_states: fc.array(text, { maxLength: 2 }) }, { requiredKeys: [] });
const NAMES = Object.keys(TRACE_MEMBER_RULES);
/** A record with some trace members (times, nested objects, anything else) and unknown ones, in any order. */
const record = fc
  .tuple(
    fc.uniqueArray(fc.oneof(fc.constantFrom(...NAMES), fc.constantFrom('signature', 'unknown', '__proto__')), { maxLength: 24 }),
    fc.array(member, { minLength: 24, maxLength: 24 }),
    relationship,
    agentIdentity,
    time,
  )
  .map(([names, values, rel, identity, t]) => {
    const out: JsonObject = {};
    names.forEach((name, i) => {
      const rule = TRACE_MEMBER_RULES[name];
      const value = name === 'relationship' ? rel : name === 'agent_identity' ? identity : rule === 'time' ? t : values[i];
      Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    });
    return out;
  });

describe('applyMemberRules', () => {
  it('equals the reference rebuild on arbitrary records, errors included', () => {
    fc.assert(
      fc.property(record, (r) => {
        assert.equal(outcome(() => applyTraceMemberRules(r)), outcome(() => reference(r, TRACE_MEMBER_RULES)));
        assert.equal(outcome(() => normalizedTrace(r)), outcome(() => reference(r, TRACE_MEMBER_RULES)));
      }),
      { numRuns: 3000 },
    );
  });

  it('returns a normalized record itself from normalizedTrace, and a fresh top-level object from applyMemberRules', () => {
    fc.assert(
      fc.property(record, (r) => {
        let normalized: JsonObject;
        try {
          normalized = reference(r, TRACE_MEMBER_RULES);
        } catch {
          return;
        }
        const before = JSON.stringify(normalized);
        assert.equal(normalizedTrace(normalized), normalized);
        const copy = applyTraceMemberRules(normalized);
        assert.notEqual(copy, normalized);
        assert.equal(JSON.stringify(copy), before);
        assert.equal(JSON.stringify(normalized), before, 'the input is never modified');
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent: a result of normalizedTrace comes back as it is (what buildSignedTrace relies on)', () => {
    fc.assert(
      fc.property(record, (r) => {
        let once: JsonObject;
        try {
          once = normalizedTrace(r);
        } catch {
          return;
        }
        assert.equal(normalizedTrace(once), once);
        assert.equal(normalizedTrace(normalizedTrace(once)), once);
      }),
      { numRuns: 3000 },
    );
  });

  it('copies non-plain objects into plain ones, as the reference does', () => {
    class Box {
      kind = 'k';
      id = 'i';
    }
    const rules: MemberRules = { node: { object: { kind: 'always', id: 'always' } }, any: 'always' };
    const value = { node: new Box(), any: { nested: new Box() } } as unknown as JsonObject;
    const out = applyMemberRules(value, rules);
    assert.equal(Object.getPrototypeOf(out['node']), Object.prototype);
    assert.equal(Object.getPrototypeOf((out['any'] as JsonObject)['nested']), Object.prototype);
    assert.equal(JSON.stringify(out), JSON.stringify(reference(value, rules)));
  });
});
