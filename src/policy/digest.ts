/**
 * `policy_digest` (gate.md §A4.7): DigestJCS of a PascalCase payload built from the normalized policy,
 * byte-compatible with Gait v1. The YAML key names and the alias keys never appear here.
 */
import { digestJcs } from '../crypto/digest.js';
import type { JsonObject, JsonValue } from '../schema/v1/json-types.js';
import type { FreezeWindowRule, Match, McpTrustConfig, Policy, RateLimitRule, Rule, SandboxRule } from './model.js';

type Members = Record<string, JsonValue>;

/** Adds `key: value` when `keep` holds (the payload's "only if set" members). */
function put(out: Members, key: string, value: JsonValue, keep: boolean): void {
  if (keep) out[key] = value;
}

function putList(out: Members, key: string, list: readonly string[]): void {
  put(out, key, [...list], list.length > 0);
}

function matchPayload(m: Match): JsonObject {
  const out: Members = {
    ToolNames: [...m.toolNames],
    RiskClasses: [...m.riskClasses],
    TargetKinds: [...m.targetKinds],
    TargetValues: [...m.targetValues],
    ProvenanceSources: [...m.provenanceSources],
    Identities: [...m.identities],
    WorkspacePrefixes: [...m.workspacePrefixes],
  };
  putList(out, 'EndpointClasses', m.endpointClasses);
  putList(out, 'DiscoveryMethods', m.discoveryMethods);
  const a = m.toolAnnotations;
  if (a !== undefined) {
    const hints: Members = {};
    if (a.readOnlyHint !== undefined) hints.ReadOnlyHint = a.readOnlyHint;
    if (a.destructiveHint !== undefined) hints.DestructiveHint = a.destructiveHint;
    if (a.idempotentHint !== undefined) hints.IdempotentHint = a.idempotentHint;
    if (a.openWorldHint !== undefined) hints.OpenWorldHint = a.openWorldHint;
    put(out, 'ToolAnnotations', hints, Object.keys(hints).length > 0);
  }
  putList(out, 'SkillPublishers', m.skillPublishers);
  putList(out, 'SkillSources', m.skillSources);
  putList(out, 'DataClasses', m.dataClasses);
  putList(out, 'DestinationKinds', m.destinationKinds);
  putList(out, 'DestinationValues', m.destinationValues);
  putList(out, 'DestinationOps', m.destinationOperations);
  putList(out, 'ContextToolNames', m.contextToolNames);
  putList(out, 'ContextDataClasses', m.contextDataClasses);
  putList(out, 'ContextEndpointClasses', m.contextEndpointClasses);
  putList(out, 'ContextAutonomyLevels', m.contextAutonomyLevels);
  put(out, 'RequireDelegation', true, m.requireDelegation);
  putList(out, 'AllowedDelegatorIdentities', m.allowedDelegatorIdentities);
  putList(out, 'AllowedDelegateIdentities', m.allowedDelegateIdentities);
  putList(out, 'DelegationScopes', m.delegationScopes);
  if (m.maxDelegationDepth !== undefined) out.MaxDelegationDepth = m.maxDelegationDepth;
  return out;
}

function freezeWindowPayload(f: FreezeWindowRule): JsonObject {
  return {
    Enabled: f.enabled,
    Timezone: f.timezone,
    Effect: f.effect,
    Reason: f.reason,
    Environments: [...f.environments],
    RiskClasses: [...f.riskClasses],
    Windows: f.windows.map((w) => ({ Name: w.name, Start: w.start, End: w.end })),
  };
}

function sandboxPayload(s: SandboxRule): JsonObject {
  // §A4.7: the two path lists are null (not []) when empty.
  const paths = (list: readonly string[]): JsonValue => (list.length === 0 ? null : [...list]);
  return {
    Enabled: s.enabled,
    AllowedNetworkModes: [...s.allowedNetworkModes],
    AllowedWritablePathPrefixes: paths(s.allowedWritablePathPrefixes),
    RequiredReadOnlyRoots: paths(s.requiredReadOnlyRoots),
    AllowedEnvExposureModes: [...s.allowedEnvExposureModes],
    MaxTimeoutSeconds: s.maxTimeoutSeconds,
    AllowedFilesystemIsolations: [...s.allowedFilesystemIsolations],
    AllowedUserModes: [...s.allowedUserModes],
  };
}

function ratePayload(r: RateLimitRule): JsonObject {
  return { Requests: r.requests, Window: r.window, Scope: r.scope };
}

function putBlocks(out: Members, r: Rule): void {
  if (r.freezeWindow !== undefined) out.FreezeWindow = freezeWindowPayload(r.freezeWindow);
  if (r.sandbox !== undefined) out.Sandbox = sandboxPayload(r.sandbox);
  if (r.rateLimit !== undefined && r.rateLimit.requests > 0) out.RateLimit = ratePayload(r.rateLimit);
  if (r.destructiveBudget !== undefined && r.destructiveBudget.requests > 0) out.DestructiveBudget = ratePayload(r.destructiveBudget);
  const d = r.dataflow;
  if (d !== undefined) {
    const flow: Members = {
      Enabled: d.enabled,
      TaintedSources: [...d.taintedSources],
      Action: d.action,
      ReasonCode: d.reasonCode,
      Violation: d.violation,
    };
    putList(flow, 'DestinationKinds', d.destinationKinds);
    putList(flow, 'DestinationValues', d.destinationValues);
    putList(flow, 'DestinationOperations', d.destinationOperations);
    out.Dataflow = flow;
  }
  const e = r.endpoint;
  if (e !== undefined) {
    out.Endpoint = {
      Enabled: e.enabled,
      PathAllowlist: [...e.pathAllowlist],
      PathDenylist: [...e.pathDenylist],
      DomainAllowlist: [...e.domainAllowlist],
      DomainDenylist: [...e.domainDenylist],
      EgressClasses: [...e.egressClasses],
      Action: e.action,
      DestructiveAction: e.destructiveAction,
      ReasonCode: e.reasonCode,
      Violation: e.violation,
    };
  }
}

/** The §A4.7 payload of one normalized rule. */
export function toRulePayload(r: Rule): JsonObject {
  const out: Members = {
    Name: r.name,
    Priority: r.priority,
    Effect: r.effect,
    ReasonCodes: [...r.reasonCodes],
    Violations: [...r.violations],
    Match: matchPayload(r.match),
  };
  put(out, 'MinApprovals', r.minApprovals, r.minApprovals > 0);
  put(out, 'RequireDeclaredAgent', true, r.requireDeclaredAgent);
  putList(out, 'AllowedAgentIDs', r.allowedAgentIds);
  putList(out, 'DeniedAgentIDs', r.deniedAgentIds);
  put(out, 'RequiredAgentManifestDigest', r.requiredAgentManifestDigest, r.requiredAgentManifestDigest !== '');
  putList(out, 'AllowedAgentManifestPublishers', r.allowedAgentManifestPublishers);
  putList(out, 'AllowedAgentManifestSources', r.allowedAgentManifestSources);
  putList(out, 'RequiredAgentLifecycleStates', r.requiredAgentLifecycleStates);
  put(out, 'RequireAgentOwner', true, r.requireAgentOwner);
  put(out, 'RequireUnexpiredAgent', true, r.requireUnexpiredAgent);
  put(out, 'BlockStandingCredentials', true, r.blockStandingCredentials);
  putList(out, 'AllowedCredentialSources', r.allowedCredentialSources);
  putList(out, 'AllowedCredentialIssuers', r.allowedCredentialIssuers);
  putList(out, 'AllowedCredentialAccessTypes', r.allowedCredentialAccessTypes);
  put(out, 'MaxCredentialTTLSeconds', r.maxCredentialTtlSeconds, r.maxCredentialTtlSeconds > 0);
  put(out, 'RequireJITCredential', true, r.requireJitCredential);
  put(out, 'RequireDistinctApprovers', true, r.requireDistinctApprovers);
  put(out, 'RequireContextEvidence', true, r.requireContextEvidence);
  put(out, 'RequiredContextEvidenceMode', r.requiredContextEvidenceMode, r.requiredContextEvidenceMode !== '');
  put(out, 'MaxContextAgeSeconds', r.maxContextAgeSeconds, r.maxContextAgeSeconds > 0);
  put(out, 'RequireBrokerCredential', true, r.requireBrokerCredential);
  put(out, 'BrokerReference', r.brokerReference, r.brokerReference !== '');
  putList(out, 'BrokerScopes', r.brokerScopes);
  putBlocks(out, r);
  return out;
}

function mcpTrustPayload(t: McpTrustConfig): JsonObject {
  return {
    Enabled: t.enabled,
    SnapshotPath: t.snapshot,
    Action: t.action,
    RequiredRiskClasses: [...t.requiredRiskClasses],
    MinScore: t.minScore,
    MaxAge: t.maxAge,
    PublisherAllowlist: [...t.publisherAllowlist],
    RequireRegistry: t.requireRegistry,
  };
}

/** The §A4.7 payload of a normalized policy (rules in their normalized order). */
export function toPolicyDigestPayload(policy: Policy): JsonObject {
  const fc = policy.failClosed;
  const failClosed: Members = {
    Enabled: fc.enabled,
    RiskClasses: [...fc.riskClasses],
    RequiredFields: [...fc.requiredFields],
  };
  putList(failClosed, 'RequiredHighRiskFields', fc.requiredHighRiskFields);
  const out: Members = {
    SchemaID: policy.schemaId,
    SchemaVersion: policy.schemaVersion,
    DefaultVerdict: policy.defaultVerdict,
    FailClosed: failClosed,
    Rules: policy.rules.map(toRulePayload),
  };
  const s = policy.scripts;
  if (s.maxSteps > 0 || s.requireApprovalAbove > 0 || s.blockMixedRisk) {
    out.Scripts = { MaxSteps: s.maxSteps, RequireApprovalAbove: s.requireApprovalAbove, BlockMixedRisk: s.blockMixedRisk };
  }
  if (policy.mcpTrust?.enabled === true) out.MCPTrust = mcpTrustPayload(policy.mcpTrust);
  if (policy.approvals.reuse === 'within_ttl') out.Approvals = { Reuse: 'within_ttl' };
  return out;
}

/**
 * `policy_digest` of a normalized policy: 64 lowercase hex characters.
 * @throws GaitError `jcs_invalid_value` only if the policy holds a value JCS cannot encode (a broken invariant)
 */
export function policyDigest(policy: Policy): string {
  return digestJcs(toPolicyDigestPayload(policy));
}
