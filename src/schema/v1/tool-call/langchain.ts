/**
 * The `langchain` adapter (mcp-and-export.md §1.4): `{"tool", "tool_input"}`; only `name` and `args`.
 */
import { ObjectReader } from '../decode.js';
import { objectOrJsonString } from './args-input.js';
import { withPrefix } from './errors.js';
import type { ToolCall } from './types.js';
import { nameAndArgsCall } from './types.js';

/**
 * Decodes a LangChain tool invocation; `tool_input` is an object, a string holding one (blank → `{}`) or null.
 * @throws GaitError `input_tool_call` `decode langchain tool_input: …`, `decode langchain tool call: …`
 * @example decodeLangChainToolCall({tool: 'tool.search', tool_input: '{"query":"gait"}'})
 */
export function decodeLangChainToolCall(payload: unknown): ToolCall {
  const { name, input } = withPrefix('decode langchain tool call', () => {
    const reader = ObjectReader.of(payload, '', 'input_tool_call', 'tool call must be a JSON object');
    return { name: reader.string('tool'), input: reader.get('tool_input') };
  });
  return nameAndArgsCall(name, objectOrJsonString(input, 'decode langchain tool_input', 'tool_input', 'tool_input'));
}
