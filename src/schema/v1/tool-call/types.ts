/**
 * The ToolCall model (mcp-and-export.md §1.1): what every adapter decodes a payload into, before §2
 * turns it into a raw IntentRequest. camelCase internal model; only this folder reads the wire names.
 *
 * STABLE: `mcp serve`, the gateway and `mcp verify` build on these types; change only additively.
 */
import type { Timestamp } from '../../../runtime/timestamp-type.js';
import type { JsonObject } from '../json-types.js';

/** The adapter names of §1 after normalization (aliases resolved). */
export const ADAPTER_NAMES = ['mcp', 'openai', 'anthropic', 'langchain', 'claude_code'] as const;
export type AdapterName = (typeof ADAPTER_NAMES)[number];

/** A target with its §1.1 hint resolution applied (snake OR camel, then annotations). */
export interface ToolCallTarget {
  readonly kind: string;
  readonly value: string;
  readonly operation: string;
  readonly sensitivity: string;
  /** '' when unset */
  readonly discoveryMethod: string;
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

export interface ToolCallProvenance {
  readonly argPath: string;
  readonly source: string;
  readonly sourceRef: string;
  readonly integrityDigest: string;
}

/** The MCP server a call goes to (§1.1 `server`), input to trust evaluation (§3.3); values as written. */
export interface ToolCallServer {
  readonly serverId: string;
  readonly serverName: string;
  readonly publisher: string;
  readonly source: string;
  readonly endpoint: string;
}

/** §1.1 `context.oauth_evidence`, values as written. */
export interface OAuthEvidence {
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly subject: string;
  readonly clientId: string;
  readonly tokenType: string;
  readonly scopes: readonly string[];
  readonly dcrClientId: string;
  readonly redirectUri: string;
  readonly tokenBinding: string;
  readonly authTime: string;
  readonly evidenceRef: string;
}

/** §1.1 `context`, values as written ('' when absent). */
export interface ToolCallContext {
  readonly identity: string;
  readonly workspace: string;
  readonly riskClass: string;
  readonly phase: string;
  readonly jobId: string;
  readonly sessionId: string;
  readonly requestId: string;
  /** not an intent field (§2 step 6): feeds the run id (§4 step 10) */
  readonly runId: string;
  readonly authMode: string;
  readonly oauthEvidence: OAuthEvidence | undefined;
  readonly authContext: JsonObject | undefined;
  readonly credentialScopes: readonly string[];
  readonly environmentFingerprint: string;
  /** refused by the proxy and serve (§4 step 2) */
  readonly contextEnvelopePath: string;
}

export interface ToolCallDelegationLink {
  readonly delegatorIdentity: string;
  readonly delegateIdentity: string;
  readonly scopeClass: string;
  readonly tokenRef: string;
}

export interface ToolCallDelegation {
  readonly requesterIdentity: string;
  readonly scopeClass: string;
  readonly tokenRefs: readonly string[];
  readonly chain: readonly ToolCallDelegationLink[];
}

export interface ToolCallScriptStep {
  readonly name: string;
  readonly args: JsonObject | undefined;
  readonly targets: readonly ToolCallTarget[];
  readonly argProvenance: readonly ToolCallProvenance[];
}

/** One decoded tool call (§1.1). */
export interface ToolCall {
  readonly name: string;
  /** undefined when the payload had none (§2 step 3: becomes `{}`) */
  readonly args: JsonObject | undefined;
  /** script steps (§1.1 `script.steps`); undefined when absent */
  readonly scriptSteps: readonly ToolCallScriptStep[] | undefined;
  /** legacy single target, as written */
  readonly target: string;
  readonly targets: readonly ToolCallTarget[];
  readonly argProvenance: readonly ToolCallProvenance[];
  readonly server: ToolCallServer | undefined;
  readonly context: ToolCallContext;
  readonly delegation: ToolCallDelegation | undefined;
  readonly createdAt: Timestamp | undefined;
}

/** An empty context: what the openai, anthropic and langchain adapters produce (§1 end). */
export const EMPTY_TOOL_CALL_CONTEXT: ToolCallContext = Object.freeze({
  identity: '',
  workspace: '',
  riskClass: '',
  phase: '',
  jobId: '',
  sessionId: '',
  requestId: '',
  runId: '',
  authMode: '',
  oauthEvidence: undefined,
  authContext: undefined,
  credentialScopes: [],
  environmentFingerprint: '',
  contextEnvelopePath: '',
});

/** A ToolCall with only a name and args (openai, anthropic, langchain). */
export function nameAndArgsCall(name: string, args: JsonObject): ToolCall {
  return {
    name,
    args,
    scriptSteps: undefined,
    target: '',
    targets: [],
    argProvenance: [],
    server: undefined,
    context: EMPTY_TOOL_CALL_CONTEXT,
    delegation: undefined,
    createdAt: undefined,
  };
}
