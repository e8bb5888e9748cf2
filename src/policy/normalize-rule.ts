/** Normalization of one policy rule (gate.md §A4.3); quoted messages are the spec's error texts. */
import { CREDENTIAL_ACCESS_TYPES, CREDENTIAL_SOURCES } from '../schema/v1/intent-types.js';
import { isHex64, lowerSimple } from '../schema/v1/text.js';
import type { DecodedMap } from './decode-schema.js';
import { VERDICTS } from './model.js';
import type { Rule, Verdict } from './model.js';
import { normalizeDataflow, normalizeEndpoint, normalizeFreezeWindow, normalizeRate, normalizeSandbox } from './normalize-blocks.js';
import { checkListEnum, flag, intOf, join, listOf, lowerText, loweredOf, mapOf, nonNegative, text } from './normalize-context.js';
import type { NormalizeContext } from './normalize-context.js';
import { normalizeMatch } from './normalize-match.js';

/** `effect` / `action` alias pair: lowercased, equal if both set, required, in the verdict enum. */
function effectOf(ctx: NormalizeContext, m: DecodedMap, path: string, name: string): Verdict {
  const effect = lowerText(m, 'effect');
  const action = lowerText(m, 'action');
  if (effect !== '' && action !== '' && effect !== action) {
    ctx.fail(join(path, 'action'), `rule action must match effect for ${name}`);
  }
  const value = effect !== '' ? effect : action;
  const at = join(path, effect !== '' ? 'effect' : 'action');
  if (value === '') {
    ctx.fail(path, `rule effect is required for ${name}`);
    return 'block';
  }
  if (!(VERDICTS as readonly string[]).includes(value)) {
    ctx.fail(at, `invalid rule effect "${value}" for ${name}`);
    return 'block';
  }
  return value as Verdict;
}

function manifestDigestOf(ctx: NormalizeContext, m: DecodedMap, path: string, name: string): string {
  const digest = lowerSimple(text(m, 'required_agent_manifest_digest'));
  if (digest !== '' && !isHex64(digest)) {
    ctx.fail(join(path, 'required_agent_manifest_digest'), `required_agent_manifest_digest must be sha256 hex for ${name}`);
  }
  return digest;
}

function contextModeOf(ctx: NormalizeContext, m: DecodedMap, path: string, name: string): '' | 'required' {
  const mode = lowerText(m, 'required_context_evidence_mode');
  if (mode !== '' && mode !== 'required') {
    ctx.fail(join(path, 'required_context_evidence_mode'), `required_context_evidence_mode must be \`required\` for ${name}`);
  }
  return m.require_context_evidence === true || mode === 'required' ? 'required' : '';
}

/** Credential enum lists (§A4.3: lowered lists, each item in the context enum). */
function credentialLists(ctx: NormalizeContext, m: DecodedMap, path: string): { sources: string[]; accessTypes: string[] } {
  const sources = loweredOf(m, 'allowed_credential_sources');
  const accessTypes = loweredOf(m, 'allowed_credential_access_types');
  checkListEnum(ctx, m, path, 'allowed_credential_sources', sources, CREDENTIAL_SOURCES);
  checkListEnum(ctx, m, path, 'allowed_credential_access_types', accessTypes, CREDENTIAL_ACCESS_TYPES);
  return { sources, accessTypes };
}

/** Normalizes the rule at `path` (`rules[<i>]`). */
export function normalizeRule(ctx: NormalizeContext, m: DecodedMap, path: string): Rule {
  const name = text(m, 'name');
  if (name === '') ctx.fail(path, 'rule name is required');
  const effect = effectOf(ctx, m, path, name);
  const minApprovals = nonNegative(ctx, m, path, 'min_approvals');
  const credentials = credentialLists(ctx, m, path);
  return {
    name,
    priority: intOf(m, 'priority') ?? 0,
    effect,
    match: normalizeMatch(ctx, mapOf(m, 'match'), join(path, 'match')),
    reasonCodes: listOf(m, 'reason_codes'),
    violations: listOf(m, 'violations'),
    minApprovals,
    // §A4.3: min_approvals > 1 forces distinct approvers.
    requireDistinctApprovers: flag(m, 'require_distinct_approvers') || minApprovals > 1,
    requireDeclaredAgent: flag(m, 'require_declared_agent'),
    requireAgentOwner: flag(m, 'require_agent_owner'),
    requireUnexpiredAgent: flag(m, 'require_unexpired_agent'),
    allowedAgentIds: listOf(m, 'allowed_agent_ids'),
    deniedAgentIds: listOf(m, 'denied_agent_ids'),
    requiredAgentManifestDigest: manifestDigestOf(ctx, m, path, name),
    allowedAgentManifestPublishers: loweredOf(m, 'allowed_agent_manifest_publishers'),
    allowedAgentManifestSources: loweredOf(m, 'allowed_agent_manifest_sources'),
    requiredAgentLifecycleStates: loweredOf(m, 'required_agent_lifecycle_states'),
    blockStandingCredentials: flag(m, 'block_standing_credentials'),
    requireJitCredential: flag(m, 'require_jit_credential'),
    allowedCredentialSources: credentials.sources,
    allowedCredentialAccessTypes: credentials.accessTypes,
    allowedCredentialIssuers: listOf(m, 'allowed_credential_issuers'),
    maxCredentialTtlSeconds: nonNegative(ctx, m, path, 'max_credential_ttl_seconds'),
    requireContextEvidence: flag(m, 'require_context_evidence'),
    requiredContextEvidenceMode: contextModeOf(ctx, m, path, name),
    maxContextAgeSeconds: nonNegative(ctx, m, path, 'max_context_age_seconds'),
    requireBrokerCredential: flag(m, 'require_broker_credential'),
    brokerReference: text(m, 'broker_reference'),
    brokerScopes: loweredOf(m, 'broker_scopes'),
    freezeWindow: normalizeFreezeWindow(ctx, m, path, name),
    sandbox: normalizeSandbox(ctx, m, path),
    rateLimit: normalizeRate(ctx, m, path, 'rate_limit', name),
    destructiveBudget: normalizeRate(ctx, m, path, 'destructive_budget', name),
    dataflow: normalizeDataflow(ctx, m, path),
    endpoint: normalizeEndpoint(ctx, m, path, name),
  };
}
