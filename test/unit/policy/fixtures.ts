// Typed builders for normalized policies and prepared intents, so policy unit tests do not depend
// on the YAML parser or intent normalizer. Defaults mirror what normalization produces.
import { FALLBACK_CREATED_AT, parseTimestamp } from '../../../src/runtime/timestamp.js';
import type { Intent, IntentContext, Target } from '../../../src/schema/v1/intent-types.js';
import type { FailClosed, Match, Policy, Rule } from '../../../src/policy/model.js';

export const EVAL_TIME = parseTimestamp('2026-02-05T00:00:00Z');

export function makeMatch(m: Partial<Match> = {}): Match {
  return {
    toolNames: [],
    riskClasses: [],
    targetKinds: [],
    targetValues: [],
    provenanceSources: [],
    identities: [],
    workspacePrefixes: [],
    endpointClasses: [],
    discoveryMethods: [],
    toolAnnotations: undefined,
    skillPublishers: [],
    skillSources: [],
    dataClasses: [],
    destinationKinds: [],
    destinationValues: [],
    destinationOperations: [],
    contextToolNames: [],
    contextDataClasses: [],
    contextEndpointClasses: [],
    contextAutonomyLevels: [],
    requireDelegation: false,
    allowedDelegatorIdentities: [],
    allowedDelegateIdentities: [],
    delegationScopes: [],
    maxDelegationDepth: undefined,
    ...m,
  };
}

export function makeRule(r: Partial<Omit<Rule, 'match'>> & { match?: Partial<Match> } = {}): Rule {
  const { match, ...rest } = r;
  return {
    name: 'rule',
    priority: 0,
    effect: 'allow',
    match: makeMatch(match),
    reasonCodes: [],
    violations: [],
    minApprovals: 0,
    requireDistinctApprovers: false,
    requireDeclaredAgent: false,
    requireAgentOwner: false,
    requireUnexpiredAgent: false,
    allowedAgentIds: [],
    deniedAgentIds: [],
    requiredAgentManifestDigest: '',
    allowedAgentManifestPublishers: [],
    allowedAgentManifestSources: [],
    requiredAgentLifecycleStates: [],
    blockStandingCredentials: false,
    requireJitCredential: false,
    allowedCredentialSources: [],
    allowedCredentialAccessTypes: [],
    allowedCredentialIssuers: [],
    maxCredentialTtlSeconds: 0,
    requireContextEvidence: false,
    requiredContextEvidenceMode: '',
    maxContextAgeSeconds: 0,
    requireBrokerCredential: false,
    brokerReference: '',
    brokerScopes: [],
    freezeWindow: undefined,
    sandbox: undefined,
    rateLimit: undefined,
    destructiveBudget: undefined,
    dataflow: undefined,
    endpoint: undefined,
    ...rest,
  };
}

export function makeFailClosed(f: Partial<FailClosed> = {}): FailClosed {
  return { enabled: false, riskClasses: [], requiredFields: [], requiredHighRiskFields: [], ...f };
}

export function makePolicy(p: Partial<Omit<Policy, 'rules'>> & { rules?: readonly Rule[] } = {}): Policy {
  return {
    schemaId: 'gait.gate.policy',
    schemaVersion: '1.0.0',
    defaultVerdict: 'require_approval',
    failClosed: makeFailClosed(),
    scripts: { maxSteps: 0, requireApprovalAbove: 0, blockMixedRisk: false },
    mcpTrust: undefined,
    approvals: { reuse: 'single_use' },
    rules: [],
    ...p,
  };
}

export function makeTarget(t: Partial<Target> = {}): Target {
  return {
    kind: 'host',
    value: 'api.external.com',
    operation: '',
    sensitivity: '',
    endpointClass: 'net.http',
    endpointDomain: 'api.external.com',
    destructive: false,
    discoveryMethod: 'unknown',
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
    ...t,
  };
}

export function makeContext(c: Partial<IntentContext> = {}): IntentContext {
  return {
    identity: 'alice',
    workspace: '/repo/gait',
    riskClass: 'high',
    phase: 'apply',
    agentId: '',
    agentIdentity: undefined,
    runId: '',
    workflowId: '',
    repo: '',
    environment: '',
    jobId: '',
    sessionId: '',
    requestId: '',
    credentialRef: '',
    credentialIssuer: '',
    credentialSubject: '',
    credentialOwner: '',
    credentialTargetBinding: '',
    credentialRunBinding: '',
    credentialJobBinding: '',
    credentialSource: '',
    credentialAccessType: '',
    credentialTtlSeconds: 0,
    approvalRef: '',
    wrkrInventoryRef: '',
    agentActionBomRef: '',
    authContext: undefined,
    sandbox: undefined,
    credentialScopes: [],
    contextRefs: [],
    environmentFingerprint: '',
    contextSetDigest: '',
    contextEvidenceMode: '',
    ...c,
  };
}

export function makeIntent(i: Partial<Omit<Intent, 'context'>> & { context?: Partial<IntentContext> } = {}): Intent {
  const { context, ...rest } = i;
  return {
    schemaId: 'gait.gate.intent_request',
    schemaVersion: '1.0.0',
    createdAt: FALLBACK_CREATED_AT,
    producerVersion: '',
    toolName: 'tool.write',
    args: {},
    targets: [makeTarget()],
    argProvenance: [{ argPath: '$.path', source: 'user', sourceRef: '', integrityDigest: '' }],
    skillProvenance: undefined,
    delegation: undefined,
    relationship: undefined,
    context: makeContext(context),
    ...rest,
  };
}
