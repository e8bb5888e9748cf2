/**
 * The relationship envelope of a trace (gate.md §A7.3 "For a trace"), normalized by the shared
 * envelope normalizer so sorting, de-duplication and `related_entity_ids` follow §A7.3 exactly.
 */
import { normalizeRelationship } from '../../schema/v1/relationship.js';
import type { Intent } from '../../schema/v1/intent-types.js';
import type { JsonObject } from '../../schema/v1/json-types.js';

export interface TracePolicyRef {
  readonly policyId: string;
  readonly policyVersion: string;
  readonly policyDigest: string;
  readonly matchedRuleIds: readonly string[];
}

function node(kind: string, id: string): JsonObject {
  return { kind, id };
}

function agentChain(intent: Intent): JsonObject[] {
  const delegation = intent.delegation;
  if (delegation === undefined) return [{ identity: intent.context.identity, role: 'requester' }];
  const chain: JsonObject[] = [{ identity: delegation.requesterIdentity, role: 'requester' }];
  for (const link of delegation.chain) {
    chain.push({ identity: link.delegatorIdentity, role: 'delegator' });
    chain.push({ identity: link.delegateIdentity, role: 'delegate' });
  }
  return chain;
}

function edges(intent: Intent, policyDigest: string): JsonObject[] {
  const { toolName } = intent;
  const out: JsonObject[] = [
    { kind: 'calls', from: node('agent', intent.context.identity), to: node('tool', toolName) },
    { kind: 'governed_by', from: node('tool', toolName), to: node('policy', policyDigest) },
  ];
  for (const link of intent.delegation?.chain ?? []) {
    out.push({
      kind: 'delegates_to',
      from: node('agent', link.delegatorIdentity),
      to: node('agent', link.delegateIdentity),
    });
  }
  return out;
}

/** Builds the trace's relationship envelope; undefined only if every part is empty. */
export function buildTraceRelationship(intent: Intent, traceId: string, policy: TracePolicyRef): JsonObject | undefined {
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
    agent_chain: agentChain(intent),
    edges: edges(intent, policy.policyDigest),
  };
  if (intent.context.sessionId !== '') raw['parent_ref'] = node('session', intent.context.sessionId);
  return normalizeRelationship(raw, 'relationship', 'internal_failure');
}
