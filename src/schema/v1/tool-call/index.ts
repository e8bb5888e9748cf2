/**
 * Tool-call adapters (mcp-and-export.md §1, §2): decode an openai / anthropic / langchain / mcp /
 * claude_code payload into a ToolCall and then into a raw IntentRequest. Pure.
 *
 * STABLE API (used by `gait mcp proxy`, `gait mcp serve`, the gateway and the library root):
 *   resolveAdapterName(name): AdapterName
 *   parseToolCall(adapter, payload): ToolCall
 *   decodeToolCall(adapter, payload, options?): JsonObject            // the raw IntentRequest
 *   decodeToolCallDetailed(adapter, payload, options?): DecodedToolCall
 * `payload` is the parsed JSON value, or JSON text (string / UTF-8 bytes). Errors are GaitError
 * `input_tool_call` (invalid input: exit 6, HTTP 400) with the spec's messages. Signatures change only
 * additively.
 */
import { GaitError } from '../../../errors/error.js';
import type { JsonObject } from '../json-types.js';
import { lowerSimple, trimSpec } from '../text.js';
import { decodeAnthropicToolCall } from './anthropic.js';
import { decodeClaudeCodeToolCall } from './claude-code.js';
import { toolCallError } from './errors.js';
import { decodeLangChainToolCall } from './langchain.js';
import { decodeMcpToolCall } from './mcp.js';
import { decodeOpenAiToolCall } from './openai.js';
import { effectiveContext, toolCallToIntentRequest, usesFallbackContext } from './to-intent.js';
import type { ToolCallIntentOptions } from './to-intent.js';
import type { AdapterName, ToolCall } from './types.js';

export type { AdapterName, ToolCall } from './types.js';
export type * from './types.js';
export { ADAPTER_NAMES } from './types.js';
export type { ToolCallContextOverrides, ToolCallIntentOptions } from './to-intent.js';
export { effectiveContext, toolCallToIntentRequest, usesFallbackContext } from './to-intent.js';
export { mapClaudeCodeToolName } from './claude-code.js';

const ALIASES: Readonly<Record<string, AdapterName>> = {
  '': 'mcp',
  mcp: 'mcp',
  openai: 'openai',
  anthropic: 'anthropic',
  langchain: 'langchain',
  claude_code: 'claude_code',
  'claude-code': 'claude_code',
  claudecode: 'claude_code',
};

const DECODERS: Readonly<Record<AdapterName, (payload: unknown) => ToolCall>> = {
  mcp: decodeMcpToolCall,
  openai: decodeOpenAiToolCall,
  anthropic: decodeAnthropicToolCall,
  langchain: decodeLangChainToolCall,
  claude_code: decodeClaudeCodeToolCall,
};

/**
 * Resolves an adapter name (§1: trimmed, case-insensitive; '' is `mcp`; `claude-code`/`claudecode` alias `claude_code`).
 * @throws GaitError `input_tool_call` `unsupported adapter: <name>`
 * @example resolveAdapterName(' OpenAI ') // 'openai'
 */
export function resolveAdapterName(name: string): AdapterName {
  const trimmed = trimSpec(name);
  const resolved = ALIASES[lowerSimple(trimmed)];
  if (resolved === undefined || !Object.hasOwn(ALIASES, lowerSimple(trimmed))) {
    throw toolCallError(`unsupported adapter: ${trimmed}`, 'adapter');
  }
  return resolved;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** JSON text (string or UTF-8 bytes) → value; any other payload is returned as is. */
function payloadValue(adapter: AdapterName, payload: unknown): unknown {
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) return payload;
  let text: string;
  try {
    text = typeof payload === 'string' ? payload : UTF8.decode(payload);
  } catch (cause) {
    throw toolCallError(`decode ${adapter} tool call: payload is not valid UTF-8`, '', cause);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message.replace(/\s+/g, ' ').trim() : String(cause);
    throw toolCallError(`decode ${adapter} tool call: invalid JSON: ${detail}`, '', cause);
  }
}

/**
 * Decodes a payload with the named adapter into a ToolCall (§1), without the §2 checks.
 * @throws GaitError `input_tool_call` (unsupported adapter, malformed payload, spec messages of §1)
 * @example parseToolCall('anthropic', {type: 'tool_use', name: 'tool.search', input: {q: 'x'}}).name // 'tool.search'
 */
export function parseToolCall(adapter: string, payload: unknown): ToolCall {
  const name = resolveAdapterName(adapter);
  return DECODERS[name](payloadValue(name, payload));
}

/** A decoded call: the adapter used, the ToolCall, its raw IntentRequest, and whether §2 fell back. */
export interface DecodedToolCall {
  readonly adapter: AdapterName;
  readonly call: ToolCall;
  /** the raw IntentRequest (§2); normalize with `normalizeIntent` / `parseIntent` */
  readonly intent: JsonObject;
  /** identity, workspace or session id was blank (§4 step 9 warning under the standard profile) */
  readonly fallbackContext: boolean;
}

/**
 * Decodes a payload and builds its raw IntentRequest (§1, §2).
 * @throws GaitError `input_tool_call` as `parseToolCall`, plus `tool call name is required`,
 *   `script.steps[<i>].name is required`, `context.<field> is required in strict profile`
 */
export function decodeToolCallDetailed(adapter: string, payload: unknown, options: ToolCallIntentOptions = {}): DecodedToolCall {
  const name = resolveAdapterName(adapter);
  const call = DECODERS[name](payloadValue(name, payload));
  const intent = toolCallToIntentRequest(call, options);
  return { adapter: name, call, intent, fallbackContext: usesFallbackContext(effectiveContext(call, options.context)) };
}

/**
 * Decodes a tool-call payload into a raw IntentRequest (mcp-and-export.md §1, §2).
 * @param adapter `mcp` (or ''), `openai`, `anthropic`, `langchain`, `claude_code` (`claude-code`, `claudecode`)
 * @param payload the parsed JSON payload, or its JSON text
 * @param options context overrides, profile, producer version
 * @returns the raw `gait.gate.intent_request` JSON, ready for `parseIntent`/`evaluate`/`gateEval`
 * @throws GaitError `input_tool_call` with the spec's messages (`unsupported adapter: <name>`,
 *   `tool call name is required`, `decode openai arguments: …`, …)
 * @example decodeToolCall('openai', {type: 'function', function: {name: 'tool.search', arguments: '{"query":"gait"}'}})
 */
export function decodeToolCall(adapter: string, payload: unknown, options: ToolCallIntentOptions = {}): JsonObject {
  return decodeToolCallDetailed(adapter, payload, options).intent;
}

/** Whether `err` is a tool-call decoding error. */
export function isToolCallError(err: unknown): err is GaitError {
  return err instanceof GaitError && err.code === 'input_tool_call';
}
export { assertOAuthEvidence, resolveAuthMode, AUTH_MODES } from './oauth-evidence.js';
export type { AuthMode } from './oauth-evidence.js';
export { normalizeRunId, resolveRunId } from './run-id.js';
