/**
 * ToolCall → raw IntentRequest (mcp-and-export.md §2). The result is the JSON a caller would have
 * written by hand; the gate then normalizes it (gate.md §A3.2) and computes the digests.
 */
import { FALLBACK_CREATED_AT, formatTimestamp, isZeroTime, toUtc } from '../../../runtime/timestamp.js';
import type { JsonObject, JsonValue } from '../json-types.js';
import { setMember } from '../free-object.js';
import { trimSpec } from '../text.js';
import { toolCallError } from './errors.js';
import { legacyTarget } from './target.js';
import type { OAuthEvidence, ToolCall, ToolCallContext, ToolCallProvenance, ToolCallScriptStep, ToolCallTarget } from './types.js';

/** §2 step 5 */
export const TOOL_CALL_PRODUCER_VERSION = '0.0.0-dev';
/** §2 step 6 defaults */
export const DEFAULT_IDENTITY = 'mcp-proxy';
export const DEFAULT_WORKSPACE = '.';
export const DEFAULT_RISK_CLASS = 'high';

/** Context values that replace the call's when non-blank (flags, the serve request). */
export interface ToolCallContextOverrides {
  readonly identity?: string;
  readonly workspace?: string;
  readonly riskClass?: string;
  readonly phase?: string;
  readonly jobId?: string;
  readonly sessionId?: string;
  readonly requestId?: string;
  readonly environmentFingerprint?: string;
}

export interface ToolCallIntentOptions {
  /** non-blank values replace the call's context values before the §2 defaults apply */
  readonly context?: ToolCallContextOverrides;
  /** `oss-prod` requires explicit identity, workspace and session id (§2 step 8); default `standard` */
  readonly profile?: 'standard' | 'oss-prod';
  /** `producer_version` of the IntentRequest; default `0.0.0-dev` (§2 step 5) */
  readonly producerVersion?: string;
}

function targetJson(t: ToolCallTarget): JsonObject {
  const out: JsonObject = { kind: t.kind, value: t.value };
  if (t.operation !== '') out['operation'] = t.operation;
  if (t.sensitivity !== '') out['sensitivity'] = t.sensitivity;
  if (t.discoveryMethod !== '') out['discovery_method'] = t.discoveryMethod;
  if (t.readOnlyHint) out['read_only_hint'] = true;
  if (t.destructiveHint) out['destructive_hint'] = true;
  if (t.idempotentHint) out['idempotent_hint'] = true;
  if (t.openWorldHint) out['open_world_hint'] = true;
  return out;
}

function provenanceJson(p: ToolCallProvenance): JsonObject {
  const out: JsonObject = { arg_path: p.argPath, source: p.source };
  if (p.sourceRef !== '') out['source_ref'] = p.sourceRef;
  if (p.integrityDigest !== '') out['integrity_digest'] = p.integrityDigest;
  return out;
}

/** §2 step 6: the evidence object with empty fields omitted. */
function oauthEvidenceJson(e: OAuthEvidence): JsonObject {
  const out: JsonObject = {};
  const put = (key: string, value: string | readonly string[]): void => {
    if (typeof value === 'string') {
      if (trimSpec(value) !== '') out[key] = value;
    } else if (value.length > 0) {
      out[key] = [...value];
    }
  };
  put('issuer', e.issuer);
  put('audience', e.audience);
  put('subject', e.subject);
  put('client_id', e.clientId);
  put('token_type', e.tokenType);
  put('scopes', e.scopes);
  put('dcr_client_id', e.dcrClientId);
  put('redirect_uri', e.redirectUri);
  put('token_binding', e.tokenBinding);
  put('auth_time', e.authTime);
  put('evidence_ref', e.evidenceRef);
  return out;
}

/** The call's context with the non-blank overrides applied (values untrimmed, as written). */
export function effectiveContext(call: ToolCall, overrides: ToolCallContextOverrides | undefined): ToolCallContext {
  if (overrides === undefined) return call.context;
  const pick = (own: string, override: string | undefined): string =>
    override !== undefined && trimSpec(override) !== '' ? override : own;
  const c = call.context;
  return {
    ...c,
    identity: pick(c.identity, overrides.identity),
    workspace: pick(c.workspace, overrides.workspace),
    riskClass: pick(c.riskClass, overrides.riskClass),
    phase: pick(c.phase, overrides.phase),
    jobId: pick(c.jobId, overrides.jobId),
    sessionId: pick(c.sessionId, overrides.sessionId),
    requestId: pick(c.requestId, overrides.requestId),
    environmentFingerprint: pick(c.environmentFingerprint, overrides.environmentFingerprint),
  };
}

/**
 * §2 step 9: whether the standard profile had to fall back for identity, workspace or session id
 * (the proxy then warns `standard profile applied fallback intent context; …`).
 */
export function usesFallbackContext(context: ToolCallContext): boolean {
  return trimSpec(context.identity) === '' || trimSpec(context.workspace) === '' || trimSpec(context.sessionId) === '';
}

/** §2 step 8 */
function assertStrictContext(context: ToolCallContext): void {
  const required: readonly [string, string][] = [
    ['identity', context.identity],
    ['workspace', context.workspace],
    ['session_id', context.sessionId],
  ];
  for (const [field, value] of required) {
    if (trimSpec(value) === '') throw toolCallError(`context.${field} is required in strict profile`, `context.${field}`);
  }
}

function contextJson(c: ToolCallContext): JsonObject {
  const out: JsonObject = {
    identity: trimSpec(c.identity) || DEFAULT_IDENTITY,
    workspace: trimSpec(c.workspace) || DEFAULT_WORKSPACE,
    risk_class: trimSpec(c.riskClass) || DEFAULT_RISK_CLASS,
  };
  const optional: readonly [string, string][] = [
    ['phase', c.phase],
    ['job_id', c.jobId],
    ['session_id', c.sessionId],
    ['request_id', c.requestId],
    ['environment_fingerprint', c.environmentFingerprint],
  ];
  for (const [key, value] of optional) if (trimSpec(value) !== '') out[key] = trimSpec(value);
  if (c.credentialScopes.length > 0) out['credential_scopes'] = [...c.credentialScopes];
  const authContext: JsonObject = {};
  for (const [key, value] of Object.entries(c.authContext ?? {})) setMember(authContext, key, value);
  if (trimSpec(c.authMode) !== '') authContext['auth_mode'] = trimSpec(c.authMode);
  if (c.oauthEvidence !== undefined) authContext['oauth_evidence'] = oauthEvidenceJson(c.oauthEvidence);
  if (c.authContext !== undefined || Object.keys(authContext).length > 0) out['auth_context'] = authContext;
  return out;
}

/** §2 step 2: `targets` if non-empty, else the legacy `target`. */
function callTargets(call: ToolCall): JsonValue[] {
  if (call.targets.length > 0) return call.targets.map(targetJson);
  const legacy = legacyTarget(call.target);
  return legacy === undefined ? [] : [targetJson(legacy)];
}

/** §2 step 4 */
function scriptJson(steps: readonly ToolCallScriptStep[]): JsonObject {
  return {
    steps: steps.map((step, i): JsonObject => {
      const name = trimSpec(step.name);
      if (name === '') throw toolCallError(`script.steps[${i}].name is required`, `script.steps[${i}].name`);
      const out: JsonObject = { tool_name: name, args: step.args ?? {} };
      if (step.targets.length > 0) out['targets'] = step.targets.map(targetJson);
      if (step.argProvenance.length > 0) out['arg_provenance'] = step.argProvenance.map(provenanceJson);
      return out;
    }),
  };
}

/**
 * Builds the raw IntentRequest of a ToolCall (§2 steps 1–8).
 * @throws GaitError `input_tool_call` `tool call name is required`, `script.steps[<i>].name is required`,
 *   `context.<field> is required in strict profile`
 * @example toolCallToIntentRequest(decodeMcpToolCall({name: 'tool.read'}))['context'] // {identity: 'mcp-proxy', workspace: '.', risk_class: 'high'}
 */
export function toolCallToIntentRequest(call: ToolCall, options: ToolCallIntentOptions = {}): JsonObject {
  const name = trimSpec(call.name);
  const steps = call.scriptSteps ?? [];
  if (name === '' && steps.length === 0) throw toolCallError('tool call name is required', 'name');
  const context = effectiveContext(call, options.context);
  if (options.profile === 'oss-prod') assertStrictContext(context);
  const createdAt = call.createdAt === undefined || isZeroTime(call.createdAt) ? FALLBACK_CREATED_AT : toUtc(call.createdAt);
  const out: JsonObject = {
    schema_id: 'gait.gate.intent_request',
    schema_version: '1.0.0',
    created_at: formatTimestamp(createdAt),
    producer_version: options.producerVersion ?? TOOL_CALL_PRODUCER_VERSION,
    tool_name: steps.length > 0 ? 'script' : name,
    args: steps.length > 0 ? {} : (call.args ?? {}),
  };
  const targets = callTargets(call);
  if (targets.length > 0) out['targets'] = targets;
  if (call.argProvenance.length > 0) out['arg_provenance'] = call.argProvenance.map(provenanceJson);
  out['context'] = contextJson(context);
  if (call.delegation !== undefined) {
    const d = call.delegation;
    const delegation: JsonObject = { requester_identity: d.requesterIdentity };
    if (d.scopeClass !== '') delegation['scope_class'] = d.scopeClass;
    if (d.tokenRefs.length > 0) delegation['token_refs'] = [...d.tokenRefs];
    delegation['chain'] = d.chain.map((link) => {
      const item: JsonObject = { delegator_identity: link.delegatorIdentity, delegate_identity: link.delegateIdentity };
      if (link.scopeClass !== '') item['scope_class'] = link.scopeClass;
      if (link.tokenRef !== '') item['token_ref'] = link.tokenRef;
      return item;
    });
    out['delegation'] = delegation;
  }
  if (steps.length > 0) out['script'] = scriptJson(steps);
  return out;
}
