/**
 * The trace's relationship envelope is built directly in normalized form (src/artifacts/trace/
 * relationship.ts); these tests hold it to the shared envelope normalizer it replaces.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildTraceRelationship } from '../../../../src/artifacts/trace/relationship.js';
import type { TracePolicyRef } from '../../../../src/artifacts/trace/relationship.js';
import type { Intent } from '../../../../src/schema/v1/intent-types.js';
import type { JsonObject } from '../../../../src/schema/v1/json-types.js';
import { normalizeRelationship } from '../../../../src/schema/v1/relationship.js';

/** The wire envelope the trace builder used to hand to `normalizeRelationship`. */
function rawEnvelope(intent: Intent, traceId: string, policy: TracePolicyRef): JsonObject {
  const node = (kind: string, id: string): JsonObject => ({ kind, id });
  const delegation = intent.delegation;
  const agentChain: JsonObject[] =
    delegation === undefined
      ? [{ identity: intent.context.identity, role: 'requester' }]
      : [
          { identity: delegation.requesterIdentity, role: 'requester' },
          ...delegation.chain.flatMap((link) => [
            { identity: link.delegatorIdentity, role: 'delegator' },
            { identity: link.delegateIdentity, role: 'delegate' },
          ]),
        ];
  const edges: JsonObject[] = [
    { kind: 'calls', from: node('agent', intent.context.identity), to: node('tool', intent.toolName) },
    { kind: 'governed_by', from: node('tool', intent.toolName), to: node('policy', policy.policyDigest) },
    ...(delegation?.chain ?? []).map((link) => ({
      kind: 'delegates_to',
      from: node('agent', link.delegatorIdentity),
      to: node('agent', link.delegateIdentity),
    })),
  ];
  const raw: JsonObject = {
    entity_refs: [
      node('trace', traceId),
      node('tool', intent.toolName),
      node('agent', intent.context.identity),
      node('policy', policy.policyDigest),
    ],
    policy_ref: {
      policy_id: policy.policyId,
      policy_version: policy.policyVersion,
      policy_digest: policy.policyDigest,
      matched_rule_ids: [...policy.matchedRuleIds],
    },
    agent_chain: agentChain,
    edges,
  };
  if (intent.context.sessionId !== '') raw['parent_ref'] = node('session', intent.context.sessionId);
  return raw;
}

// Ids that exercise trimming, emptiness, duplicates, code-point vs code-unit order and the
// normalizer's U+0000-joined de-duplication keys.
const id = fc.oneof(
  fc.constantFrom('', ' ', 'a', 'b', ' a ', 'A', '\u{1f600}', '\ufb33', 'a\u0000agent\u0000b', 'b\u0000agent\u0000c', 'a\u0000agent', '\u00a0x'),
  fc.string({ maxLength: 4, unit: 'binary' }),
);
const intent = fc.record({
  toolName: id,
  context: fc.record({ identity: id, sessionId: id }),
  delegation: fc.option(
    fc.record({
      requesterIdentity: id,
      // Up to 20 links: the builder sorts up to 16 ids in place and longer lists with `sort`.
      chain: fc.array(fc.record({ delegatorIdentity: id, delegateIdentity: id }), { maxLength: 20 }),
    }),
    { nil: undefined },
  ),
});
const policy = fc.record({
  policyId: fc.constantFrom('gait.gate.policy', '', ' p '),
  policyVersion: fc.constantFrom('1.0.0', ''),
  policyDigest: fc.oneof(id, fc.constantFrom('F'.repeat(64), 'f'.repeat(64))),
  matchedRuleIds: fc.array(id, { maxLength: 3 }),
});

describe('buildTraceRelationship', () => {
  it('equals normalizeRelationship of the wire envelope, member order included', () => {
    fc.assert(
      fc.property(intent, id, policy, (i, traceId, p) => {
        const value = i as unknown as Intent;
        const expected = normalizeRelationship(rawEnvelope(value, traceId, p), 'relationship', 'internal_failure');
        // JSON.stringify escapes lone surrogates, so the comparison is exact and ordered.
        assert.equal(JSON.stringify(buildTraceRelationship(value, traceId, p)), JSON.stringify(expected));
      }),
      { numRuns: 5000 },
    );
  });
});
