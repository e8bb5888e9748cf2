/**
 * The normalized policy (gate.md §A4) in gait's internal model. Produced once by
 * `normalizePolicy`; evaluation and digesting only read it. Lists are normalized (trimmed,
 * de-duplicated, sorted; "lowered" lists also lowercased), aliases are merged, defaults applied.
 */
import type { DiscoveryMethod, EndpointClass } from '../schema/v1/intent-types.js';

export const VERDICTS = ['allow', 'block', 'dry_run', 'require_approval'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface FailClosed {
  readonly enabled: boolean;
  /** lowered list; `[critical, high]` when enabled and empty */
  readonly riskClasses: readonly string[];
  readonly requiredFields: readonly ('targets' | 'arg_provenance' | 'endpoint_class' | 'delegation' | 'context_evidence')[];
  readonly requiredHighRiskFields: readonly string[];
}

export interface ScriptsConfig {
  readonly maxSteps: number;
  readonly requireApprovalAbove: number;
  readonly blockMixedRisk: boolean;
}

export interface McpTrustConfig {
  readonly enabled: boolean;
  readonly snapshot: string;
  readonly action: 'block' | 'require_approval';
  readonly requiredRiskClasses: readonly string[];
  readonly minScore: number;
  /** canonical Go-style duration (`24h0m0s`) or '' */
  readonly maxAge: string;
  readonly publisherAllowlist: readonly string[];
  readonly requireRegistry: boolean;
}

export interface ToolAnnotations {
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

export interface Match {
  readonly toolNames: readonly string[];
  readonly riskClasses: readonly string[];
  readonly targetKinds: readonly string[];
  readonly targetValues: readonly string[];
  readonly provenanceSources: readonly string[];
  readonly identities: readonly string[];
  readonly workspacePrefixes: readonly string[];
  readonly endpointClasses: readonly EndpointClass[];
  readonly discoveryMethods: readonly DiscoveryMethod[];
  /** undefined when no hint is set */
  readonly toolAnnotations: ToolAnnotations | undefined;
  readonly skillPublishers: readonly string[];
  readonly skillSources: readonly string[];
  readonly dataClasses: readonly string[];
  readonly destinationKinds: readonly string[];
  readonly destinationValues: readonly string[];
  readonly destinationOperations: readonly string[];
  readonly contextToolNames: readonly string[];
  readonly contextDataClasses: readonly string[];
  readonly contextEndpointClasses: readonly string[];
  readonly contextAutonomyLevels: readonly string[];
  readonly requireDelegation: boolean;
  readonly allowedDelegatorIdentities: readonly string[];
  readonly allowedDelegateIdentities: readonly string[];
  readonly delegationScopes: readonly string[];
  /** undefined = absent; "set" (even 0) is distinct from absent */
  readonly maxDelegationDepth: number | undefined;
}

export interface DataflowRule {
  readonly enabled: boolean;
  readonly taintedSources: readonly string[];
  readonly destinationKinds: readonly string[];
  readonly destinationValues: readonly string[];
  readonly destinationOperations: readonly string[];
  readonly action: 'block' | 'require_approval';
  readonly reasonCode: string;
  readonly violation: string;
}

export interface EndpointRule {
  readonly enabled: boolean;
  readonly pathAllowlist: readonly string[];
  readonly pathDenylist: readonly string[];
  readonly domainAllowlist: readonly string[];
  readonly domainDenylist: readonly string[];
  readonly egressClasses: readonly string[];
  readonly action: 'block' | 'require_approval';
  /** '' when unset */
  readonly destructiveAction: '' | 'block' | 'require_approval';
  readonly reasonCode: string;
  readonly violation: string;
}

export interface FreezeWindowSpan {
  readonly name: string;
  /** local wall time `YYYY-MM-DDTHH:MM:SS`, as written (validated at evaluation, §B8) */
  readonly start: string;
  readonly end: string;
}

export interface FreezeWindowRule {
  readonly enabled: boolean;
  readonly timezone: string;
  readonly effect: 'block' | 'require_approval';
  readonly reason: string;
  readonly environments: readonly string[];
  readonly riskClasses: readonly string[];
  readonly windows: readonly FreezeWindowSpan[];
}

export interface SandboxRule {
  readonly enabled: boolean;
  readonly allowedNetworkModes: readonly string[];
  readonly allowedWritablePathPrefixes: readonly string[];
  readonly requiredReadOnlyRoots: readonly string[];
  readonly allowedEnvExposureModes: readonly string[];
  readonly maxTimeoutSeconds: number;
  readonly allowedFilesystemIsolations: readonly string[];
  readonly allowedUserModes: readonly string[];
}

export interface RateLimitRule {
  readonly requests: number;
  readonly window: 'minute' | 'hour';
  readonly scope: 'tool_identity' | 'tool' | 'identity';
}

export interface Rule {
  readonly name: string;
  readonly priority: number;
  readonly effect: Verdict;
  readonly match: Match;
  readonly reasonCodes: readonly string[];
  readonly violations: readonly string[];
  /** as configured; >1 forces requireDistinctApprovers */
  readonly minApprovals: number;
  readonly requireDistinctApprovers: boolean;
  readonly requireDeclaredAgent: boolean;
  readonly requireAgentOwner: boolean;
  readonly requireUnexpiredAgent: boolean;
  readonly allowedAgentIds: readonly string[];
  readonly deniedAgentIds: readonly string[];
  readonly requiredAgentManifestDigest: string;
  readonly allowedAgentManifestPublishers: readonly string[];
  readonly allowedAgentManifestSources: readonly string[];
  readonly requiredAgentLifecycleStates: readonly string[];
  readonly blockStandingCredentials: boolean;
  readonly requireJitCredential: boolean;
  readonly allowedCredentialSources: readonly string[];
  readonly allowedCredentialAccessTypes: readonly string[];
  readonly allowedCredentialIssuers: readonly string[];
  readonly maxCredentialTtlSeconds: number;
  readonly requireContextEvidence: boolean;
  /** '' or 'required' (require_context_evidence implies 'required') */
  readonly requiredContextEvidenceMode: '' | 'required';
  readonly maxContextAgeSeconds: number;
  readonly requireBrokerCredential: boolean;
  readonly brokerReference: string;
  readonly brokerScopes: readonly string[];
  /** undefined unless enabled (any member set) */
  readonly freezeWindow: FreezeWindowRule | undefined;
  readonly sandbox: SandboxRule | undefined;
  /** undefined unless configured */
  readonly rateLimit: RateLimitRule | undefined;
  readonly destructiveBudget: RateLimitRule | undefined;
  readonly dataflow: DataflowRule | undefined;
  readonly endpoint: EndpointRule | undefined;
}

export interface Policy {
  readonly schemaId: 'gait.gate.policy';
  readonly schemaVersion: '1.0.0';
  readonly defaultVerdict: Verdict;
  readonly failClosed: FailClosed;
  readonly scripts: ScriptsConfig;
  readonly mcpTrust: McpTrustConfig | undefined;
  readonly approvals: { readonly reuse: 'single_use' | 'within_ttl' };
  /** sorted by (priority, name by code point) */
  readonly rules: readonly Rule[];
}
