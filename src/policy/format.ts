/**
 * `gait policy fmt` output (gate.md §A12.7): the normalized policy as deterministic YAML with 2-space
 * indentation and the YAML key names. Unset and default-empty members are omitted, defaults that the
 * digest includes are spelled out, so the text re-parses to the same `policy_digest`.
 */
import { Document, isMap, isScalar, isSeq, visit } from 'yaml';
import type {
  DataflowRule,
  EndpointRule,
  FreezeWindowRule,
  Match,
  McpTrustConfig,
  Policy,
  RateLimitRule,
  Rule,
  SandboxRule,
} from './model.js';

type Plain = string | number | boolean | readonly string[] | PlainMap | readonly PlainMap[];
interface PlainMap {
  [key: string]: Plain;
}

/** Builder that keeps only set members, in insertion order. */
class Members {
  readonly out: PlainMap = {};

  always(key: string, value: Plain): this {
    this.out[key] = value;
    return this;
  }

  text(key: string, value: string): this {
    if (value !== '') this.out[key] = value;
    return this;
  }

  list(key: string, value: readonly string[]): this {
    if (value.length > 0) this.out[key] = [...value];
    return this;
  }

  flag(key: string, value: boolean): this {
    if (value) this.out[key] = true;
    return this;
  }

  positive(key: string, value: number): this {
    if (value > 0) this.out[key] = value;
    return this;
  }

  map(key: string, value: PlainMap | undefined): this {
    if (value !== undefined && Object.keys(value).length > 0) this.out[key] = value;
    return this;
  }
}

function matchYaml(m: Match): PlainMap {
  const hints = new Members();
  const a = m.toolAnnotations;
  if (a !== undefined) {
    for (const key of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
      const v = a[key];
      if (v !== undefined) hints.always(key, v);
    }
  }
  const out = new Members()
    .list('tool_names', m.toolNames)
    .list('risk_classes', m.riskClasses)
    .list('target_kinds', m.targetKinds)
    .list('target_values', m.targetValues)
    .list('provenance_sources', m.provenanceSources)
    .list('identities', m.identities)
    .list('workspace_prefixes', m.workspacePrefixes)
    .list('endpoint_classes', m.endpointClasses)
    .list('discovery_method', m.discoveryMethods)
    .map('tool_annotations', hints.out)
    .list('skill_publishers', m.skillPublishers)
    .list('skill_sources', m.skillSources)
    .list('data_classes', m.dataClasses)
    .list('destination_kinds', m.destinationKinds)
    .list('destination_values', m.destinationValues)
    .list('destination_operations', m.destinationOperations)
    .list('context_tool_names', m.contextToolNames)
    .list('context_data_classes', m.contextDataClasses)
    .list('context_endpoint_classes', m.contextEndpointClasses)
    .list('context_autonomy_levels', m.contextAutonomyLevels)
    .flag('require_delegation', m.requireDelegation)
    .list('allowed_delegator_identities', m.allowedDelegatorIdentities)
    .list('allowed_delegate_identities', m.allowedDelegateIdentities)
    .list('delegation_scopes', m.delegationScopes);
  if (m.maxDelegationDepth !== undefined) out.always('max_delegation_depth', m.maxDelegationDepth);
  return out.out;
}

function freezeWindowYaml(f: FreezeWindowRule | undefined): PlainMap | undefined {
  if (f === undefined) return undefined;
  return new Members()
    .always('enabled', true)
    .text('timezone', f.timezone)
    .always('effect', f.effect)
    .text('reason', f.reason)
    .list('environments', f.environments)
    .list('risk_classes', f.riskClasses)
    .always(
      'windows',
      f.windows.map((w) => new Members().always('name', w.name).text('start', w.start).text('end', w.end).out),
    ).out;
}

function sandboxYaml(s: SandboxRule | undefined): PlainMap | undefined {
  if (s === undefined) return undefined;
  return new Members()
    .always('enabled', true)
    .list('allowed_network_modes', s.allowedNetworkModes)
    .list('allowed_writable_path_prefixes', s.allowedWritablePathPrefixes)
    .list('required_read_only_roots', s.requiredReadOnlyRoots)
    .list('allowed_env_exposure_modes', s.allowedEnvExposureModes)
    .positive('max_timeout_seconds', s.maxTimeoutSeconds)
    .list('allowed_filesystem_isolations', s.allowedFilesystemIsolations)
    .list('allowed_user_modes', s.allowedUserModes).out;
}

function rateYaml(r: RateLimitRule | undefined): PlainMap | undefined {
  if (r === undefined || r.requests <= 0) return undefined;
  return { requests: r.requests, window: r.window, scope: r.scope };
}

function dataflowYaml(d: DataflowRule | undefined): PlainMap | undefined {
  if (d === undefined) return undefined;
  return new Members()
    .always('enabled', true)
    .list('tainted_sources', d.taintedSources)
    .list('destination_kinds', d.destinationKinds)
    .list('destination_values', d.destinationValues)
    .list('destination_operations', d.destinationOperations)
    .always('action', d.action)
    .text('reason_code', d.reasonCode)
    .text('violation', d.violation).out;
}

function endpointYaml(e: EndpointRule | undefined): PlainMap | undefined {
  if (e === undefined) return undefined;
  return new Members()
    .always('enabled', true)
    .list('path_allowlist', e.pathAllowlist)
    .list('path_denylist', e.pathDenylist)
    .list('domain_allowlist', e.domainAllowlist)
    .list('domain_denylist', e.domainDenylist)
    .list('egress_classes', e.egressClasses)
    .always('action', e.action)
    .text('destructive_action', e.destructiveAction)
    .text('reason_code', e.reasonCode)
    .text('violation', e.violation).out;
}

function ruleYaml(r: Rule): PlainMap {
  return new Members()
    .always('name', r.name)
    .always('priority', r.priority)
    .always('effect', r.effect)
    .map('match', matchYaml(r.match))
    .list('reason_codes', r.reasonCodes)
    .list('violations', r.violations)
    .positive('min_approvals', r.minApprovals)
    .flag('require_distinct_approvers', r.requireDistinctApprovers)
    .flag('require_declared_agent', r.requireDeclaredAgent)
    .flag('require_agent_owner', r.requireAgentOwner)
    .flag('require_unexpired_agent', r.requireUnexpiredAgent)
    .list('allowed_agent_ids', r.allowedAgentIds)
    .list('denied_agent_ids', r.deniedAgentIds)
    .text('required_agent_manifest_digest', r.requiredAgentManifestDigest)
    .list('allowed_agent_manifest_publishers', r.allowedAgentManifestPublishers)
    .list('allowed_agent_manifest_sources', r.allowedAgentManifestSources)
    .list('required_agent_lifecycle_states', r.requiredAgentLifecycleStates)
    .flag('block_standing_credentials', r.blockStandingCredentials)
    .flag('require_jit_credential', r.requireJitCredential)
    .list('allowed_credential_sources', r.allowedCredentialSources)
    .list('allowed_credential_access_types', r.allowedCredentialAccessTypes)
    .list('allowed_credential_issuers', r.allowedCredentialIssuers)
    .positive('max_credential_ttl_seconds', r.maxCredentialTtlSeconds)
    .flag('require_context_evidence', r.requireContextEvidence)
    .text('required_context_evidence_mode', r.requiredContextEvidenceMode)
    .positive('max_context_age_seconds', r.maxContextAgeSeconds)
    .flag('require_broker_credential', r.requireBrokerCredential)
    .text('broker_reference', r.brokerReference)
    .list('broker_scopes', r.brokerScopes)
    .map('freeze_window', freezeWindowYaml(r.freezeWindow))
    .map('sandbox', sandboxYaml(r.sandbox))
    .map('rate_limit', rateYaml(r.rateLimit))
    .map('destructive_budget', rateYaml(r.destructiveBudget))
    .map('dataflow', dataflowYaml(r.dataflow))
    .map('endpoint', endpointYaml(r.endpoint)).out;
}

function mcpTrustYaml(t: McpTrustConfig | undefined): PlainMap | undefined {
  if (t === undefined || !t.enabled) return undefined;
  const out = new Members()
    .always('enabled', true)
    .text('snapshot', t.snapshot)
    .always('action', t.action)
    .list('required_risk_classes', t.requiredRiskClasses);
  if (t.minScore !== 0) out.always('min_score', t.minScore);
  return out.text('max_age', t.maxAge).list('publisher_allowlist', t.publisherAllowlist).flag('require_registry', t.requireRegistry).out;
}

function policyYaml(p: Policy): PlainMap {
  const fc = p.failClosed;
  const failClosed = new Members()
    .flag('enabled', fc.enabled)
    .list('risk_classes', fc.riskClasses)
    .list('required_fields', fc.requiredFields)
    .list('required_high_risk_fields', fc.requiredHighRiskFields).out;
  const scripts = new Members()
    .positive('max_steps', p.scripts.maxSteps)
    .positive('require_approval_above', p.scripts.requireApprovalAbove)
    .flag('block_mixed_risk', p.scripts.blockMixedRisk).out;
  const out = new Members()
    .always('schema_id', p.schemaId)
    .always('schema_version', p.schemaVersion)
    .always('default_verdict', p.defaultVerdict)
    .map('fail_closed', failClosed)
    .map('scripts', scripts)
    .map('mcp_trust', mcpTrustYaml(p.mcpTrust));
  if (p.approvals.reuse === 'within_ttl') out.always('approvals', { reuse: 'within_ttl' });
  if (p.rules.length > 0) out.always('rules', p.rules.map(ruleYaml));
  return out.out;
}

/**
 * Renders a normalized policy as deterministic YAML (2-space indent, string lists in flow style, a
 * blank line between rules) that re-parses to the same `policy_digest`.
 */
export function formatPolicyYaml(policy: Policy): string {
  const doc = new Document(policyYaml(policy), { version: '1.2' });
  visit(doc, {
    Seq(_key, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  const rules = doc.get('rules', true);
  if (isSeq(rules)) {
    rules.items.forEach((item, i) => {
      if (i > 0 && isMap(item)) item.spaceBefore = true;
    });
  }
  return doc.toString({ indent: 2, lineWidth: 0, flowCollectionPadding: false, blockQuote: false });
}
