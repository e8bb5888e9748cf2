/**
 * The `mcp` adapter (mcp-and-export.md §1.1): the native ToolCall, decoded per gate.md §A1.4 (members
 * case-insensitive, `null` absent, unknown members ignored, a wrong JSON type is an error).
 */
import { ObjectReader } from '../decode.js';
import { trimSpec } from '../text.js';
import { withPrefix } from './errors.js';
import { decodeTargetsAndProvenance } from './target.js';
import type { OAuthEvidence, ToolCall, ToolCallContext, ToolCallDelegation, ToolCallScriptStep, ToolCallServer } from './types.js';
import { EMPTY_TOOL_CALL_CONTEXT } from './types.js';

const CODE = 'input_tool_call';

function decodeServer(reader: ObjectReader | undefined): ToolCallServer | undefined {
  if (reader === undefined) return undefined;
  return {
    serverId: reader.string('server_id'),
    serverName: reader.string('server_name'),
    publisher: reader.string('publisher'),
    source: reader.string('source'),
    endpoint: reader.string('endpoint'),
  };
}

function decodeOAuthEvidence(reader: ObjectReader | undefined): OAuthEvidence | undefined {
  if (reader === undefined) return undefined;
  return {
    issuer: reader.string('issuer'),
    audience: reader.stringArray('audience'),
    subject: reader.string('subject'),
    clientId: reader.string('client_id'),
    tokenType: reader.string('token_type'),
    scopes: reader.stringArray('scopes'),
    dcrClientId: reader.string('dcr_client_id'),
    redirectUri: reader.string('redirect_uri'),
    tokenBinding: reader.string('token_binding'),
    authTime: reader.string('auth_time'),
    evidenceRef: reader.string('evidence_ref'),
  };
}

function decodeContext(reader: ObjectReader | undefined): ToolCallContext {
  if (reader === undefined) return EMPTY_TOOL_CALL_CONTEXT;
  return {
    identity: reader.string('identity'),
    workspace: reader.string('workspace'),
    riskClass: reader.string('risk_class'),
    phase: reader.string('phase'),
    jobId: reader.string('job_id'),
    sessionId: reader.string('session_id'),
    requestId: reader.string('request_id'),
    runId: reader.string('run_id'),
    authMode: reader.string('auth_mode'),
    oauthEvidence: decodeOAuthEvidence(reader.object('oauth_evidence')),
    authContext: reader.rawObject('auth_context'),
    credentialScopes: reader.stringArray('credential_scopes'),
    environmentFingerprint: reader.string('environment_fingerprint'),
    contextEnvelopePath: reader.string('context_envelope_path'),
  };
}

function decodeDelegation(reader: ObjectReader | undefined): ToolCallDelegation | undefined {
  if (reader === undefined) return undefined;
  return {
    requesterIdentity: trimSpec(reader.string('requester_identity')),
    scopeClass: trimSpec(reader.string('scope_class')),
    tokenRefs: reader.stringArray('token_refs'),
    chain: reader.objectArray('chain').map((link) => ({
      delegatorIdentity: trimSpec(link.string('delegator_identity')),
      delegateIdentity: trimSpec(link.string('delegate_identity')),
      scopeClass: trimSpec(link.string('scope_class')),
      tokenRef: trimSpec(link.string('token_ref')),
    })),
  };
}

function decodeScriptSteps(reader: ObjectReader | undefined): ToolCallScriptStep[] | undefined {
  if (reader === undefined) return undefined;
  return reader.objectArray('steps').map((step) => ({
    name: step.string('name'),
    args: step.rawObject('args'),
    ...decodeTargetsAndProvenance(step),
  }));
}

/**
 * Decodes a native MCP ToolCall (§1.1). Name emptiness is checked by §2, not here.
 * @throws GaitError `input_tool_call` `decode mcp tool call: <path> must be …`
 */
export function decodeMcpToolCall(payload: unknown): ToolCall {
  return withPrefix('decode mcp tool call', () => {
    const reader = ObjectReader.of(payload, '', CODE, 'tool call must be a JSON object');
    return {
      name: reader.string('name'),
      args: reader.rawObject('args'),
      scriptSteps: decodeScriptSteps(reader.object('script')),
      target: reader.string('target'),
      ...decodeTargetsAndProvenance(reader),
      server: decodeServer(reader.object('server')),
      context: decodeContext(reader.object('context')),
      delegation: decodeDelegation(reader.object('delegation')),
      createdAt: reader.timestamp('created_at'),
    };
  });
}
