/**
 * The normalized IntentRequest (gate.md §A3), in gait's internal camelCase model. Only `schema/`
 * converts between this and the snake_case wire form. Every value here is already normalized:
 * matchers never trim or lower-case again.
 */
import type { Timestamp } from '../../runtime/timestamp-type.js';
import type { JsonObject } from './json-types.js';

export const TARGET_KINDS = ['path', 'url', 'host', 'repo', 'bucket', 'table', 'queue', 'topic', 'other'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const ENDPOINT_CLASSES = [
  'fs.read',
  'fs.write',
  'fs.delete',
  'proc.exec',
  'net.http',
  'net.dns',
  'ui.click',
  'ui.type',
  'ui.navigate',
  'other',
] as const;
export type EndpointClass = (typeof ENDPOINT_CLASSES)[number];

export const DISCOVERY_METHODS = ['webmcp', 'dynamic_mcp', 'a2a', 'mcp', 'static_mcp', 'manual', 'unknown'] as const;
export type DiscoveryMethod = (typeof DISCOVERY_METHODS)[number];

export const PROVENANCE_SOURCES = ['user', 'tool_output', 'external', 'system'] as const;
export type ProvenanceSource = (typeof PROVENANCE_SOURCES)[number];

export const CREDENTIAL_SOURCES = [
  'aws_iam_user',
  'aws_sts',
  'azure_federated',
  'command',
  'env',
  'gcp_sts',
  'github_oidc',
  'github_pat',
  'kubernetes_service_account',
  'stub',
  'unknown',
  'vault_dynamic',
] as const;
export type CredentialSource = (typeof CREDENTIAL_SOURCES)[number];

export const CREDENTIAL_ACCESS_TYPES = ['cloud_admin', 'inherited', 'jit', 'standing', 'static', 'unknown'] as const;
export type CredentialAccessType = (typeof CREDENTIAL_ACCESS_TYPES)[number];

export interface Target {
  readonly kind: TargetKind;
  readonly value: string;
  readonly operation: string;
  readonly sensitivity: string;
  /** Inferred when the input left it empty (§A3.3). */
  readonly endpointClass: EndpointClass;
  readonly endpointDomain: string;
  /** input destructive OR destructive_hint OR inferred-destructive. */
  readonly destructive: boolean;
  readonly discoveryMethod: DiscoveryMethod;
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

export interface Provenance {
  readonly argPath: string;
  readonly source: ProvenanceSource;
  readonly sourceRef: string;
  /** hex64 or ''. */
  readonly integrityDigest: string;
}

export interface SkillProvenance {
  readonly skillName: string;
  readonly skillVersion: string;
  /** lowercased */
  readonly source: string;
  readonly publisher: string;
  /** hex64 or ''. */
  readonly digest: string;
  readonly signatureKeyId: string;
}

export interface DelegationLink {
  readonly delegatorIdentity: string;
  readonly delegateIdentity: string;
  readonly scopeClass: string;
  readonly tokenRef: string;
  /** UTC; `null` when unset (rendered as zero time in digests). */
  readonly issuedAt: Timestamp | null;
  readonly expiresAt: Timestamp | null;
}

export interface Delegation {
  readonly requesterIdentity: string;
  readonly scopeClass: string;
  readonly tokenRefs: readonly string[];
  readonly chain: readonly DelegationLink[];
  readonly issuedAt: Timestamp | null;
  readonly expiresAt: Timestamp | null;
}

export interface AgentIdentity {
  /** normalized list, case kept */
  readonly lifecycleStates: readonly string[];
  readonly owner: string;
  readonly manifestDigest: string;
  readonly publisher: string;
  /** lowercased */
  readonly source: string;
  readonly issuedAt: Timestamp | null;
  readonly approvedAt: Timestamp | null;
  readonly expiresAt: Timestamp | null;
  readonly revoked: boolean;
}

export interface SandboxContext {
  readonly networkMode: '' | 'disabled' | 'egress_allowlist' | 'full';
  /** path-cleaned, de-duplicated, sorted */
  readonly writablePaths: readonly string[];
  readonly readOnlyRoots: readonly string[];
  readonly envExposureMode: '' | 'allowlist' | 'full' | 'none';
  readonly timeoutSeconds: number;
  readonly filesystemIsolation: '' | 'container' | 'none' | 'workspace';
  readonly userMode: '' | 'default' | 'root' | 'unprivileged';
  readonly evidenceRef: string;
  readonly evidenceDigest: string;
}

export interface IntentContext {
  readonly identity: string;
  /** `\` replaced by `/`, no path cleaning */
  readonly workspace: string;
  /** lowercased free string; low|medium|high|critical are interpreted */
  readonly riskClass: string;
  readonly phase: 'plan' | 'apply';
  readonly agentId: string;
  readonly agentIdentity: AgentIdentity | undefined;
  readonly runId: string;
  readonly workflowId: string;
  readonly repo: string;
  readonly environment: string;
  readonly jobId: string;
  readonly sessionId: string;
  readonly requestId: string;
  readonly credentialRef: string;
  readonly credentialIssuer: string;
  readonly credentialSubject: string;
  readonly credentialOwner: string;
  readonly credentialTargetBinding: string;
  readonly credentialRunBinding: string;
  readonly credentialJobBinding: string;
  readonly credentialSource: CredentialSource | '';
  readonly credentialAccessType: CredentialAccessType | '';
  readonly credentialTtlSeconds: number;
  readonly approvalRef: string;
  readonly wrkrInventoryRef: string;
  readonly agentActionBomRef: string;
  /** free object normalized like args; undefined when empty */
  readonly authContext: JsonObject | undefined;
  readonly sandbox: SandboxContext | undefined;
  /** normalized lists, case kept; [] when absent */
  readonly credentialScopes: readonly string[];
  readonly contextRefs: readonly string[];
  readonly environmentFingerprint: string;
  readonly contextSetDigest: string;
  readonly contextEvidenceMode: '' | 'best_effort' | 'required';
}

/** A normalized (and, after `prepareIntent`, prepared) IntentRequest. Scripts are Part B and refused. */
export interface Intent {
  readonly schemaId: string;
  readonly schemaVersion: string;
  /** UTC; the fallback 1980-01-01T00:00:00Z when unset */
  readonly createdAt: Timestamp;
  readonly producerVersion: string;
  readonly toolName: string;
  readonly args: JsonObject;
  /** de-duplicated and sorted (§A3.2 step 4) */
  readonly targets: readonly Target[];
  readonly argProvenance: readonly Provenance[];
  readonly skillProvenance: SkillProvenance | undefined;
  readonly delegation: Delegation | undefined;
  /** the normalized relationship envelope as wire JSON (never digested) */
  readonly relationship: JsonObject | undefined;
  readonly context: IntentContext;
}
