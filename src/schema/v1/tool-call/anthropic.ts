/**
 * The `anthropic` adapter (mcp-and-export.md §1.3): `{"type": "tool_use", "name", "input"}`; `type` is not
 * checked. Only `name` and `args` are produced.
 */
import { ObjectReader } from '../decode.js';
import { withPrefix } from './errors.js';
import type { ToolCall } from './types.js';
import { nameAndArgsCall } from './types.js';

/**
 * Decodes an Anthropic `tool_use` block; `input` must be an object or null.
 * @throws GaitError `input_tool_call` `parse anthropic tool call: …`
 * @example decodeAnthropicToolCall({type: 'tool_use', name: 'tool.search', input: {query: 'gait'}})
 */
export function decodeAnthropicToolCall(payload: unknown): ToolCall {
  return withPrefix('parse anthropic tool call', () => {
    const reader = ObjectReader.of(payload, '', 'input_tool_call', 'tool call must be a JSON object');
    return nameAndArgsCall(reader.string('name'), reader.rawObject('input') ?? {});
  });
}
