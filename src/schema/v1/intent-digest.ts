/**
 * The intent digest object and the digests built on it (gate.md §A3.5), with the v1 member rules of
 * §A1.3: "always" members kept when empty, omit-empty members dropped, timestamps under the zero-time rule.
 */
import { digestJcs } from '../../crypto/digest.js';
import { formatTimestamp, ZERO_TIME } from '../../runtime/timestamp.js';
import type { Timestamp } from '../../runtime/timestamp-type.js';
import type {
  AgentIdentity,
  Delegation,
  DelegationLink,
  Intent,
  IntentContext,
  Provenance,
  SandboxContext,
  SkillProvenance,
  Target,
} from './intent-types.js';
import type { JsonObject, JsonValue } from './json-types.js';

/** Zero-time rule: an unset timestamp renders as `0001-01-01T00:00:00Z`. */
function timeValue(ts: Timestamp | null): string {
  return formatTimestamp(ts ?? ZERO_TIME);
}

/** Adds an omit-empty member: skipped when '', 0, false, [] or undefined. */
function put(out: JsonObject, key: string, value: JsonValue | readonly string[] | undefined): void {
  if (value === undefined || value === '' || value === 0 || value === false) return;
  if (Array.isArray(value) && value.length === 0) return;
  out[key] = value as JsonValue;
}

/** A target as digested: kind and value always, strings omit-empty, booleans only when true. */
export function toTargetObject(t: Target): JsonObject {
  const out: JsonObject = { kind: t.kind, value: t.value };
  put(out, 'operation', t.operation);
  put(out, 'sensitivity', t.sensitivity);
  put(out, 'endpoint_class', t.endpointClass);
  put(out, 'endpoint_domain', t.endpointDomain);
  put(out, 'destructive', t.destructive);
  put(out, 'discovery_method', t.discoveryMethod);
  put(out, 'read_only_hint', t.readOnlyHint);
  put(out, 'destructive_hint', t.destructiveHint);
  put(out, 'idempotent_hint', t.idempotentHint);
  put(out, 'open_world_hint', t.openWorldHint);
  return out;
}

function toProvenanceObject(p: Provenance): JsonObject {
  const out: JsonObject = { arg_path: p.argPath, source: p.source };
  put(out, 'source_ref', p.sourceRef);
  put(out, 'integrity_digest', p.integrityDigest);
  return out;
}

function toSkillObject(s: SkillProvenance): JsonObject {
  const out: JsonObject = { skill_name: s.skillName };
  put(out, 'skill_version', s.skillVersion);
  out['source'] = s.source;
  out['publisher'] = s.publisher;
  put(out, 'digest', s.digest);
  put(out, 'signature_key_id', s.signatureKeyId);
  return out;
}

function toLinkObject(link: DelegationLink): JsonObject {
  const out: JsonObject = { delegator_identity: link.delegatorIdentity, delegate_identity: link.delegateIdentity };
  put(out, 'scope_class', link.scopeClass);
  put(out, 'token_ref', link.tokenRef);
  out['issued_at'] = timeValue(link.issuedAt);
  out['expires_at'] = timeValue(link.expiresAt);
  return out;
}

/** The normalized delegation object (§A3.5 delegation row). */
export function toDelegationObject(d: Delegation): JsonObject {
  const out: JsonObject = { requester_identity: d.requesterIdentity };
  put(out, 'scope_class', d.scopeClass);
  put(out, 'token_refs', d.tokenRefs);
  if (d.chain.length > 0) out['chain'] = d.chain.map(toLinkObject);
  out['issued_at'] = timeValue(d.issuedAt);
  out['expires_at'] = timeValue(d.expiresAt);
  return out;
}

/** `context.agent_identity` as digested (timestamps under the zero-time rule). */
export function toAgentIdentityObject(a: AgentIdentity): JsonObject {
  const out: JsonObject = {};
  put(out, 'lifecycle_states', a.lifecycleStates);
  put(out, 'owner', a.owner);
  put(out, 'manifest_digest', a.manifestDigest);
  put(out, 'publisher', a.publisher);
  put(out, 'source', a.source);
  out['issued_at'] = timeValue(a.issuedAt);
  out['approved_at'] = timeValue(a.approvedAt);
  out['expires_at'] = timeValue(a.expiresAt);
  put(out, 'revoked', a.revoked);
  return out;
}

function toSandboxObject(s: SandboxContext): JsonObject {
  const out: JsonObject = {};
  put(out, 'network_mode', s.networkMode);
  put(out, 'writable_paths', s.writablePaths);
  put(out, 'read_only_roots', s.readOnlyRoots);
  put(out, 'env_exposure_mode', s.envExposureMode);
  put(out, 'timeout_seconds', s.timeoutSeconds);
  put(out, 'filesystem_isolation', s.filesystemIsolation);
  put(out, 'user_mode', s.userMode);
  put(out, 'evidence_ref', s.evidenceRef);
  put(out, 'evidence_digest', s.evidenceDigest);
  return out;
}

/** `context` as digested: identity, workspace, risk_class always; the rest omit-empty (§A3.1 order). */
export function toContextObject(c: IntentContext): JsonObject {
  const out: JsonObject = { identity: c.identity, workspace: c.workspace, risk_class: c.riskClass };
  put(out, 'phase', c.phase);
  put(out, 'agent_id', c.agentId);
  if (c.agentIdentity !== undefined) out['agent_identity'] = toAgentIdentityObject(c.agentIdentity);
  const strings: [string, string][] = [
    ['run_id', c.runId], ['workflow_id', c.workflowId], ['repo', c.repo], ['environment', c.environment],
    ['job_id', c.jobId], ['session_id', c.sessionId], ['request_id', c.requestId], ['credential_ref', c.credentialRef],
    ['credential_source', c.credentialSource], ['credential_access_type', c.credentialAccessType],
    ['credential_issuer', c.credentialIssuer], ['credential_subject', c.credentialSubject],
    ['credential_owner', c.credentialOwner], ['credential_target_binding', c.credentialTargetBinding],
    ['credential_run_binding', c.credentialRunBinding], ['credential_job_binding', c.credentialJobBinding],
  ];
  for (const [key, value] of strings) put(out, key, value);
  put(out, 'credential_ttl_seconds', c.credentialTtlSeconds);
  put(out, 'approval_ref', c.approvalRef);
  put(out, 'wrkr_inventory_ref', c.wrkrInventoryRef);
  put(out, 'agent_action_bom_ref', c.agentActionBomRef);
  if (c.authContext !== undefined && Object.keys(c.authContext).length > 0) out['auth_context'] = c.authContext;
  if (c.sandbox !== undefined) out['sandbox'] = toSandboxObject(c.sandbox);
  put(out, 'credential_scopes', c.credentialScopes);
  put(out, 'environment_fingerprint', c.environmentFingerprint);
  put(out, 'context_set_digest', c.contextSetDigest);
  put(out, 'context_evidence_mode', c.contextEvidenceMode);
  put(out, 'context_refs', c.contextRefs);
  return out;
}

/** The intent digest object (gate.md §A3.5 table); never contains schema ids, times, relationship. */
export function toIntentDigestObject(intent: Intent): JsonObject {
  const out: JsonObject = {
    tool_name: intent.toolName,
    args: intent.args,
    targets: intent.targets.map(toTargetObject),
  };
  if (intent.argProvenance.length > 0) out['arg_provenance'] = intent.argProvenance.map(toProvenanceObject);
  if (intent.skillProvenance !== undefined) out['skill_provenance'] = toSkillObject(intent.skillProvenance);
  if (intent.delegation !== undefined) out['delegation'] = toDelegationObject(intent.delegation);
  out['context'] = toContextObject(intent.context);
  return out;
}

/** `intent_digest` = DigestJCS(intent digest object). */
export function intentDigest(intent: Intent): string {
  return digestJcs(toIntentDigestObject(intent));
}

/** `args_digest` = DigestJCS(normalized args). */
export function argsDigest(intent: Intent): string {
  return digestJcs(intent.args);
}

/** Delegation digest (trace `delegation_ref.chain_digest`, approval binding); '' without delegation. */
export function delegationDigest(intent: Intent): string {
  return intent.delegation === undefined ? '' : digestJcs(toDelegationObject(intent.delegation));
}

/** Credential target binding = DigestJCS(normalized targets); no targets digests `[]`. */
export function credentialTargetBinding(intent: Intent): string {
  return digestJcs(intent.targets.map(toTargetObject));
}
