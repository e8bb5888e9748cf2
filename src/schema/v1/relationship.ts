/**
 * Relationship envelope normalization (gate.md §A7.3). The envelope is carried on intents, traces and
 * audit records but never digested. Input and output are the snake_case wire form.
 */
import type { ErrorCode } from '../../errors/codes.js';
import { ObjectReader } from './decode.js';
import type { JsonObject } from './json-types.js';
import { compareCodePoints, lowerSimple, normalizedList, trimSpec } from './text.js';

const PARENT_KINDS = new Set(['trace', 'run', 'session', 'intent', 'policy', 'agent', 'evidence']);
const ENTITY_KINDS = new Set(['agent', 'tool', 'resource', 'policy', 'run', 'trace', 'delegation', 'evidence']);
const AGENT_ROLES = new Set(['requester', 'delegator', 'delegate']);
const EDGE_KINDS = new Set(['delegates_to', 'calls', 'governed_by', 'targets', 'derived_from', 'emits_evidence']);

interface NodeRef {
  kind: string;
  id: string;
}

function readNode(reader: ObjectReader | undefined): NodeRef {
  if (reader === undefined) return { kind: '', id: '' };
  return { kind: lowerSimple(trimSpec(reader.string('kind'))), id: trimSpec(reader.string('id')) };
}

/** Keeps the first of each key, then sorts by the key parts in code-point order. */
function uniqueSortedBy<T>(items: readonly T[], keyParts: (item: T) => readonly string[]): T[] {
  const seen = new Set<string>();
  const out: { item: T; parts: readonly string[] }[] = [];
  for (const item of items) {
    const parts = keyParts(item);
    const key = parts.join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ item, parts });
  }
  out.sort((a, b) => {
    for (let i = 0; i < a.parts.length; i++) {
      const c = compareCodePoints(a.parts[i] ?? '', b.parts[i] ?? '');
      if (c !== 0) return c;
    }
    return 0;
  });
  return out.map((entry) => entry.item);
}

function entityRefs(reader: ObjectReader): NodeRef[] {
  const refs = reader
    .objectArray('entity_refs')
    .map(readNode)
    .filter((ref) => ref.id !== '' && ENTITY_KINDS.has(ref.kind));
  return uniqueSortedBy(refs, (ref) => [ref.kind, ref.id]);
}

function agentChain(reader: ObjectReader): JsonObject[] {
  const links = reader
    .objectArray('agent_chain')
    .map((link) => ({ identity: trimSpec(link.string('identity')), role: lowerSimple(trimSpec(link.string('role'))) }))
    .filter((link) => link.identity !== '' && AGENT_ROLES.has(link.role));
  return uniqueSortedBy(links, (link) => [link.role, link.identity]);
}

function edges(reader: ObjectReader): JsonObject[] {
  const list = reader
    .objectArray('edges')
    .map((edge) => ({
      kind: lowerSimple(trimSpec(edge.string('kind'))),
      from: readNode(edge.object('from')),
      to: readNode(edge.object('to')),
    }))
    .filter((e) => EDGE_KINDS.has(e.kind) && e.from.kind !== '' && e.from.id !== '' && e.to.kind !== '' && e.to.id !== '');
  const sorted = uniqueSortedBy(list, (e) => [e.kind, e.from.kind, e.from.id, e.to.kind, e.to.id]);
  return sorted.map((e) => ({ kind: e.kind, from: { ...e.from }, to: { ...e.to } }));
}

function agentLineage(reader: ObjectReader): JsonObject[] {
  const entries = reader
    .objectArray('agent_lineage')
    .map((entry) => ({
      agentId: trimSpec(entry.string('agent_id')),
      delegatedBy: trimSpec(entry.string('delegated_by')),
      recordId: trimSpec(entry.string('delegation_record_id')),
    }))
    .filter((entry) => entry.agentId !== '');
  return uniqueSortedBy(entries, (e) => [e.agentId, e.delegatedBy, e.recordId]).map((e) => {
    const out: JsonObject = { agent_id: e.agentId };
    if (e.delegatedBy !== '') out['delegated_by'] = e.delegatedBy;
    if (e.recordId !== '') out['delegation_record_id'] = e.recordId;
    return out;
  });
}

function policyRef(reader: ObjectReader | undefined): JsonObject | undefined {
  if (reader === undefined) return undefined;
  const out: JsonObject = {};
  const policyId = trimSpec(reader.string('policy_id'));
  const policyVersion = trimSpec(reader.string('policy_version'));
  const policyDigest = lowerSimple(trimSpec(reader.string('policy_digest')));
  const matched = normalizedList(reader.stringArray('matched_rule_ids'));
  if (policyId !== '') out['policy_id'] = policyId;
  if (policyVersion !== '') out['policy_version'] = policyVersion;
  if (policyDigest !== '') out['policy_digest'] = policyDigest;
  if (matched.length > 0) out['matched_rule_ids'] = matched;
  return Object.keys(out).length === 0 ? undefined : out;
}

function setList(out: JsonObject, key: string, list: JsonObject[] | string[]): void {
  if (list.length > 0) out[key] = list;
}

/**
 * Normalizes a relationship envelope given as wire JSON (gate.md §A7.3); undefined when absent or empty.
 * @throws GaitError `code` (default `input_intent`) when a member has the wrong JSON type
 */
export function normalizeRelationship(
  raw: unknown,
  path = 'relationship',
  code: ErrorCode = 'input_intent',
): JsonObject | undefined {
  if (raw === undefined || raw === null) return undefined;
  const reader = ObjectReader.of(raw, path, code);
  const out: JsonObject = {};
  const parent = readNode(reader.object('parent_ref'));
  if (parent.id !== '' && PARENT_KINDS.has(parent.kind)) out['parent_ref'] = { kind: parent.kind, id: parent.id };
  const refs = entityRefs(reader);
  setList(out, 'entity_refs', refs.map((ref) => ({ kind: ref.kind, id: ref.id })));
  const policy = policyRef(reader.object('policy_ref'));
  if (policy !== undefined) out['policy_ref'] = policy;
  setList(out, 'agent_chain', agentChain(reader));
  setList(out, 'edges', edges(reader));
  const parentRecordId = trimSpec(reader.string('parent_record_id'));
  if (parentRecordId !== '') out['parent_record_id'] = parentRecordId;
  setList(out, 'related_record_ids', normalizedList(reader.stringArray('related_record_ids')));
  let relatedEntityIds = normalizedList(reader.stringArray('related_entity_ids'));
  if (relatedEntityIds.length === 0) relatedEntityIds = normalizedList(refs.map((ref) => ref.id));
  setList(out, 'related_entity_ids', relatedEntityIds);
  setList(out, 'agent_lineage', agentLineage(reader));
  return Object.keys(out).length === 0 ? undefined : out;
}
