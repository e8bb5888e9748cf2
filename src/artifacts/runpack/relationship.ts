/**
 * The relationship envelope of a run timeline event (artifacts.md §2.2): the member set of gate.md
 * §A7.3, top-level members omit-empty, `kind`/`id`/`identity`/`role`/`agent_id` always inside their
 * objects, values kept as given (not re-normalized, unlike a trace's envelope).
 */
import type { ObjectReader } from '../../schema/v1/decode.js';
import type { JsonObject } from '../../schema/v1/json-types.js';

function nodeRef(r: ObjectReader): JsonObject {
  return { kind: r.string('kind'), id: r.string('id') };
}

function setList(out: JsonObject, key: string, items: JsonObject[] | string[]): void {
  if (items.length > 0) out[key] = items;
}

function setString(out: JsonObject, key: string, value: string): void {
  if (value !== '') out[key] = value;
}

function policyRef(r: ObjectReader): JsonObject {
  const out: JsonObject = {};
  setString(out, 'policy_id', r.string('policy_id'));
  setString(out, 'policy_version', r.string('policy_version'));
  setString(out, 'policy_digest', r.string('policy_digest'));
  setList(out, 'matched_rule_ids', r.stringArray('matched_rule_ids'));
  return out;
}

function edge(r: ObjectReader): JsonObject {
  const from = r.object('from');
  const to = r.object('to');
  return {
    kind: r.string('kind'),
    from: from === undefined ? { kind: '', id: '' } : nodeRef(from),
    to: to === undefined ? { kind: '', id: '' } : nodeRef(to),
  };
}

function lineage(r: ObjectReader): JsonObject {
  const out: JsonObject = { agent_id: r.string('agent_id') };
  setString(out, 'delegated_by', r.string('delegated_by'));
  setString(out, 'delegation_record_id', r.string('delegation_record_id'));
  return out;
}

/**
 * Rebuilds a timeline event's relationship with exactly the §A7.3 members.
 * @throws GaitError (the reader's code) for a member of the wrong JSON type
 */
export function decodeRelationship(r: ObjectReader): JsonObject {
  const out: JsonObject = {};
  const parent = r.object('parent_ref');
  if (parent !== undefined) out['parent_ref'] = nodeRef(parent);
  setList(out, 'entity_refs', r.objectArray('entity_refs').map(nodeRef));
  const policy = r.object('policy_ref');
  if (policy !== undefined) out['policy_ref'] = policyRef(policy);
  setList(out, 'agent_chain', r.objectArray('agent_chain').map((a) => ({ identity: a.string('identity'), role: a.string('role') })));
  setList(out, 'edges', r.objectArray('edges').map(edge));
  setString(out, 'parent_record_id', r.string('parent_record_id'));
  setList(out, 'related_record_ids', r.stringArray('related_record_ids'));
  setList(out, 'related_entity_ids', r.stringArray('related_entity_ids'));
  setList(out, 'agent_lineage', r.objectArray('agent_lineage').map(lineage));
  return out;
}
