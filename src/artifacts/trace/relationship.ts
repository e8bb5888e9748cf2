/**
 * The relationship envelope of a trace (gate.md §A7.3 "For a trace"), built directly in the form
 * the shared envelope normalizer (`normalizeRelationship`) gives: ids trimmed, empty ids dropped,
 * lists de-duplicated and sorted by code point, `related_entity_ids` from the entity refs. The
 * normalizer reads a wire-JSON envelope through an `ObjectReader` and sorts generic key tuples, which
 * was about a tenth of signing a decision; the trace's envelope has a fixed shape, so its order is
 * known: kinds and roles are constants, and only the ids need sorting. The unit tests compare this
 * builder with the normalizer.
 */
import type { Intent } from '../../schema/v1/intent-types.js';
import type { JsonObject } from '../../schema/v1/json-types.js';
import { compareCodePoints, lowerSimple, normalizedList, trimSpec } from '../../schema/v1/text.js';

export interface TracePolicyRef {
  readonly policyId: string;
  readonly policyVersion: string;
  readonly policyDigest: string;
  readonly matchedRuleIds: readonly string[];
}

function node(kind: string, id: string): JsonObject {
  return { kind, id };
}

/** `entity_refs`: one ref per kind, so sorting by (kind, id) is the kind order agent < policy < tool < trace. */
function entityRefs(agent: string, policy: string, tool: string, trace: string): JsonObject[] {
  const refs: JsonObject[] = [];
  if (agent !== '') refs.push(node('agent', agent));
  if (policy !== '') refs.push(node('policy', policy));
  if (tool !== '') refs.push(node('tool', tool));
  if (trace !== '') refs.push(node('trace', trace));
  return refs;
}

function policyRef(policy: TracePolicyRef): JsonObject | undefined {
  const out: JsonObject = {};
  const policyId = trimSpec(policy.policyId);
  const policyVersion = trimSpec(policy.policyVersion);
  const policyDigest = lowerSimple(trimSpec(policy.policyDigest));
  const matched = policy.matchedRuleIds.length === 0 ? [] : normalizedList(policy.matchedRuleIds);
  if (policyId !== '') out['policy_id'] = policyId;
  if (policyVersion !== '') out['policy_version'] = policyVersion;
  if (policyDigest !== '') out['policy_digest'] = policyDigest;
  if (matched.length > 0) out['matched_rule_ids'] = matched;
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * `normalizedList` of trimmed ids (drop '', de-duplicate, sort by code point) without its Set and
 * copies: the lists here hold a handful of ids, so each is inserted in place (skipped when already
 * there). Only equal strings compare equal, so this is the one sorted, duplicate-free order.
 */
function sortedIds(ids: readonly string[]): string[] {
  if (ids.length > 16) {
    const kept = ids.filter((id) => id !== '').sort(compareCodePoints);
    return kept.filter((id, i) => i === 0 || id !== kept[i - 1]);
  }
  const out: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as string;
    if (id === '') continue;
    let at = out.length;
    while (at > 0 && compareCodePoints(out[at - 1] as string, id) > 0) at--;
    if (at > 0 && out[at - 1] === id) continue;
    out.push(id);
    for (let k = out.length - 1; k > at; k--) out[k] = out[k - 1] as string;
    out[at] = id;
  }
  return out;
}

/** `agent_chain` sorted by (role, identity): roles order delegate < delegator < requester. */
function agentChain(intent: Intent): JsonObject[] {
  const delegation = intent.delegation;
  const requester = trimSpec(delegation === undefined ? intent.context.identity : delegation.requesterIdentity);
  const out: JsonObject[] = [];
  const chain = delegation?.chain ?? [];
  if (chain.length > 0) {
    const delegates = sortedIds(chain.map((link) => trimSpec(link.delegateIdentity)));
    const delegators = sortedIds(chain.map((link) => trimSpec(link.delegatorIdentity)));
    for (const identity of delegates) out.push({ identity, role: 'delegate' });
    for (const identity of delegators) out.push({ identity, role: 'delegator' });
  }
  if (requester !== '') out.push({ identity: requester, role: 'requester' });
  return out;
}

/**
 * The `delegates_to` edges: the first of each (from, to) pair, keyed as the normalizer keys it
 * (parts joined with U+0000, so ids holding U+0000 collide exactly as there), sorted by (from, to).
 */
function delegationEdges(intent: Intent): JsonObject[] {
  const chain = intent.delegation?.chain ?? [];
  if (chain.length === 0) return [];
  const seen = new Set<string>();
  const pairs: (readonly [string, string])[] = [];
  for (const link of chain) {
    const from = trimSpec(link.delegatorIdentity);
    const to = trimSpec(link.delegateIdentity);
    const key = `${from}\u0000agent\u0000${to}`;
    if (from === '' || to === '' || seen.has(key)) continue;
    seen.add(key);
    pairs.push([from, to]);
  }
  pairs.sort((a, b) => compareCodePoints(a[0], b[0]) || compareCodePoints(a[1], b[1]));
  return pairs.map(([from, to]) => ({ kind: 'delegates_to', from: node('agent', from), to: node('agent', to) }));
}

/** `edges` sorted by kind (calls < delegates_to < governed_by), then by their nodes. */
function edges(intent: Intent, agent: string, tool: string, policy: string): JsonObject[] {
  const out: JsonObject[] = [];
  if (agent !== '' && tool !== '') out.push({ kind: 'calls', from: node('agent', agent), to: node('tool', tool) });
  for (const edge of delegationEdges(intent)) out.push(edge);
  if (tool !== '' && policy !== '') out.push({ kind: 'governed_by', from: node('tool', tool), to: node('policy', policy) });
  return out;
}

function setList(out: JsonObject, key: string, list: JsonObject[] | string[]): void {
  if (list.length > 0) out[key] = list;
}

/** Builds the trace's relationship envelope; undefined only if every part is empty. */
export function buildTraceRelationship(intent: Intent, traceId: string, policy: TracePolicyRef): JsonObject | undefined {
  const agent = trimSpec(intent.context.identity);
  const tool = trimSpec(intent.toolName);
  const policyNode = trimSpec(policy.policyDigest);
  const trace = trimSpec(traceId);
  const session = trimSpec(intent.context.sessionId);
  // Members in the normalizer's order: parent_ref, entity_refs, policy_ref, agent_chain, edges,
  // related_entity_ids (the trace has no parent_record_id, related_record_ids or agent_lineage).
  const out: JsonObject = {};
  if (session !== '') out['parent_ref'] = node('session', session);
  setList(out, 'entity_refs', entityRefs(agent, policyNode, tool, trace));
  const ref = policyRef(policy);
  if (ref !== undefined) out['policy_ref'] = ref;
  setList(out, 'agent_chain', agentChain(intent));
  setList(out, 'edges', edges(intent, agent, tool, policyNode));
  setList(out, 'related_entity_ids', sortedIds([agent, policyNode, tool, trace]));
  return Object.keys(out).length === 0 ? undefined : out;
}
